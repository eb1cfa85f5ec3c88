import { compactVerify, decodeProtectedHeader } from "jose";
import { findAppByClientId } from "../../apps/service";
import { readForm } from "../../platform/body";
import type { AppContext } from "../../platform/context";
import { ErrorPage } from "../../signin/pages/components";
import { pageContext, renderPage } from "../../signin/pages/render";
import { clearedSessionCookie, endSession, findSession } from "../../signin/sessions";
import { verificationKey } from "../crypto/jwks";
import type { AuthorizationServer } from "../server";
import { unverifiedClaims } from "../tokens/access-token";

/**
 * RP-initiated logout, GET query or POST form (REFERENCE-SIGNIN §6.4):
 * `id_token_hint` (required) must be an ID token this server signed —
 * signature and issuer checked, an expired one accepted — and names the
 * client (`aud`) and the user (`sub`). A `post_logout_redirect_uri` must be
 * one the client registered, exactly. The browser's session ends when it is
 * the hint's user's (its `sid` cookie is cleared); with no session nothing
 * ends. Then 302 (§10: docs say 302, the spec 200) to the
 * post_logout_redirect_uri with `state`, or to the sign-in page without one.
 * Problems render the error page with 400 and never redirect: the redirect
 * target is not trusted yet. A session of another user is one of them
 * (§10 ⚠: Okta's catalog `id_token_does_not_match_session`), so a stale
 * hint cannot sign the wrong person out.
 */
export async function logoutEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  const params = c.req.method === "POST" ? await readForm(c.req.raw) : new URL(c.req.url).searchParams;
  const hint = params.get("id_token_hint") ?? "";
  const redirectUri = params.get("post_logout_redirect_uri");
  const state = params.get("state");
  if (!hint) return refuse(c, "The 'id_token_hint' parameter is required.");

  const idToken = await verifiedHint(c, server, hint);
  if (!idToken) return refuse(c, "The 'id_token_hint' parameter is not a valid ID token of this authorization server.");
  const app = await findAppByClientId(c.var.db, c.var.org.id, idToken.clientId);
  if (!app) return refuse(c, "The client specified by the 'id_token_hint' is not valid.");
  if (redirectUri !== null && !app.postLogoutRedirectUris.includes(redirectUri)) {
    return refuse(c, "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.");
  }

  const session = await findSession(c.var.db, c.var.org, c.req.header("cookie"));
  if (session && session.user.id !== idToken.userId) {
    return refuse(c, "The 'id_token_hint' does not match the current session. Sign out of the other user's session first.", "id_token_does_not_match_session");
  }
  if (session) {
    await endSession(c.var.db, c.var.org.id, session.id);
    c.header("Set-Cookie", clearedSessionCookie(c.var.org));
  }

  let target = `${c.var.org.url}/login/login.htm`;
  if (redirectUri !== null) {
    const url = new URL(redirectUri);
    if (state !== null) url.searchParams.set("state", state);
    target = url.toString();
  }
  c.header("Cache-Control", "no-store");
  return c.redirect(target, 302);
}

/**
 * The hint's client and user when it is an RS256 JWT signed by one of the
 * server's published keys with the server as issuer. Expiry is not checked:
 * Okta accepts an expired hint (§6.4), which is the common case — ID tokens
 * last an hour, sessions longer.
 */
async function verifiedHint(c: AppContext, server: AuthorizationServer, hint: string): Promise<{ clientId: string; userId: string } | null> {
  const claims = unverifiedClaims(hint);
  if (!claims || claims.iss !== server.issuer || typeof claims.sub !== "string") return null;
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  if (typeof aud !== "string") return null;
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(hint);
    if (header.alg !== "RS256") return null;
    kid = header.kid;
  } catch {
    return null;
  }
  if (typeof kid !== "string" || !kid) return null;
  const key = await verificationKey(c.var.db, c.env.JWKS_CACHE, server.keys, kid);
  if (!key) return null;
  try {
    await compactVerify(hint, key, { algorithms: ["RS256"] });
  } catch {
    return null;
  }
  return { clientId: aud, userId: claims.sub };
}

function refuse(c: AppContext, message: string, code = "invalid_request"): Response | Promise<Response> {
  return renderPage(c, <ErrorPage page={pageContext(c)} title="Sign-out refused" message={message} code={code} />, 400);
}
