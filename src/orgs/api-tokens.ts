import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../platform/context";
import { IdPrefix, newId, nowIso, randomBase62, sha256Hex } from "../platform/ids";
import { apiTokens } from "./table";

/**
 * SSWS API tokens (REFERENCE §6.5, OpenAPI ApiToken): stored as SHA-256
 * hashes, the token itself shown once. Each acts for the admin user that
 * owns it, with that admin's roles.
 */
export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** Okta's idle window: a token unused for 30 days expires (not enforced by edgeorg). */
const TOKEN_WINDOW = "P30D";

export async function newApiToken(): Promise<{ token: string; tokenHash: string }> {
  const token = "00" + randomBase62(40);
  return { token, tokenHash: await sha256Hex(token) };
}

/** A new token for an admin user of the org; its value is returned once. */
export async function issueApiToken(db: Db, orgId: string, userId: string, name: string): Promise<{ row: ApiTokenRow; token: string }> {
  const { token, tokenHash } = await newApiToken();
  const row: ApiTokenRow = { orgId, id: newId(IdPrefix.apiToken), tokenHash, userId, name, created: nowIso() };
  await db.insert(apiTokens).values(row);
  return { row, token };
}

/**
 * Hits are kept per isolate for a short while so that steady-state SSWS
 * reads cost no D1 read; a revoked token or a deleted org's tokens are
 * forgotten at once in this isolate (other isolates within TOKEN_CACHE_MS).
 */
const TOKEN_CACHE_MS = 30_000;
const TOKEN_CACHE_MAX_ENTRIES = 10_000;
const tokenCache = new Map<string, { orgId: string; token: { id: string; userId: string } | null; at: number }>();

export function forgetApiTokens(orgId: string, tokenId?: string) {
  for (const [key, entry] of tokenCache) {
    if (entry.orgId === orgId && (tokenId === undefined || entry.token?.id === tokenId)) tokenCache.delete(key);
  }
}

/** The token's id and owner, or null when the org has no such token. */
export async function findApiToken(db: Db, orgId: string, token: string): Promise<{ id: string; userId: string } | null> {
  const hash = await sha256Hex(token);
  const key = `${orgId}:${hash}`;
  const hit = tokenCache.get(key);
  if (hit && Date.now() - hit.at < TOKEN_CACHE_MS) return hit.token;
  const row = await db
    .select({ id: apiTokens.id, userId: apiTokens.userId })
    .from(apiTokens)
    .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.tokenHash, hash)))
    .get();
  const found = row ?? null;
  // Unknown tokens are cached too, so a flood of bogus ones must not grow the map without bound.
  if (tokenCache.size >= TOKEN_CACHE_MAX_ENTRIES) tokenCache.clear();
  tokenCache.set(key, { orgId, token: found, at: Date.now() });
  return found;
}

/** Tokens of the org (or of one owner), oldest first. */
export async function listApiTokens(db: Db, orgId: string, userId?: string): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.orgId, orgId), userId === undefined ? undefined : eq(apiTokens.userId, userId)))
    .orderBy(asc(apiTokens.created), asc(apiTokens.id))
    .all();
}

export async function findApiTokenById(db: Db, orgId: string, id: string): Promise<ApiTokenRow | null> {
  return (await db.select().from(apiTokens).where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.id, id))).get()) ?? null;
}

export async function revokeApiToken(db: Db, row: { orgId: string; id: string }): Promise<void> {
  await db.delete(apiTokens).where(and(eq(apiTokens.orgId, row.orgId), eq(apiTokens.id, row.id)));
  forgetApiTokens(row.orgId, row.id);
}

/** OpenAPI ApiToken. */
export function apiTokenJson(orgUrl: string, row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    userId: row.userId,
    clientName: "Okta API",
    created: row.created,
    lastUpdated: row.created,
    expiresAt: new Date(Date.parse(row.created) + 30 * 24 * 3600 * 1000).toISOString(),
    tokenWindow: TOKEN_WINDOW,
    network: { connection: "ANYWHERE" },
    _link: { self: { href: `${orgUrl}/api/v1/api-tokens/${row.id}` } },
  };
}
