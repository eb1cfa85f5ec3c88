import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppContext, AppEnv } from "../platform/context";
import { ApiError, Errors } from "../platform/errors";
import { sha256Hex } from "../platform/ids";
import { resolveOrg } from "../orgs/resolve";
import { orgRouteOf } from "../orgs/route";
import { authenticate } from "./authenticate";
import { bearerChallenge } from "./access-token";
import { OPERATOR, PUBLIC, findScopeRow } from "./scope-table";
import { holdsScope, passesOnlyAsSelf } from "./scopes";
import { authorizeRoles } from "../access/roles/authorize";

/**
 * The one gate every request passes: find the matched route's row in the
 * scope table, resolve the org, read the credential, enforce the row.
 * A matched route with no row is denied; an unmatched path falls through
 * to the 404/405 handler.
 */
export const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const route = matchedRoutes(c).find((r) => r.method !== "ALL");
  if (!route) return next();
  const row = findScopeRow(c.req.method, route.path);
  if (!row) throw Errors.forbidden();

  if (row.access === OPERATOR) {
    if (orgRouteOf(c.req.raw).slug !== null) throw Errors.pathNotFound();
    await checkOperator(c);
    return next();
  }
  await resolveOrg(c);
  if (row.access === PUBLIC) return next();
  const principal = await authenticate(c, row.access);
  if (principal.kind === "accessToken") {
    if (!holdsScope(principal.scopes, row.access)) throw insufficientScope(c, row.access, route.path);
    c.set("selfOnly", passesOnlyAsSelf(principal.scopes, row.access));
  } else {
    c.set("selfOnly", false);
  }
  c.set("principal", principal);
  await authorizeRoles(c, principal, route.path, row.access);
  return next();
};

/**
 * 403 with the challenge naming the route's scope (REFERENCE §6.5). The
 * management API answers with an empty body; client registration
 * (/oauth2/v1/clients) answers with Okta's E0000006 body instead (§4.3).
 */
function insufficientScope(c: AppContext, scope: string, path: string): ApiError {
  const scheme = c.req.header("authorization")?.toLowerCase().startsWith("dpop ") ? "DPoP" : "Bearer";
  const headers = {
    "WWW-Authenticate": bearerChallenge(
      c,
      scheme,
      scope,
      "insufficient_scope",
      "The access token provided does not contain the required scopes.",
    ),
  };
  if (path.startsWith("/oauth2/v1/clients")) {
    const forbidden = Errors.forbidden();
    return new ApiError(403, forbidden.body, headers);
  }
  return new ApiError(403, null, headers);
}

async function checkOperator(c: AppContext): Promise<void> {
  const expected = c.env.OPERATOR_TOKEN;
  const authorization = c.req.header("authorization") ?? "";
  const presented = authorization.toLowerCase().startsWith("bearer ") ? authorization.slice(7).trim() : "";
  // Digests of equal length compared: the comparison's time says nothing about the secret.
  if (!expected || !presented || (await sha256Hex(presented)) !== (await sha256Hex(expected))) {
    throw Errors.invalidToken();
  }
}
