import { and, asc, eq, gt } from "drizzle-orm";
import type { Db, Org } from "../../platform/context";
import { notFound, validationError, Errors } from "../../platform/errors";
import { IdPrefix, newId, nowIso } from "../../platform/ids";
import { trustedOrigins } from "../table";

/** Trusted origins (/api/v1/trustedOrigins): which browser origins may call the API (CORS) or be redirected to (REDIRECT). */
export type TrustedOriginRow = typeof trustedOrigins.$inferSelect;

const SCOPE_TYPES = ["CORS", "REDIRECT", "IFRAME_EMBED"];

/** True when `origin` is an ACTIVE trusted origin of the org holding `scope`. */
export async function isTrustedOrigin(db: Db, orgId: string, origin: string, scope: "CORS" | "REDIRECT"): Promise<boolean> {
  const rows = await db
    .select({ scopes: trustedOrigins.scopes })
    .from(trustedOrigins)
    .where(and(eq(trustedOrigins.orgId, orgId), eq(trustedOrigins.origin, origin), eq(trustedOrigins.status, "ACTIVE")))
    .all();
  return rows.some((row) => row.scopes.some((s) => s.type === scope));
}

/** An origin as Okta stores it: scheme://host[:port], nothing more. */
function readOrigin(raw: unknown, causes: string[]): string {
  if (typeof raw !== "string" || !raw) {
    causes.push("origin: The field cannot be left blank");
    return "";
  }
  try {
    const url = new URL(raw);
    if (!["http:", "https:", "ftp:", "ionic:", "capacitor:"].includes(url.protocol) || url.origin === "null" && !raw.includes("://")) throw new Error();
    const origin = url.origin !== "null" ? url.origin : raw.replace(/\/+$/, "");
    if (url.pathname.replace(/\/+$/, "") !== "" || url.search || url.hash) {
      causes.push("origin: The origin must be scheme://host[:port] with no path, query or fragment");
    }
    return origin;
  } catch {
    causes.push(`origin: '${raw.slice(0, 100)}' is not a valid origin`);
    return "";
  }
}

export interface TrustedOriginInput {
  name: string;
  origin: string;
  scopes: { type: string; allowedOktaApps?: string[] }[];
}

export function readTrustedOrigin(body: unknown): TrustedOriginInput {
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const causes: string[] = [];
  if (typeof b.name !== "string" || !b.name.trim()) causes.push("name: The field cannot be left blank");
  else if (b.name.length > 255) causes.push("name: The field cannot be longer than 255 characters");
  const origin = readOrigin(b.origin, causes);
  const scopes: TrustedOriginInput["scopes"] = [];
  if (!Array.isArray(b.scopes) || b.scopes.length === 0) {
    causes.push("scopes: The field cannot be left blank");
  } else {
    for (const scope of b.scopes) {
      const type = scope && typeof scope === "object" ? (scope as { type?: unknown }).type : undefined;
      if (typeof type !== "string" || !SCOPE_TYPES.includes(type)) {
        causes.push(`scopes: Must be one of ${SCOPE_TYPES.join(", ")}`);
        continue;
      }
      const apps = (scope as { allowedOktaApps?: unknown }).allowedOktaApps;
      scopes.push(type === "IFRAME_EMBED" ? { type, allowedOktaApps: Array.isArray(apps) ? apps.map(String) : [] } : { type });
    }
  }
  if (causes.length) throw validationError(causes);
  return { name: (b.name as string).trim(), origin, scopes };
}

async function assertUnique(db: Db, orgId: string, input: TrustedOriginInput, exceptId?: string) {
  const rows = await db.select().from(trustedOrigins).where(eq(trustedOrigins.orgId, orgId)).all();
  for (const row of rows) {
    if (row.id === exceptId) continue;
    if (row.origin === input.origin) throw Errors.alreadyExists("origin");
    if (row.name.toLowerCase() === input.name.toLowerCase()) {
      throw Errors.alreadyExists("name");
    }
  }
}

export async function createTrustedOrigin(db: Db, orgId: string, actorId: string, input: TrustedOriginInput) {
  await assertUnique(db, orgId, input);
  const at = nowIso();
  const row: TrustedOriginRow = {
    orgId,
    id: newId(IdPrefix.trustedOrigin),
    ...input,
    status: "ACTIVE",
    created: at,
    createdBy: actorId,
    lastUpdated: at,
    lastUpdatedBy: actorId,
  };
  await db.insert(trustedOrigins).values(row);
  return row;
}

export async function requireTrustedOrigin(db: Db, orgId: string, id: string): Promise<TrustedOriginRow> {
  const row = await db
    .select()
    .from(trustedOrigins)
    .where(and(eq(trustedOrigins.orgId, orgId), eq(trustedOrigins.id, id)))
    .get();
  if (!row) throw notFound(id, "TrustedOrigin");
  return row;
}

export async function replaceTrustedOrigin(db: Db, row: TrustedOriginRow, actorId: string, input: TrustedOriginInput) {
  await assertUnique(db, row.orgId, input, row.id);
  const patch = { ...input, lastUpdated: nowIso(), lastUpdatedBy: actorId };
  await db.update(trustedOrigins).set(patch).where(and(eq(trustedOrigins.orgId, row.orgId), eq(trustedOrigins.id, row.id)));
  return { ...row, ...patch };
}

export async function setTrustedOriginStatus(db: Db, row: TrustedOriginRow, actorId: string, status: "ACTIVE" | "INACTIVE") {
  const patch = { status, lastUpdated: nowIso(), lastUpdatedBy: actorId };
  await db.update(trustedOrigins).set(patch).where(and(eq(trustedOrigins.orgId, row.orgId), eq(trustedOrigins.id, row.id)));
  return { ...row, ...patch };
}

export async function deleteTrustedOrigin(db: Db, row: TrustedOriginRow) {
  await db.delete(trustedOrigins).where(and(eq(trustedOrigins.orgId, row.orgId), eq(trustedOrigins.id, row.id)));
}

/** Listing: `q` matches name or origin by prefix; keyset by id. */
export async function listTrustedOrigins(db: Db, orgId: string, options: { q?: string; after?: string; limit: number }) {
  const rows = await db
    .select()
    .from(trustedOrigins)
    .where(and(eq(trustedOrigins.orgId, orgId), options.after ? gt(trustedOrigins.id, options.after) : undefined))
    .orderBy(asc(trustedOrigins.id))
    .all();
  const q = options.q?.toLowerCase();
  return rows.filter((r) => !q || r.name.toLowerCase().startsWith(q) || r.origin.toLowerCase().startsWith(q)).slice(0, options.limit + 1);
}

export function trustedOriginJson(org: Org, row: TrustedOriginRow) {
  const self = `${org.url}/api/v1/trustedOrigins/${row.id}`;
  const lifecycle = row.status === "ACTIVE" ? "deactivate" : "activate";
  return {
    id: row.id,
    name: row.name,
    origin: row.origin,
    scopes: row.scopes,
    status: row.status,
    created: row.created,
    createdBy: row.createdBy,
    lastUpdated: row.lastUpdated,
    lastUpdatedBy: row.lastUpdatedBy,
    _links: {
      self: { href: self, hints: { allow: ["GET", "PUT", "DELETE"] } },
      [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ["POST"] } },
    },
  };
}

