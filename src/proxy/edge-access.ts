import { base64url } from "jose";
import { bearerChallenge, verifyAccessTokenRequest } from "../access/access-token";
import type { Actor } from "../access/actor";
import { insufficientScope } from "../access/authorize";
import { authorizeRoute, permissionsFor } from "../access/roles/enforce";
import { ALL } from "../access/roles/permissions";
import { holderOf } from "../access/roles/authorize";
import { routePermission } from "../access/roles/route-permissions";
import { requiredScope, type RouteRow } from "../access/route-table";
import { holdsScope } from "../access/scopes";
import { findApiToken } from "../orgs/api-tokens";
import type { AppContext } from "../platform/context";
import { Errors } from "../platform/errors";
import type { Upstream } from "./config";
import { verifyUpstreamToken } from "./upstream-token";

/**
 * How a forwarded request reaches the upstream, decided at the edge from
 * the caller's credential (the access pipeline's steps, for a proxy org):
 *
 * - pass-through (`asIs`): an SSWS token the proxy org does not know is the
 *   upstream's, forwarded untouched; a Bearer token of the upstream org's
 *   authorization server is verified here (signature against the upstream
 *   JWKS, iss, aud, exp) and must hold the route's scope, else the edge
 *   answers Okta's 401/403 and the request never leaves;
 * - gateway (`as: scope`): the proxy org's own API token, or an access token
 *   its own org authorization server issued, passes the route table (the
 *   full scope: a `.self` token cannot be narrowed upstream) and the admin
 *   roles (unlimited reach only: targets live upstream, where the edge
 *   cannot see them), then the proxy calls with its own upstream credential.
 *
 * Public rows (the upstream's custom authorization servers, authn, hosted
 * pages) carry no credential the edge checks: forwarded as they are.
 */
export type Forwarding = { kind: "asIs" } | { kind: "gateway"; scope: string };

export async function edgeAccess(c: AppContext, row: RouteRow, upstream: Upstream): Promise<Forwarding> {
  if (row.access.kind !== "scope") return { kind: "asIs" };
  const access = row.access;
  const authorization = c.req.header("authorization");
  if (!authorization) throw Errors.invalidSession();
  const space = authorization.indexOf(" ");
  const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
  const credential = space < 0 ? "" : authorization.slice(space + 1).trim();

  if (scheme === "ssws") {
    if (!credential) throw Errors.invalidToken();
    const own = await findApiToken(c.var.db, c.var.org.id, credential);
    if (!own) return { kind: "asIs" };
    return gateway(c, row, { kind: "admin", via: "apiToken", userId: own.userId, tokenId: own.id });
  }
  if (scheme !== "bearer" && scheme !== "dpop") throw Errors.invalidSession();

  if (issuerOf(credential) === c.var.org.url) {
    const actor = await verifyAccessTokenRequest(c, scheme === "dpop" ? "DPoP" : "Bearer", credential, access.scope);
    return gateway(c, row, actor);
  }

  const needed = requiredScope(access);
  const result = await verifyUpstreamToken(credential, upstream, c.var.db, c.env.JWKS_CACHE);
  if (!result.ok) {
    const description = result.reason === "expired" ? "The token has expired." : result.reason === "issuer" ? "The access token provided has an invalid issuer." : "The token is invalid.";
    throw Errors.invalidToken({ "WWW-Authenticate": bearerChallenge(c, "Bearer", needed, "invalid_token", description) });
  }
  const claims = result.claims;
  const through = { clientId: claims.cid, scopes: claims.scp, tokenId: claims.jti };
  c.set("actor", claims.uid ? { kind: "user", via: "accessToken", userId: claims.uid, ...through } : { kind: "client", via: "accessToken", ...through });
  if (!holdsScope(claims.scp, needed)) throw insufficientScope(c, access);
  return { kind: "asIs" };
}

async function gateway(c: AppContext, row: RouteRow, actor: Actor): Promise<Forwarding> {
  if (row.access.kind !== "scope") throw Errors.forbidden();
  c.set("actor", actor);
  const scope = row.access.scope;
  if (actor.via === "accessToken" && !holdsScope(actor.scopes, scope)) throw insufficientScope(c, { ...row.access, self: false });
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const permission = routePermission(method, row.path, scope);
  if (permission !== null && permission !== "self") {
    const reach = authorizeRoute(await permissionsFor(c.var.db, c.var.org.id, holderOf(actor)), permission);
    if (reach !== ALL) throw Errors.forbidden();
  }
  return { kind: "gateway", scope };
}

/** The unverified `iss` of a JWT, only to choose which verifier checks it. */
function issuerOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[1] ?? "")));
    return typeof payload?.iss === "string" ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}
