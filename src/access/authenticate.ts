import type { MiddlewareHandler } from "hono";
import { sameSecret } from "../platform/timing-safe";
import type { AppContext, AppEnv } from "../platform/context";
import { Errors, notFound } from "../platform/errors";
import { sha256Hex } from "../platform/ids";
import { findApiToken } from "../orgs/api-tokens";
import { orgRouteOf } from "../orgs/route";
import { findSession, type ActiveSession } from "../signin/sessions";
import type { Actor } from "./actor";
import { verifyAccessTokenRequest } from "./access-token";
import { requiredScope } from "./route-table";

/**
 * Second step of the access pipeline (after org resolution): the request's
 * credential is read once and turned into the Actor (REFERENCE §6.5).
 * Operator rows take the operator's token, outside any org; public rows
 * take none here; session rows take the browser's `sid` cookie alone (no
 * session: 404, REFERENCE-SIGNIN §3.1); scope rows take an SSWS API token
 * or a Bearer / DPoP access token. No credential, or a scheme Okta does not
 * know, is treated by Okta as a cookie-session request: the rows that take
 * a session (okta-auth-js reading `/users/me` with credentials) read it,
 * and without one it is 403 E0000005.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const row = c.get("route");
  if (!row || row.access.kind === "public") return next();
  if (row.access.kind === "operator") {
    await checkOperator(c);
    return next();
  }
  if (row.access.kind === "session") {
    const session = await findSession(c.var.db, c.var.org, c.req.header("cookie"));
    if (!session) throw notFound("me", "Session");
    useSession(c, session);
    return next();
  }
  if (row.access.session && !c.req.header("authorization")) {
    const session = await findSession(c.var.db, c.var.org, c.req.header("cookie"));
    if (!session) throw Errors.invalidSession();
    useSession(c, session);
    return next();
  }
  c.set("actor", await actorOf(c, requiredScope(row.access)));
  return next();
};

function useSession(c: AppContext, session: ActiveSession): void {
  c.set("session", session);
  c.set("actor", { kind: "user", via: "session", userId: session.user.id, sessionId: session.id });
}

/** The Actor of the request's credential; also for PUBLIC routes that accept an optional one (the authn API's trusted apps). */
export async function actorOf(c: AppContext, scope: string): Promise<Actor> {
  const authorization = c.req.header("authorization");
  if (!authorization) throw Errors.invalidSession();
  const space = authorization.indexOf(" ");
  const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
  const credential = space < 0 ? "" : authorization.slice(space + 1).trim();

  if (scheme === "ssws") return apiTokenActor(c, credential);
  if (scheme === "bearer" || scheme === "dpop") {
    return verifyAccessTokenRequest(c, scheme === "dpop" ? "DPoP" : "Bearer", credential, scope);
  }
  throw Errors.invalidSession();
}

async function apiTokenActor(c: AppContext, token: string): Promise<Actor> {
  const org = c.var.org;
  if (token) {
    // The default org's bootstrap token is a secret, not a row: compare digests so timing says nothing.
    const bootstrap = c.env.BOOTSTRAP_API_TOKEN;
    if (org.slug === "default" && bootstrap && (await sameSecret(token, bootstrap))) {
      return { kind: "admin", via: "apiToken", userId: org.adminUserId };
    }
    const found = await findApiToken(c.var.db, org.id, token);
    if (found) return { kind: "admin", via: "apiToken", userId: found.userId, tokenId: found.id };
  }
  throw Errors.invalidToken();
}

/** /_edgeorg answers at the root only, to the operator's Bearer token. */
async function checkOperator(c: AppContext): Promise<void> {
  if (orgRouteOf(c.req.raw).slug !== null) throw Errors.pathNotFound();
  const expected = c.env.OPERATOR_TOKEN;
  const authorization = c.req.header("authorization") ?? "";
  const presented = authorization.toLowerCase().startsWith("bearer ") ? authorization.slice(7).trim() : "";
  // Digests of equal length compared: the comparison's time says nothing about the secret.
  if (!expected || !presented || !(await sameSecret(presented, expected))) {
    throw Errors.invalidToken();
  }
}
