import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../platform/context";
import { newId, nowIso } from "../../platform/ids";
import { userConsentGrants } from "../table";

/**
 * A user's consents (REFERENCE-SIGNIN §4.6): per user × client ×
 * authorization server × scope, source END_USER, kept until revoked —
 * tokens come and go, the consent stays. Asked once per scope, unless the
 * request says `prompt=consent`.
 */
export interface ConsentKey {
  orgId: string;
  userId: string;
  clientId: string;
  authServerId: string;
}

/** Which of these scopes the user already consented to. */
export async function consentedScopes(db: Db, key: ConsentKey, scopes: string[]): Promise<Set<string>> {
  if (scopes.length === 0) return new Set();
  const rows = await db
    .select({ scopeId: userConsentGrants.scopeId })
    .from(userConsentGrants)
    .where(
      and(
        eq(userConsentGrants.orgId, key.orgId),
        eq(userConsentGrants.userId, key.userId),
        eq(userConsentGrants.clientId, key.clientId),
        eq(userConsentGrants.authServerId, key.authServerId),
        eq(userConsentGrants.status, "ACTIVE"),
        inArray(userConsentGrants.scopeId, scopes),
      ),
    )
    .all();
  return new Set(rows.map((r) => r.scopeId));
}

/** Records consent to these scopes, in one batch; consenting again renews the grant. */
export async function recordConsent(db: Db, key: ConsentKey & { issuer: string }, scopes: string[]): Promise<void> {
  if (scopes.length === 0) return;
  const now = nowIso();
  const [first, ...rest] = scopes.map((scopeId) =>
    db
      .insert(userConsentGrants)
      .values({ ...key, id: newId("oag"), scopeId, source: "END_USER", status: "ACTIVE", created: now, lastUpdated: now })
      .onConflictDoUpdate({
        target: [userConsentGrants.orgId, userConsentGrants.userId, userConsentGrants.clientId, userConsentGrants.authServerId, userConsentGrants.scopeId],
        set: { status: "ACTIVE", lastUpdated: now, issuer: key.issuer },
      }),
  );
  await db.batch([first!, ...rest]);
}
