/**
 * The session service — what every caller that needs "is a browser signed
 * in?" uses (the sessions API here, the sign-in pages, and next the
 * authorize endpoint and the access pipeline's session slot):
 *
 *   createSession(db, org, { userId, authenticatedAt, amr? })  → { id, session }
 *       after a password check or a redeemed sessionToken; `id` is the `sid` value.
 *   findSession(db, org, cookieHeader)                          → ActiveSession | null
 *       the request's live session in this org: expired sessions and sessions of
 *       users no longer ACTIVE do not count (REFERENCE-SIGNIN §4.4 ⚠).
 *   findSessionById(db, org, id)                                → ActiveSession | null
 *   refreshSession(db, session)                                 → ActiveSession (expiry slid)
 *   endSession(db, orgId, id)                                   → boolean (false: there was none)
 *   endUserSessions(db, orgId, userId, { keep? })               → every session of a user but `keep`
 *   sessionCookie(org, id) / clearedSessionCookie(org)          → Set-Cookie values
 *
 * Cookie: `sid`, HttpOnly, SameSite=Lax (it must ride the top-level redirect
 * back from an app to /authorize), Secure when the org URL is https, no
 * Expires (Okta's default `usePersistentCookie: false`), and Path = the org's
 * path: `/` for the default org, `/orgs/{slug}` for the others. The default
 * org's cookie is still sent to `/orgs/...`, so a request may carry several
 * `sid`s: each is tried, and only a session of this org is ever found.
 */
import { and, eq, gt, inArray, ne } from "drizzle-orm";
import { runBatch, type Statement } from "../platform/batch";
import type { Db, Org } from "../platform/context";
import { randomBase62, sha256Hex } from "../platform/ids";
import { findUser, type UserRecord } from "../users/record";
import { expiredSigninSweep } from "./cleanup";
import { sessions } from "./table";

/** Global session policy defaults (§3.3): 120 minutes idle, no maximum lifetime. */
export const SESSION_IDLE_MINUTES = 120;
export const SID_COOKIE = "sid";

export interface ActiveSession {
  /** The session id, which is the `sid` cookie value. */
  id: string;
  orgId: string;
  user: UserRecord;
  createdAt: string;
  expiresAt: string;
  lastPasswordVerification: string | null;
  amr: string[];
}

const idleExpiry = () => new Date(Date.now() + SESSION_IDLE_MINUTES * 60_000).toISOString();

/** Okta's session ids: 25 characters, e.g. 102… (REFERENCE-SIGNIN §0). */
const newSessionId = () => "102" + randomBase62(22);

export async function createSession(
  db: Db,
  org: Org,
  input: { userId: string; authenticatedAt: string; amr?: string[] },
): Promise<{ id: string; expiresAt: string }> {
  const id = newSessionId();
  const expiresAt = idleExpiry();
  // The org's expired sessions and authn tokens go in the same batch (cleanup.ts).
  await runBatch(db, [
    db.insert(sessions).values({
      orgId: org.id,
      idHash: await sha256Hex(id),
      userId: input.userId,
      createdAt: new Date().toISOString(),
      expiresAt,
      lastPasswordVerification: input.authenticatedAt,
      amr: input.amr ?? ["pwd"],
    }),
    ...expiredSigninSweep(db, org.id),
  ]);
  return { id, expiresAt };
}

/** Every `sid` value in a Cookie header (there may be one per org path). */
export function sidValues(cookieHeader: string | undefined | null): string[] {
  if (!cookieHeader) return [];
  const out: string[] = [];
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== SID_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (/^[0-9A-Za-z_-]{10,64}$/.test(value)) out.push(value);
  }
  return out.slice(0, 5);
}

async function lookUp(db: Db, org: Org, ids: string[]): Promise<ActiveSession | null> {
  if (ids.length === 0) return null;
  const hashes = await Promise.all(ids.map((id) => sha256Hex(id)));
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.orgId, org.id), inArray(sessions.idHash, hashes), gt(sessions.expiresAt, new Date().toISOString())))
    .all();
  for (const row of rows) {
    const user = await findUser(db, org.id, row.userId);
    if (!user || user.status !== "ACTIVE") continue;
    return {
      id: ids[hashes.indexOf(row.idHash)]!,
      orgId: org.id,
      user,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      lastPasswordVerification: row.lastPasswordVerification,
      amr: row.amr,
    };
  }
  return null;
}

export function findSession(db: Db, org: Org, cookieHeader: string | undefined | null): Promise<ActiveSession | null> {
  return lookUp(db, org, sidValues(cookieHeader));
}

export function findSessionById(db: Db, org: Org, id: string): Promise<ActiveSession | null> {
  return lookUp(db, org, [id]);
}

/** Slides the idle expiry (§3.3: last activity + idle minutes). */
export async function refreshSession(db: Db, session: ActiveSession): Promise<ActiveSession> {
  const expiresAt = idleExpiry();
  await db
    .update(sessions)
    .set({ expiresAt })
    .where(and(eq(sessions.orgId, session.orgId), eq(sessions.idHash, await sha256Hex(session.id))));
  return { ...session, expiresAt };
}

export async function endSession(db: Db, orgId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(sessions)
    .where(and(eq(sessions.orgId, orgId), eq(sessions.idHash, await sha256Hex(id))))
    .returning({ idHash: sessions.idHash });
  return rows.length > 0;
}

/**
 * Ends a user's sessions; `keep` (a session id) survives, for "sign out my
 * other sessions". `alsoInBatch` runs in the same batch (revoking the
 * user's OAuth tokens).
 */
export async function endUserSessions(db: Db, orgId: string, userId: string, options: { keep?: string; alsoInBatch?: Statement[] } = {}) {
  const where = options.keep
    ? and(eq(sessions.orgId, orgId), eq(sessions.userId, userId), ne(sessions.idHash, await sha256Hex(options.keep)))
    : and(eq(sessions.orgId, orgId), eq(sessions.userId, userId));
  await runBatch(db, [db.delete(sessions).where(where), ...(options.alsoInBatch ?? [])]);
}

/** The path the org's cookies are scoped to: keeps orgs under /orgs/{slug} apart. */
export function cookiePath(org: Org): string {
  return new URL(org.url).pathname.replace(/\/+$/, "") || "/";
}

function attributes(org: Org): string {
  const secure = new URL(org.url).protocol === "https:" ? "; Secure" : "";
  return `Path=${cookiePath(org)}; HttpOnly; SameSite=Lax${secure}`;
}

export function sessionCookie(org: Org, id: string): string {
  return `${SID_COOKIE}=${id}; ${attributes(org)}`;
}

export function clearedSessionCookie(org: Org): string {
  return `${SID_COOKIE}=; Max-Age=0; ${attributes(org)}`;
}
