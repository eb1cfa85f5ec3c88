import { and, eq, gt, lt } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../platform/context";
import { MAX_TOKEN_LIFETIME_SECONDS } from "../crypto/keys";
import { oauthRevokedTokens } from "../table";

/**
 * Revoked access tokens and revoked clients, refused by every verifier.
 *
 * D1 holds the truth; each isolate keeps a copy per org and reads only the
 * rows revoked since its last sync, at most once every SYNC_INTERVAL_MS
 * (the read happens inside the request that finds the copy stale, so even an
 * isolate that was idle for an hour never answers from an older copy). A
 * revocation made in this isolate applies here at once.
 *
 * Longest time a revoked token can still pass: SYNC_INTERVAL_MS (5 s) in
 * another isolate, plus the time D1 takes to make the write visible to that
 * isolate's read (immediate with D1's single primary; read replicas would
 * add their lag). Under load that costs one D1 read per org per isolate per
 * 5 s — 0 reads per request in steady state.
 */
export const SYNC_INTERVAL_MS = 5_000;
/** The interval in force; tests shorten it to watch a sync happen instead of sleeping through 5 s. */
export const syncWindow = { ms: SYNC_INTERVAL_MS };
/** Rows are re-read this far back, so a row written with a slightly earlier clock by another isolate is not missed. */
const LOOKBACK_MS = 30_000;

interface OrgRevocations {
  /** jti (or "client:<id>") → when it was revoked (ms) and when the entry stops mattering (Unix s). */
  entries: Map<string, { revokedAt: number; exp: number }>;
  /** Time of the last sync (ms), and the newest revoked_at seen. */
  syncedAt: number;
  cursor: number;
  /** The sync in flight: concurrent requests share one D1 read. */
  syncing: Promise<void> | null;
}

const byOrg = new Map<string, OrgRevocations>();

export const revocationStats = { d1Reads: 0 };

export const clientEntry = (clientId: string) => `client:${clientId}`;
/** Every token of a user (uid) issued until revoked_at: DELETE /users/{id}/sessions?oauthTokens=true. */
export const userEntry = (userId: string) => `user:${userId}`;
const clientEntryExp = (revokedAt: number) => Math.floor(revokedAt / 1000) + MAX_TOKEN_LIFETIME_SECONDS + 300;

async function sync(db: Db, orgId: string): Promise<OrgRevocations> {
  let state = byOrg.get(orgId);
  if (state && Date.now() - state.syncedAt < syncWindow.ms) return state;
  if (!state) {
    state = { entries: new Map(), syncedAt: 0, cursor: 0, syncing: null };
    byOrg.set(orgId, state);
  }
  const current = state;
  current.syncing ??= readNewRows(db, orgId, current).finally(() => {
    current.syncing = null;
  });
  await current.syncing;
  return current;
}

async function readNewRows(db: Db, orgId: string, state: OrgRevocations): Promise<void> {
  const startedAt = Date.now();
  revocationStats.d1Reads++;
  const rows = await db
    .select({ jti: oauthRevokedTokens.jti, revokedAt: oauthRevokedTokens.revokedAt, exp: oauthRevokedTokens.exp })
    .from(oauthRevokedTokens)
    .where(
      and(
        eq(oauthRevokedTokens.orgId, orgId),
        gt(oauthRevokedTokens.revokedAt, state.cursor - LOOKBACK_MS),
        gt(oauthRevokedTokens.exp, Math.floor(startedAt / 1000)),
      ),
    )
    .all();
  const nowSeconds = Math.floor(startedAt / 1000);
  for (const [jti, entry] of state.entries) if (entry.exp <= nowSeconds) state.entries.delete(jti);
  for (const row of rows) {
    state.entries.set(row.jti, { revokedAt: row.revokedAt, exp: row.exp });
    if (row.revokedAt > state.cursor) state.cursor = row.revokedAt;
  }
  state.syncedAt = startedAt;
}

/**
 * True when the token was revoked, or its client was revoked (deactivated
 * or deleted), or its user's tokens were, after the token was issued.
 */
