import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { base64url } from "jose";
import type { Statement } from "../../platform/batch";
import type { Db } from "../../platform/context";
import { IdPrefix, newId, sha256Hex } from "../../platform/ids";
import { oauthRefreshTokens, oauthRefreshTokenValues } from "../table";
import { forgetIssuedTokenStatement } from "./issued";
import { noteRevoked, revokeTokenStatement } from "./revocations";

/**
 * The refresh-token store (REFERENCE-SIGNIN §5.3): opaque values (32 random
 * bytes, base64url: 43 characters) kept by SHA-256, each bound to one grant
 * row — client, server, user, scopes, the policy rule matched at issue, the
 * original expiry and idle window. Rotation retires a value and adds one;
 * the grant row keeps the access tokens minted under it, so revoking the
 * refresh token (or detecting reuse) revokes them too.
 *
 * Writes are statements for the caller's batch: a refresh token is created
 * or rotated in the same batch that records its access token, and dies in
 * the batch of the change that kills it (user deactivated or deleted, app
 * deactivated or deleted, user unassigned, sessions ended with
 * oauthTokens=true).
 */
export type RefreshToken = typeof oauthRefreshTokens.$inferSelect;

export interface NewRefreshToken {
  orgId: string;
  authServerId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  ruleId: string | null;
  authTime: number;
  amr: string[];
  accessTokenLifetime: number;
  /** Seconds; null = unlimited. */
  lifetimeSeconds: number | null;
  idleSeconds: number | null;
  /** The access token issued with it, if any. */
  accessToken?: { jti: string; exp: number };
}

export function newRefreshTokenValue(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
}

/** A new refresh token: its value (returned once) and the statements that store it. */
export async function createRefreshToken(db: Db, input: NewRefreshToken, now = Date.now()): Promise<{ value: string; row: RefreshToken; statements: Statement[] }> {
  const value = newRefreshTokenValue();
  const row: RefreshToken = {
    orgId: input.orgId,
    id: newId(IdPrefix.refreshToken),
    authServerId: input.authServerId,
    clientId: input.clientId,
    userId: input.userId,
    scopes: input.scopes,
    ruleId: input.ruleId,
    authTime: input.authTime,
    amr: input.amr,
    accessTokenLifetime: input.accessTokenLifetime,
    idleSeconds: input.idleSeconds,
    created: new Date(now).toISOString(),
    expiresAt: input.lifetimeSeconds === null ? null : now + input.lifetimeSeconds * 1000,
    lastUsedAt: now,
    accessTokens: input.accessToken ? [input.accessToken] : [],
  };
  return {
    value,
    row,
    statements: [
      db.insert(oauthRefreshTokens).values(row),
      db.insert(oauthRefreshTokenValues).values({ orgId: input.orgId, tokenHash: await sha256Hex(value), refreshTokenId: row.id, retiredAt: null }),
    ],
  };
}

/** A presented value: its grant row, and when the value was retired by a rotation (null = current). */
export async function findRefreshToken(db: Db, orgId: string, value: string): Promise<{ token: RefreshToken; retiredAt: number | null } | null> {
  const row = await db
    .select({ token: oauthRefreshTokens, retiredAt: oauthRefreshTokenValues.retiredAt })
    .from(oauthRefreshTokenValues)
    .innerJoin(oauthRefreshTokens, and(eq(oauthRefreshTokens.orgId, oauthRefreshTokenValues.orgId), eq(oauthRefreshTokens.id, oauthRefreshTokenValues.refreshTokenId)))
    .where(and(eq(oauthRefreshTokenValues.orgId, orgId), eq(oauthRefreshTokenValues.tokenHash, await sha256Hex(value))))
    .get();
  return row ?? null;
}

/**
 * A presented value, if it is a live refresh token of this client at this
 * server — current, or retired by a rotation (the caller applies the leeway).
 * Another client's or server's token is as unknown as garbage.
 */
export async function presentedRefreshToken(
  db: Db,
  orgId: string,
  value: string,
  at: { authServerId: string; clientId: string },
): Promise<{ token: RefreshToken; retiredAt: number | null } | null> {
  if (!value || value.length > 200) return null;
  const found = await findRefreshToken(db, orgId, value);
  if (!found || found.token.authServerId !== at.authServerId || found.token.clientId !== at.clientId) return null;
  return isRefreshTokenLive(found.token) ? found : null;
}

/** When the token dies unless used again (Unix ms): its original expiry, or the end of its idle window if sooner; null = never. */
export function refreshTokenExpiry(token: RefreshToken): number | null {
  const idle = token.idleSeconds === null ? null : token.lastUsedAt + token.idleSeconds * 1000;
  if (idle === null) return token.expiresAt;
  return token.expiresAt === null ? idle : Math.min(idle, token.expiresAt);
}

export function isRefreshTokenLive(token: RefreshToken, now = Date.now()): boolean {
  const expiry = refreshTokenExpiry(token);
  return expiry === null || expiry > now;
}

/** Live access tokens a grant keeps for its revocation; more are revoked oldest first. */
export const MAX_TRACKED_ACCESS_TOKENS = 100;

