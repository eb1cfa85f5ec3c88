import { and, eq, gt } from "drizzle-orm";
import type { Db } from "../platform/context";
import { randomBase62, sha256Hex } from "../platform/ids";
import { authnTokens } from "./table";

/**
 * The Authentication API's tokens (REFERENCE-SIGNIN §2.4), stored by SHA-256
 * only. A sessionToken lives 5 minutes and is redeemed once (the row is
 * deleted by the redeeming statement itself, so two redemptions racing cannot
 * both win). A stateToken slides: each use pushes its expiry 60 minutes on.
 */
export const SESSION_TOKEN_SECONDS = 5 * 60;
export const STATE_TOKEN_SECONDS = 60 * 60;

/** Okta's transaction tokens: "00" and 40 characters (42 in all, §0). */
const newTokenValue = () => "00" + randomBase62(40);

export interface StateToken {
  token: string;
  userId: string;
  status: string;
  recoveryType: string | null;
  expiresAt: string;
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

export async function issueSessionToken(db: Db, orgId: string, userId: string, authenticatedAt: string) {
  const token = newTokenValue();
  const expiresAt = inSeconds(SESSION_TOKEN_SECONDS);
  await db.insert(authnTokens).values({
    orgId,
    tokenHash: await sha256Hex(token),
    kind: "session",
    userId,
    authenticatedAt,
    expiresAt,
  });
  return { sessionToken: token, expiresAt };
}

/** Redeems a sessionToken once: the user and when they proved their password, or null (unknown, used or expired). */
export async function redeemSessionToken(
  db: Db,
  orgId: string,
  token: string,
): Promise<{ userId: string; authenticatedAt: string } | null> {
  if (!token) return null;
  const rows = await db
    .delete(authnTokens)
    .where(and(eq(authnTokens.orgId, orgId), eq(authnTokens.tokenHash, await sha256Hex(token)), eq(authnTokens.kind, "session")))
    .returning();
  const row = rows[0];
  if (!row || row.expiresAt <= new Date().toISOString()) return null;
  return { userId: row.userId, authenticatedAt: row.authenticatedAt ?? row.expiresAt };
}

export async function issueStateToken(
  db: Db,
  orgId: string,
  userId: string,
  status: string,
  recoveryType: string | null = null,
): Promise<StateToken> {
  const token = newTokenValue();
  const expiresAt = inSeconds(STATE_TOKEN_SECONDS);
  await db.insert(authnTokens).values({ orgId, tokenHash: await sha256Hex(token), kind: "state", userId, status, recoveryType, expiresAt });
  return { token, userId, status, recoveryType, expiresAt };
}

/** The live stateToken's transaction, its expiry slid forward; null when unknown or expired. */
export async function readStateToken(db: Db, orgId: string, token: unknown): Promise<StateToken | null> {
  if (typeof token !== "string" || !token) return null;
  const expiresAt = inSeconds(STATE_TOKEN_SECONDS);
  const now = new Date().toISOString();
  const rows = await db
    .update(authnTokens)
    .set({ expiresAt })
    .where(
      and(
        eq(authnTokens.orgId, orgId),
        eq(authnTokens.tokenHash, await sha256Hex(token)),
        eq(authnTokens.kind, "state"),
        gt(authnTokens.expiresAt, now),
      ),
    )
    .returning();
  const row = rows[0];
  if (!row) return null;
  return { token, userId: row.userId, status: row.status ?? "", recoveryType: row.recoveryType, expiresAt };
}

/** Ends a transaction (cancel, or the step that completed it). */
export async function endStateToken(db: Db, orgId: string, token: string) {
  return db.delete(authnTokens).where(and(eq(authnTokens.orgId, orgId), eq(authnTokens.tokenHash, await sha256Hex(token))));
}