export async function isRevoked(db: Db, orgId: string, claims: { jti: string; cid: string; iat: number; uid?: string }): Promise<boolean> {
  const state = await sync(db, orgId);
  if (state.entries.has(claims.jti)) return true;
  const issuedBefore = (entry: { revokedAt: number } | undefined) => entry !== undefined && claims.iat * 1000 <= entry.revokedAt;
  return issuedBefore(state.entries.get(clientEntry(claims.cid))) || (claims.uid !== undefined && issuedBefore(state.entries.get(userEntry(claims.uid))));
}

/** `exp` defaults to the longest a token can live: the entry is kept at least as long as its token. */
export function noteRevoked(orgId: string, jti: string, revokedAt: number, exp = clientEntryExp(revokedAt)) {
  const state = byOrg.get(orgId);
  if (state) state.entries.set(jti, { revokedAt, exp });
}

/** Statement revoking one access token (until its own `exp`). Put it in the caller's batch, then call noteRevoked. */
export function revokeTokenStatement(db: Db, orgId: string, token: { jti: string; cid: string; exp: number }, revokedAt = Date.now()) {
  return db
    .insert(oauthRevokedTokens)
    .values({ orgId, jti: token.jti, clientId: token.cid, exp: token.exp, revokedAt })
    .onConflictDoNothing();
}

/** Revokes one token; `alsoInBatch` runs in the same D1 batch (forgetting the token's record). */
export async function revokeToken(
  db: Db,
  orgId: string,
  token: { jti: string; cid: string; exp: number },
  alsoInBatch: BatchItem<"sqlite">[] = [],
): Promise<void> {
  const revokedAt = Date.now();
  await db.batch([
    revokeTokenStatement(db, orgId, token, revokedAt),
    ...alsoInBatch,
    db.delete(oauthRevokedTokens).where(and(eq(oauthRevokedTokens.orgId, orgId), lt(oauthRevokedTokens.exp, Math.floor(revokedAt / 1000)))),
  ] as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  noteRevoked(orgId, token.jti, revokedAt, token.exp);
}

/**
 * Every token of the client issued until now becomes invalid (Okta: tokens
 * of a deactivated client are permanently invalid, §5.10); tokens minted
 * after a reactivation are not affected. Returns the statement for the
 * caller's batch (deactivate / delete of the app); call noteClientRevoked
 * after the batch succeeded so this isolate applies it at once.
 */
export function revokeClientStatement(db: Db, orgId: string, clientId: string, revokedAt = Date.now()) {
  const exp = clientEntryExp(revokedAt);
  return db
    .insert(oauthRevokedTokens)
    .values({ orgId, jti: clientEntry(clientId), clientId, exp, revokedAt })
    .onConflictDoUpdate({ target: [oauthRevokedTokens.orgId, oauthRevokedTokens.jti], set: { exp, revokedAt } });
}

/** Every access token of the user issued until now becomes invalid (a statement for the caller's batch; then noteUserRevoked). */
export function revokeUserStatement(db: Db, orgId: string, userId: string, revokedAt = Date.now()) {
  const exp = clientEntryExp(revokedAt);
  return db
    .insert(oauthRevokedTokens)
    .values({ orgId, jti: userEntry(userId), clientId: "", exp, revokedAt })
    .onConflictDoUpdate({ target: [oauthRevokedTokens.orgId, oauthRevokedTokens.jti], set: { exp, revokedAt } });
}

export function noteUserRevoked(orgId: string, userId: string, revokedAt: number) {
  noteRevoked(orgId, userEntry(userId), revokedAt, clientEntryExp(revokedAt));
}

export function noteClientRevoked(orgId: string, clientId: string, revokedAt = Date.now()) {
  noteRevoked(orgId, clientEntry(clientId), revokedAt, clientEntryExp(revokedAt));
}

export async function revokeClientTokens(db: Db, orgId: string, clientId: string): Promise<void> {
  const revokedAt = Date.now();
  await revokeClientStatement(db, orgId, clientId, revokedAt);
  noteClientRevoked(orgId, clientId, revokedAt);
}