/**
 * A use of the token: the access token just minted joins its list (expired
 * ones leave), the idle window restarts, and with `rotate` the presented
 * value and the current one are retired and a new value is returned.
 */
export async function useRefreshToken(
  db: Db,
  token: RefreshToken,
  options: { rotate: boolean; accessToken?: { jti: string; exp: number }; now?: number },
): Promise<{ value: string | null; statements: Statement[]; after: () => void }> {
  const now = options.now ?? Date.now();
  const live = token.accessTokens.filter((t) => t.exp * 1000 > now);
  if (options.accessToken) live.push(options.accessToken);
  // A grant refreshed in a tight loop would grow its row without end: past the cap, the oldest
  // access tokens (long superseded) are revoked now instead of with the grant.
  const superseded = live.splice(0, Math.max(0, live.length - MAX_TRACKED_ACCESS_TOKENS));
  const statements: Statement[] = [
    db
      .update(oauthRefreshTokens)
      .set({ lastUsedAt: now, accessTokens: live })
      .where(and(eq(oauthRefreshTokens.orgId, token.orgId), eq(oauthRefreshTokens.id, token.id))),
    ...superseded.map((at) => revokeTokenStatement(db, token.orgId, { jti: at.jti, cid: token.clientId, exp: at.exp }, now)),
  ];
  const after = () => superseded.forEach((at) => noteRevoked(token.orgId, at.jti, now, at.exp));
  if (!options.rotate) return { value: null, statements, after };
  const value = newRefreshTokenValue();
  statements.push(
    db
      .update(oauthRefreshTokenValues)
      .set({ retiredAt: now })
      .where(and(eq(oauthRefreshTokenValues.orgId, token.orgId), eq(oauthRefreshTokenValues.refreshTokenId, token.id), isNull(oauthRefreshTokenValues.retiredAt))),
    db.insert(oauthRefreshTokenValues).values({ orgId: token.orgId, tokenHash: await sha256Hex(value), refreshTokenId: token.id, retiredAt: null }),
  );
  return { value, statements, after };
}

/**
 * Revokes refresh tokens with the access tokens minted under them (§6.5:
 * revoking a refresh token revokes its access tokens). Returns the
 * statements and what to call once the batch succeeded (so this isolate
 * refuses the access tokens at once).
 */
export function revokeRefreshTokensStatements(db: Db, tokens: readonly RefreshToken[], now = Date.now()): { statements: Statement[]; after: () => void } {
  const statements: Statement[] = [];
  const revoked: { orgId: string; jti: string; exp: number }[] = [];
  for (const token of tokens) {
    statements.push(...deleteWhere(db, and(eq(oauthRefreshTokens.orgId, token.orgId), eq(oauthRefreshTokens.id, token.id))!));
    for (const at of token.accessTokens) {
      if (at.exp * 1000 <= now) continue;
      statements.push(revokeTokenStatement(db, token.orgId, { jti: at.jti, cid: token.clientId, exp: at.exp }, now));
      statements.push(forgetIssuedTokenStatement(db, token.orgId, at.jti));
      revoked.push({ orgId: token.orgId, jti: at.jti, exp: at.exp });
    }
  }
  return { statements, after: () => revoked.forEach((r) => noteRevoked(r.orgId, r.jti, now, r.exp)) };
}

/** Deletes the grant rows matching `where` and their values (the values first: they are found through the rows). */
function deleteWhere(db: Db, where: SQL): Statement[] {
  const ids = db.select({ id: oauthRefreshTokens.id }).from(oauthRefreshTokens).where(where);
  return [
    db.delete(oauthRefreshTokenValues).where(inArray(oauthRefreshTokenValues.refreshTokenId, ids)),
    db.delete(oauthRefreshTokens).where(where),
  ];
}

/** Every refresh token of a user (deactivation, deletion, sessions ended with oauthTokens=true). */
export function refreshTokenDeletesForUser(db: Db, orgId: string, userId: string): Statement[] {
  return deleteWhere(db, and(eq(oauthRefreshTokens.orgId, orgId), eq(oauthRefreshTokens.userId, userId))!);
}

/** Every refresh token of a client (app deactivated or deleted). */
export function refreshTokenDeletesForClient(db: Db, orgId: string, clientId: string): Statement[] {
  return deleteWhere(db, and(eq(oauthRefreshTokens.orgId, orgId), eq(oauthRefreshTokens.clientId, clientId))!);
}

/** A user's refresh tokens for one client (the user unassigned from the app). */
export function refreshTokenDeletesForUserAndClient(db: Db, orgId: string, userId: string, clientId: string): Statement[] {
  return deleteWhere(db, and(eq(oauthRefreshTokens.orgId, orgId), eq(oauthRefreshTokens.userId, userId), eq(oauthRefreshTokens.clientId, clientId))!);
}

/** A user's refresh tokens (to revoke them with their access tokens). */
export async function refreshTokensOfUser(db: Db, orgId: string, userId: string): Promise<RefreshToken[]> {
  return db.select().from(oauthRefreshTokens).where(and(eq(oauthRefreshTokens.orgId, orgId), eq(oauthRefreshTokens.userId, userId))).all();
}
