import { and, asc, eq, gt, ne, or, sql, type SQL } from "drizzle-orm";
import { afterCreated } from "../platform/paging";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../platform/context";
import { notFound, oktaError, validationError, Errors } from "../platform/errors";
import { IdPrefix, newId, nowIso } from "../platform/ids";
import { forgetServerTokensStatement } from "../oauth/tokens/issued";
import { consentGrantDeletesForServer } from "../oauth/authorize/consent-grants";
import { systemScopeRows } from "./provision";
import type { ServerRow } from "./schema";
import {
  authorizationServerClaims,
  authorizationServerPolicies,
  authorizationServerRules,
  authorizationServerScopes,
  authorizationServers,
} from "./table";

export const SERVER_TYPE = "AuthorizationServer";

export async function findServer(db: Db, orgId: string, id: string): Promise<ServerRow | null> {
  const row = await db
    .select()
    .from(authorizationServers)
    .where(and(eq(authorizationServers.orgId, orgId), eq(authorizationServers.id, id)))
    .get();
  return row ?? null;
}

export async function requireServer(db: Db, orgId: string, id: string): Promise<ServerRow> {
  const row = await findServer(db, orgId, id);
  if (!row) throw notFound(id, SERVER_TYPE);
  return row;
}

export interface ServerPageQuery {
  q?: string;
  limit: number;
  after?: (string | number | null)[];
}

/** Keyset page ordered by (created, id); `q` matches name or audience, case-insensitively, anywhere. */
export async function listServers(db: Db, orgId: string, query: ServerPageQuery): Promise<ServerRow[]> {
  const t = authorizationServers;
  const where: (SQL | undefined)[] = [eq(t.orgId, orgId)];
  if (query.q) {
    const q = query.q.toLowerCase();
    where.push(sql`(instr(lower(${t.name}), ${q}) > 0 or instr(lower(${t.audiences}), ${q}) > 0)`);
  }
  if (query.after) {
    const [created, id] = query.after as [string, string];
    where.push(afterCreated(t, String(created), String(id)));
  }
  return db
    .select()
    .from(t)
    .where(and(...where))
    .orderBy(asc(t.created), asc(t.id))
    .limit(query.limit + 1)
    .all();
}

export interface ServerInput {
  name: string;
  description: string;
  audiences: string[];
  issuerMode?: string;
  credentials?: { signing?: { rotationMode?: "AUTO" | "MANUAL" } };
}

/** Okta supports one audience; one with a ':' must be an absolute URI (REFERENCE §5.2). */
function checkServerInput(input: ServerInput): void {
  const causes: string[] = [];
  if (input.audiences.length !== 1) {
    causes.push("audiences: Exactly one audience is supported.");
  } else {
    const audience = input.audiences[0]!;
    if (audience.trim() === "") causes.push("audiences: The audience cannot be blank.");
    else if (audience.includes(":") && !isAbsoluteUri(audience)) causes.push(`audiences: '${audience}' is not a valid URI.`);
  }
  if (input.issuerMode && input.issuerMode !== "ORG_URL") {
    // CUSTOM_URL and DYNAMIC need a custom domain, which edgeorg orgs do not have.
    causes.push("issuerMode: Only ORG_URL is available without a custom domain.");
  }
  if (causes.length) throw validationError(causes);
}

function isAbsoluteUri(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    new URL(value);
    return /^[A-Za-z][A-Za-z0-9+.-]*:[^:]*/.test(value);
  } catch {
    return false;
  }
}

async function checkNameFree(db: Db, orgId: string, name: string, exceptId?: string): Promise<void> {
  const t = authorizationServers;
  const clash = await db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.orgId, orgId), eq(t.name, name), exceptId ? ne(t.id, exceptId) : undefined))
    .get();
  if (clash) throw Errors.alreadyExists("name");
}

/**
 * The server, its system scopes and its signing keys in one batch: a failure
 * leaves no server behind (the keys were once made lazily afterwards, and a
 * failure there answered 500 for a server that existed — issue 14).
 */
export async function createServer(
  db: Db,
  orgId: string,
  input: ServerInput,
  keyStatements: (serverId: string) => Promise<BatchItem<"sqlite">[]>,
): Promise<ServerRow> {
  checkServerInput(input);
  await checkNameFree(db, orgId, input.name);
  const now = nowIso();
  const row: ServerRow = {
    orgId,
    id: newId(IdPrefix.authorizationServer),
    name: input.name,
    description: input.description,
    audiences: input.audiences,
    status: "ACTIVE",
    issuerMode: "ORG_URL",
    rotationMode: input.credentials?.signing?.rotationMode ?? "AUTO",
    created: now,
    lastUpdated: now,
  };
  await db.batch([db.insert(authorizationServers).values(row), ...systemScopeRows(db, orgId, row.id, now), ...(await keyStatements(row.id))]);
  return row;
}

export async function replaceServer(db: Db, server: ServerRow, input: ServerInput): Promise<ServerRow> {
  checkServerInput(input);
  await checkNameFree(db, server.orgId, input.name, server.id);
  const row: ServerRow = {
    ...server,
    name: input.name,
    description: input.description,
    audiences: input.audiences,
    rotationMode: input.credentials?.signing?.rotationMode ?? server.rotationMode,
    lastUpdated: nowIso(),
  };
  await db
    .update(authorizationServers)
    .set({
      name: row.name,
      description: row.description,
      audiences: row.audiences,
      rotationMode: row.rotationMode,
      lastUpdated: row.lastUpdated,
    })
    .where(and(eq(authorizationServers.orgId, server.orgId), eq(authorizationServers.id, server.id)));
  return row;
}

export async function setServerStatus(db: Db, server: ServerRow, status: "ACTIVE" | "INACTIVE"): Promise<void> {
  if (server.status === status) return;
  await db
    .update(authorizationServers)
    .set({ status, lastUpdated: nowIso() })
    .where(and(eq(authorizationServers.orgId, server.orgId), eq(authorizationServers.id, server.id)));
}

/**
 * Only an INACTIVE server can be deleted (as the Admin Console and Okta's
 * Terraform provider do it: deactivate, then delete); the `default` server
 * too. Everything it owns goes in the same batch; `extra` adds the keys.
 */
export async function deleteServer(db: Db, server: ServerRow, extra: BatchItem<"sqlite">[] = []): Promise<void> {
  if (server.status === "ACTIVE") {
    throw oktaError(400, "E0000001", "Api validation failed: status", [
      "status: An authorization server must be deactivated before it can be deleted.",
    ]);
  }
  const { orgId, id } = server;
  await db.batch([
    db.delete(authorizationServerRules).where(and(eq(authorizationServerRules.orgId, orgId), eq(authorizationServerRules.authServerId, id))),
    db.delete(authorizationServerPolicies).where(and(eq(authorizationServerPolicies.orgId, orgId), eq(authorizationServerPolicies.authServerId, id))),
    db.delete(authorizationServerScopes).where(and(eq(authorizationServerScopes.orgId, orgId), eq(authorizationServerScopes.authServerId, id))),
    db.delete(authorizationServerClaims).where(and(eq(authorizationServerClaims.orgId, orgId), eq(authorizationServerClaims.authServerId, id))),
    forgetServerTokensStatement(db, orgId, id),
    ...consentGrantDeletesForServer(db, orgId, id),
    db.delete(authorizationServers).where(and(eq(authorizationServers.orgId, orgId), eq(authorizationServers.id, id))),
    ...extra,
  ]);
}
