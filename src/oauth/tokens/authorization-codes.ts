import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../platform/context";
import { randomBase62, sha256Hex } from "../../platform/ids";
import { oauthAuthorizationCodes } from "../table";

/**
 * The authorization code store (REFERENCE-SIGNIN §4.7, §10: 300 s). A code
 * is a 43-character random value handed to the browser; only its SHA-256 is
 * kept. Redeeming deletes the row in the same statement that reads it, so a
 * code is used at most once even when two exchanges race, and an exchange
 * that then fails a check has still spent it (⚠ §5.2).
 */
export const AUTHORIZATION_CODE_SECONDS = 300;

/** Everything /authorize decided that /token needs. */
export interface CodeGrant {
  authServerId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  scopes: string[];
  nonce: string | null;
  userId: string;
  /** ISO time of the user's authentication. */
  authTime: string;
  amr: string[];
  /** SHA-256 of the session's id. */
  sessionId: string | null;
  /** The access policy's PolicyGrant, decided at /authorize. */
  policy: unknown;
}

export async function issueAuthorizationCode(db: Db, orgId: string, grant: CodeGrant): Promise<string> {
  const code = randomBase62(43);
  const now = new Date();
  // Codes nobody redeemed are swept by the next issue in the org, in the same round trip.
  await db.batch([
    db.insert(oauthAuthorizationCodes).values({
      orgId,
      codeHash: await sha256Hex(code),
      ...grant,
      expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_SECONDS * 1000).toISOString(),
    }),
    db
      .delete(oauthAuthorizationCodes)
      .where(and(eq(oauthAuthorizationCodes.orgId, orgId), lt(oauthAuthorizationCodes.expiresAt, now.toISOString()))),
  ]);
  return code;
}

/** Spends a code: what it was issued for, or null when it is unknown, used or expired. */
export async function redeemAuthorizationCode(db: Db, orgId: string, code: string): Promise<CodeGrant | null> {
  if (!code || code.length > 200) return null;
  const rows = await db
    .delete(oauthAuthorizationCodes)
    .where(and(eq(oauthAuthorizationCodes.orgId, orgId), eq(oauthAuthorizationCodes.codeHash, await sha256Hex(code))))
    .returning();
  const row = rows[0];
  if (!row || row.expiresAt <= new Date().toISOString()) return null;
  const { orgId: _org, codeHash: _hash, expiresAt: _exp, ...grant } = row;
  return grant;
}
