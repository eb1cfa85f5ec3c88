import { and, eq, inArray } from "drizzle-orm";
import type { Statement } from "../../platform/batch";
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

/*
 * A consent must not outlive what it names: these go in the batch that
 * deletes the user, the app (its client), the server, or one of its scopes.
 * A consent left behind would be inherited by a new scope of the same name
 * and would be listed for a user or client that no longer exists.
 */

/** Every consent of a user (the user deleted). */
export function consentGrantDeletesForUser(db: Db, orgId: string, userId: string): Statement[] {
  return [db.delete(userConsentGrants).where(and(eq(userConsentGrants.orgId, orgId), eq(userConsentGrants.userId, userId)))];
}

/** Every consent given to a client (the app deleted). */
export function consentGrantDeletesForClient(db: Db, orgId: string, clientId: string): Statement[] {
  return [db.delete(userConsentGrants).where(and(eq(userConsentGrants.orgId, orgId), eq(userConsentGrants.clientId, clientId)))];
}

/** Every consent at a server (the server deleted), or to one of its scopes (the scope deleted; kept by name). */
export function consentGrantDeletesForServer(db: Db, orgId: string, authServerId: string, scopeName?: string): Statement[] {
  const where = and(
    eq(userConsentGrants.orgId, orgId),
    eq(userConsentGrants.authServerId, authServerId),
    scopeName === undefined ? undefined : eq(userConsentGrants.scopeId, scopeName),
  );
  return [db.delete(userConsentGrants).where(where)];
}
