import { and, asc, eq, gt, lte, type SQL } from "drizzle-orm";
import { afterCreated } from "../../platform/paging";
import { runBatch, type Statement } from "../../platform/batch";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../platform/context";
import { authorizationServerTokens } from "../table";
import { noteRevoked, revokeTokenStatement } from "./revocations";

/**
 * The issued-token store: access tokens of the servers that keep a record
 * (AuthorizationServer.recordsIssuedTokens: the custom servers), kept until
 * they expire so that the management API's `/clients` and
 * `/clients/{clientId}/tokens` can list and revoke them. Revocation itself is
 * the org-wide revocation list (revocations.ts, the one every verifier
 * consults); the record is deleted with it, so a revoked token is no longer
 * listed.
 */
const tokens = authorizationServerTokens;

export type IssuedToken = typeof authorizationServerTokens.$inferSelect;

export const TOKEN_TYPE = "OAuth2Token";

export interface IssuedTokenInput {
  orgId: string;
  authServerId: string;
  jti: string;
  clientId: string;
  scopes: string[];
  iat: number;
  exp: number;
}

/** Records a freshly minted token, and removes the org's expired records (kept small), in one batch. */
export async function recordIssuedToken(db: Db, input: IssuedTokenInput): Promise<void> {
  await runBatch(db, recordIssuedTokenStatements(db, input));
}

/** The statements of recordIssuedToken, for a caller that writes more in the same batch (a user grant's refresh token). */
export function recordIssuedTokenStatements(db: Db, input: IssuedTokenInput): Statement[] {
  const now = new Date(input.iat * 1000).toISOString();
  return [
    db.insert(tokens).values({
      orgId: input.orgId,
      id: input.jti,
      authServerId: input.authServerId,
      clientId: input.clientId,
      scopes: input.scopes,
      created: now,
      expiresAt: new Date(input.exp * 1000).toISOString(),
    }),
    db.delete(tokens).where(and(eq(tokens.orgId, input.orgId), lte(tokens.expiresAt, now))),
  ];
}

/** Client ids holding unexpired tokens of the server. */
export async function clientsWithTokens(db: Db, orgId: string, authServerId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ clientId: tokens.clientId })
    .from(tokens)
    .where(and(eq(tokens.orgId, orgId), eq(tokens.authServerId, authServerId), gt(tokens.expiresAt, new Date().toISOString())))
    .orderBy(asc(tokens.clientId))
    .all();
  return rows.map((r) => r.clientId);
}

/** The conditions every look-up of a client's tokens shares: its org, server and client, and not yet expired. */
function liveTokensOf(orgId: string, authServerId: string, clientId: string): SQL[] {
  return [
    eq(tokens.orgId, orgId),
    eq(tokens.authServerId, authServerId),
    eq(tokens.clientId, clientId),
    gt(tokens.expiresAt, new Date().toISOString()),
  ];
}

/** Keyset page of a client's unexpired tokens, oldest first. */
export async function listClientTokens(
  db: Db,
  orgId: string,
  authServerId: string,
  clientId: string,
  page: { limit: number; after?: (string | number | null)[] },
): Promise<IssuedToken[]> {
  const where = liveTokensOf(orgId, authServerId, clientId);
  if (page.after) {
    const [created, id] = page.after.map(String) as [string, string];
    where.push(afterCreated(tokens, created, id));
  }
  return db
    .select()
    .from(tokens)
    .where(and(...where))
    .orderBy(asc(tokens.created), asc(tokens.id))
    .limit(page.limit + 1)
    .all();
}

export async function findClientToken(db: Db, orgId: string, authServerId: string, clientId: string, tokenId: string): Promise<IssuedToken | null> {
  const row = await db
    .select()
    .from(tokens)
    .where(and(...liveTokensOf(orgId, authServerId, clientId), eq(tokens.id, tokenId)))
    .get();
  return row ?? null;
}

/** Revokes the given tokens (refused by every verifier from now on) and forgets their records, in one batch. */
export async function revokeIssuedTokens(db: Db, orgId: string, rows: IssuedToken[]): Promise<void> {
  if (!rows.length) return;
  const revokedAt = Date.now();
  const statements: BatchItem<"sqlite">[] = [];
  for (const row of rows) {
    const exp = Math.ceil(Date.parse(row.expiresAt) / 1000);
    statements.push(revokeTokenStatement(db, orgId, { jti: row.id, cid: row.clientId, exp }, revokedAt));
    statements.push(db.delete(tokens).where(and(eq(tokens.orgId, orgId), eq(tokens.id, row.id))));
  }
  await runBatch(db, statements);
  for (const row of rows) noteRevoked(orgId, row.id, revokedAt);
}

/** Every unexpired token of a client at a server (revoke all). */
export async function allClientTokens(db: Db, orgId: string, authServerId: string, clientId: string): Promise<IssuedToken[]> {
  return db
    .select()
    .from(tokens)
    .where(and(...liveTokensOf(orgId, authServerId, clientId)))
    .all();
}

/** Forgets the record of a token revoked through …/v1/revoke (a statement for the revocation's batch). */
export function forgetIssuedTokenStatement(db: Db, orgId: string, jti: string) {
  return db.delete(tokens).where(and(eq(tokens.orgId, orgId), eq(tokens.id, jti)));
}

/** Forgets every record of a deleted server's tokens (a statement for the caller's batch). */
export function forgetServerTokensStatement(db: Db, orgId: string, authServerId: string) {
  return db.delete(tokens).where(and(eq(tokens.orgId, orgId), eq(tokens.authServerId, authServerId)));
}
