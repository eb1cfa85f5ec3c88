import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "../platform/context";
import { ApiError, Errors } from "../platform/errors";
import { findUser } from "../users/record";
import { bearerChallenge } from "./access-token";
import { usersActorMayActOn } from "./actor";
import { routeParams } from "./route-params";
import { leastScope, requiredScope, type Access } from "./route-table";
import { holdsScope } from "./scopes";

type ScopeAccess = Extract<Access, { kind: "scope" }>;

/**
 * Last step of the access pipeline: the actor against the route's row. An
 * access token must hold the row's scope (or one implying it, or its `.self`
 * variant where the row admits one); SSWS tokens hold every scope; a browser
 * session only reaches the rows that take one (authenticate.ts made it).
 * A token that passed by its `.self` scope alone reaches only its own user,
 * as far as the row's `self` says (REFERENCE-SIGNIN §7.2): another user is
 * insufficient_scope too. Admin roles and their targets are checked after
 * this, as a further step registered after this one in app.ts.
 */
export const authorize: MiddlewareHandler<AppEnv> = async (c, next) => {
  const row = c.get("route");
  if (!row || row.access.kind !== "scope") return next();
  const actor = c.var.actor;
  if (actor.via === "accessToken" && !holdsScope(actor.scopes, leastScope(row.access))) {
    throw insufficientScope(c, row.access);
  }
  const reach = usersActorMayActOn(actor, row);
  if (reach !== "any" && !(await reachesUserParam(c, row.access, row.path, reach.only))) {
    throw insufficientScope(c, row.access);
  }
  return next();
};

/** Whether a caller limited to its own user (`only`) may have the row's `:id`: `me`, or its own id or login where the row says so. */
async function reachesUserParam(c: AppContext, access: ScopeAccess, pattern: string, only: string | undefined): Promise<boolean> {
  const id = routeParams(pattern, c.req.path).id;
  if (id === undefined || id === "me") return true;
  if (access.self !== "meOrId" || only === undefined) return false;
  const user = await findUser(c.var.db, c.var.org.id, id);
  return user?.id === only;
}

/** 403 with the challenge naming the route's scope (REFERENCE §6.5), with the body the row says. */
export function insufficientScope(c: AppContext, access: ScopeAccess): ApiError {
  const scheme = c.req.header("authorization")?.toLowerCase().startsWith("dpop ") ? "DPoP" : "Bearer";
  const headers = {
    "WWW-Authenticate": bearerChallenge(
      c,
      scheme,
      requiredScope(access),
      "insufficient_scope",
      "The access token provided does not contain the required scopes.",
    ),
  };
  return new ApiError(403, access.insufficientScope === "E0000006" ? Errors.forbidden().body : null, headers);
}
