import { and, asc, eq, gt, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "../platform/context";
import { runBatch } from "../platform/batch";
import { consentGrantDeletesForServer } from "../oauth/authorize/consent-grants";
import { Errors, notFound, validationError } from "../platform/errors";
import { compileFilter, type AttributeSpec } from "../platform/filter";
import { IdPrefix, newId, nowIso } from "../platform/ids";
import { compile, ExpressionError, USER_CLAIM } from "../platform/okta-el";
import type { ClaimRow, ScopeRow, ServerRow } from "./schema";
import { authorizationServerClaims, authorizationServerScopes } from "./table";

const scopes = authorizationServerScopes;
const claims = authorizationServerClaims;

export const SCOPE_TYPE = "OAuth2Scope";
export const CLAIM_TYPE = "OAuth2Claim";

// ---------------------------------------------------------------- scopes

export async function allScopes(db: Db, server: ServerRow): Promise<ScopeRow[]> {
  return db
    .select()
    .from(scopes)
    .where(and(eq(scopes.orgId, server.orgId), eq(scopes.authServerId, server.id)))
    .orderBy(asc(scopes.name))
    .all();
}

/**
 * `filter` on scopes is not documented by Okta; edgeorg accepts the attributes
 * of the scope object a client would filter on, with Okta's filter grammar.
 */
const SCOPE_FILTER: Record<string, AttributeSpec> = {
  name: { column: scopes.name, type: "string", ops: ["eq", "sw", "co"] },
  system: { column: scopes.system, type: "boolean", ops: ["eq"] },
  default: { column: scopes.isDefault, type: "boolean", ops: ["eq"] },
  consent: { column: scopes.consent, type: "string", ops: ["eq"] },
  metadataPublish: { column: scopes.metadataPublish, type: "string", ops: ["eq"] },
};

/** Keyset page by name (unique per server); `q` matches the name case-insensitively, anywhere. */
export async function listScopes(
  db: Db,
  server: ServerRow,
  query: { q?: string; filter?: string; limit: number; after?: string },
): Promise<ScopeRow[]> {
  const where: (SQL | undefined)[] = [eq(scopes.orgId, server.orgId), eq(scopes.authServerId, server.id)];
  if (query.q && query.filter) throw Errors.searchAndFilter();
  if (query.q) where.push(sql`instr(lower(${scopes.name}), ${query.q.toLowerCase()}) > 0`);
  if (query.filter) where.push(compileFilter(query.filter, SCOPE_FILTER, { caseInsensitive: false, param: "filter" }));
  if (query.after !== undefined) where.push(gt(scopes.name, query.after));
  return db
    .select()
    .from(scopes)
    .where(and(...where))
    .orderBy(asc(scopes.name))
    .limit(query.limit + 1)
    .all();
}

export async function requireScope(db: Db, server: ServerRow, scopeId: string): Promise<ScopeRow> {
  const row = await db
    .select()
    .from(scopes)
    .where(and(eq(scopes.orgId, server.orgId), eq(scopes.authServerId, server.id), eq(scopes.id, scopeId)))
    .get();
  if (!row) throw notFound(scopeId, SCOPE_TYPE);
  return row;
}

export interface ScopeInput {
  name: string;
  description?: string | null;
  displayName?: string | null;
  consent?: "IMPLICIT" | "REQUIRED" | "FLEXIBLE";
  optional?: boolean;
  default?: boolean;
  metadataPublish?: "ALL_CLIENTS" | "NO_CLIENTS";
}

/** Scope name rules of REFERENCE §5.5; `okta.*` names belong to the org server alone. */
export function scopeNameProblem(name: string): string | null {
  if (name.length === 0) return "The field cannot be left blank";
  if (name.length > 300) return "Must be at most 300 characters";
  if (!/^[\x21-\x7e]+$/.test(name)) return "Scope names may contain only printable ASCII characters without spaces.";
  if (name.includes('"') || name.includes("\\")) return "Scope names may not contain '\"' or '\\'.";
  if (name.includes("<") && name.includes(">")) return "Scope names may contain '<' or '>' but not both.";
  if (name === "*") return "'*' is reserved and cannot be used as a scope name.";
  const lower = name.toLowerCase();
  if (lower === "okta" || lower.startsWith("okta.") || lower.startsWith("okta:")) {
    return "Scope names cannot be 'okta' or start with 'okta.' or 'okta:'; those scopes belong to the Okta API.";
  }
  return null;
}

async function checkScope(db: Db, server: ServerRow, input: ScopeInput, exceptId?: string): Promise<void> {
  const problem = scopeNameProblem(input.name);
  if (problem) throw validationError([`name: ${problem}`]);
  const clash = await db
    .select({ id: scopes.id })
    .from(scopes)
    .where(and(eq(scopes.orgId, server.orgId), eq(scopes.authServerId, server.id), eq(scopes.name, input.name), exceptId ? ne(scopes.id, exceptId) : undefined))
    .get();
  if (clash) throw Errors.alreadyExists("name");
}

export async function createScope(db: Db, server: ServerRow, input: ScopeInput): Promise<ScopeRow> {
  await checkScope(db, server, input);
  const now = nowIso();
  const row: ScopeRow = {
    orgId: server.orgId,
    id: newId(IdPrefix.scope),
    authServerId: server.id,
    name: input.name,
    description: input.description ?? null,
    displayName: input.displayName ?? null,
    consent: input.consent ?? "IMPLICIT",
    optional: input.optional ?? false,
    isDefault: input.default ?? false,
    metadataPublish: input.metadataPublish ?? "NO_CLIENTS",
    system: false,
    created: now,
    lastUpdated: now,
  };
  await db.insert(scopes).values(row);
  return row;
}

/** A replace; a system scope keeps its name (its other settings may change, as in Okta's console). */
export async function replaceScope(db: Db, server: ServerRow, scope: ScopeRow, input: ScopeInput): Promise<ScopeRow> {
  if (scope.system && input.name !== scope.name) throw validationError(["name: The name of a system scope cannot be changed."]);
  await checkScope(db, server, input, scope.id);
  const row: ScopeRow = {
    ...scope,
    name: input.name,
    description: input.description ?? null,
    displayName: input.displayName ?? null,
    consent: input.consent ?? "IMPLICIT",
    optional: input.optional ?? false,
    isDefault: input.default ?? false,
    metadataPublish: input.metadataPublish ?? "NO_CLIENTS",
    lastUpdated: nowIso(),
  };
  await db
    .update(scopes)
    .set({
      name: row.name,
      description: row.description,
      displayName: row.displayName,
      consent: row.consent,
      optional: row.optional,
      isDefault: row.isDefault,
      metadataPublish: row.metadataPublish,
      lastUpdated: row.lastUpdated,
    })
    .where(and(eq(scopes.orgId, server.orgId), eq(scopes.id, scope.id)));
  return row;
}

/** Deletes the scope with the users' consents to it, in one batch. */
export async function deleteScope(db: Db, scope: ScopeRow): Promise<void> {
  if (scope.system) throw validationError(["system: System scopes cannot be deleted."]);
  await runBatch(db, [
    db.delete(scopes).where(and(eq(scopes.orgId, scope.orgId), eq(scopes.id, scope.id))),
    ...consentGrantDeletesForServer(db, scope.orgId, scope.authServerId, scope.name),
  ]);
}

// ---------------------------------------------------------------- claims

/**
 * Names the token code sets itself (REFERENCE §5.10) or that OIDC reserves;
 * a claim with one of them would be silently overridden, so it is refused.
 */
export const RESERVED_CLAIM_NAMES = new Set([
  "ver", "jti", "iss", "aud", "iat", "exp", "nbf", "cid", "uid", "scp", "sub", "auth_time", "cnf",
  "amr", "idp", "nonce", "at_hash", "c_hash", "acr", "azp", "sid", "token_type", "client_id",
]);

export async function listClaims(db: Db, server: ServerRow): Promise<ClaimRow[]> {
  return db
    .select()
    .from(claims)
    .where(and(eq(claims.orgId, server.orgId), eq(claims.authServerId, server.id)))
    .orderBy(asc(claims.created), asc(claims.id))
    .all();
}

export async function requireClaim(db: Db, server: ServerRow, claimId: string): Promise<ClaimRow> {
  const row = await db
    .select()
    .from(claims)
    .where(and(eq(claims.orgId, server.orgId), eq(claims.authServerId, server.id), eq(claims.id, claimId)))
    .get();
  if (!row) throw notFound(claimId, CLAIM_TYPE);
  return row;
}

export interface ClaimInput {
  name: string;
  status?: "ACTIVE" | "INACTIVE";
  claimType: "RESOURCE" | "IDENTITY";
  valueType: "EXPRESSION" | "GROUPS";
  value: string;
  group_filter_type?: "STARTS_WITH" | "EQUALS" | "CONTAINS" | "REGEX" | null;
  alwaysIncludeInToken?: boolean;
  conditions?: { scopes?: string[] } | null;
}

async function checkClaim(db: Db, server: ServerRow, input: ClaimInput, exceptId?: string): Promise<string[]> {
  const causes: string[] = [];
  if (RESERVED_CLAIM_NAMES.has(input.name)) causes.push(`name: '${input.name}' is a reserved claim name and cannot be used for a custom claim.`);
  if (input.valueType === "GROUPS") {
    if (!input.group_filter_type) causes.push("group_filter_type: The field cannot be left blank when valueType is GROUPS");
    else if (input.group_filter_type === "REGEX") {
      try {
        new RegExp(input.value);
      } catch {
        causes.push("value: The value is not a valid regular expression.");
      }
    }
  } else {
    try {
      compile(input.value, USER_CLAIM);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      causes.push(`value: Invalid or unsupported expression (${error.message}).`);
    }
  }
  const wanted = [...new Set(input.conditions?.scopes ?? [])];
  if (wanted.length) {
    const defined = new Set((await allScopes(db, server)).map((s) => s.name));
    for (const scope of wanted) {
      if (!defined.has(scope)) causes.push(`conditions.scopes: The scope '${scope}' is not configured for the authorization server.`);
    }
  }
  if (causes.length) throw validationError(causes);
  const clash = await db
    .select({ id: claims.id })
    .from(claims)
    .where(
      and(
        eq(claims.orgId, server.orgId),
        eq(claims.authServerId, server.id),
        eq(claims.claimType, input.claimType),
        eq(claims.name, input.name),
        exceptId ? ne(claims.id, exceptId) : undefined,
      ),
    )
    .get();
  if (clash) throw Errors.alreadyExists("name");
  return wanted;
}

function claimFields(input: ClaimInput, wantedScopes: string[]) {
  return {
    name: input.name,
    status: input.status ?? "ACTIVE",
    claimType: input.claimType,
    valueType: input.valueType,
    value: input.value,
    groupFilterType: input.valueType === "GROUPS" ? (input.group_filter_type ?? null) : null,
    // Always true for access-token claims (REFERENCE §5.6).
    alwaysIncludeInToken: input.claimType === "RESOURCE" ? true : (input.alwaysIncludeInToken ?? true),
    scopes: wantedScopes,
  } as const;
}

export async function createClaim(db: Db, server: ServerRow, input: ClaimInput): Promise<ClaimRow> {
  const wanted = await checkClaim(db, server, input);
  const now = nowIso();
  const row: ClaimRow = {
    orgId: server.orgId,
    id: newId(IdPrefix.claim),
    authServerId: server.id,
    ...claimFields(input, wanted),
    system: false,
    created: now,
    lastUpdated: now,
  };
  await db.insert(claims).values(row);
  return row;
}

export async function replaceClaim(db: Db, server: ServerRow, claim: ClaimRow, input: ClaimInput): Promise<ClaimRow> {
  if (claim.system) throw validationError(["system: System claims cannot be modified."]);
  const wanted = await checkClaim(db, server, input, claim.id);
  const row: ClaimRow = { ...claim, ...claimFields(input, wanted), lastUpdated: nowIso() };
  const { orgId: _o, id: _i, authServerId: _a, created: _c, ...set } = row;
  await db.update(claims).set(set).where(and(eq(claims.orgId, server.orgId), eq(claims.id, claim.id)));
  return row;
}

export async function deleteClaim(db: Db, claim: ClaimRow): Promise<void> {
  if (claim.system) throw validationError(["system: System claims cannot be deleted."]);
  await db.delete(claims).where(and(eq(claims.orgId, claim.orgId), eq(claims.id, claim.id)));
}
