import type { AppContext } from "../../platform/context";
import { createSession, findSession, findSessionById, refreshSession, sessionCookie, type ActiveSession } from "../../signin/sessions";
import { redeemSessionToken } from "../../signin/tokens";
import { AuthorizeError } from "./errors";
import type { AuthorizeRequest } from "./request";

/**
 * Who is signing in (REFERENCE-SIGNIN §4.4), in this precedence:
 * `prompt=login` sets any session aside; a live `sid` session whose last
 * password check is within `max_age`; else a `sessionToken`, redeemed once,
 * which creates the session and sets `sid` on this very response (Classic
 * ignores a sessionToken when a session already exists [G]). Nobody:
 * `prompt=none` gets login_required, anyone else the sign-in page.
 *
 * A sessionToken is a fresh password check, so it satisfies `prompt=login`
 * too (⚠: the one credential okta-auth-js sends with prompt=login).
 */
export type Authentication = { kind: "user"; session: ActiveSession; authTime: string } | { kind: "sign-in" };

export async function authenticateUser(c: AppContext, request: AuthorizeRequest): Promise<Authentication> {
  const { db, org } = c.var;
  let session = request.prompt.has("login") ? null : await findSession(db, org, c.req.header("cookie"));
  if (session && !withinMaxAge(session, request.maxAge)) session = null;
  if (session) {
    session = await refreshSession(db, session);
  } else if (request.sessionToken) {
    const redeemed = await redeemSessionToken(db, org.id, request.sessionToken);
    if (redeemed) {
      const { id } = await createSession(db, org, redeemed);
      session = await findSessionById(db, org, id);
      // Set even when the user turns out not ACTIVE: the cookie then finds nothing, as a stale one would.
      c.header("Set-Cookie", sessionCookie(org, id), { append: true });
    }
  }
  if (!session) {
    if (request.prompt.has("none")) {
      throw new AuthorizeError("login_required", "The client specified not to prompt, but the user is not logged in.");
    }
    return { kind: "sign-in" };
  }
  return { kind: "user", session, authTime: authTimeOf(session) };
}

const authTimeOf = (session: ActiveSession) => session.lastPasswordVerification ?? session.createdAt;

/** `max_age` (seconds) against the session's last password verification; exceeded = no session (⚠ §4.4). */
function withinMaxAge(session: ActiveSession, maxAge: number | null): boolean {
  if (maxAge === null) return true;
  return Date.now() - Date.parse(authTimeOf(session)) <= maxAge * 1000;
}
