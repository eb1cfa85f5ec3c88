import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "../platform/context";
import { ApiError, Errors } from "../platform/errors";
import { bearerChallenge } from "./access-token";
import { requiredScope, type Access } from "./route-table";
import { holdsScope } from "./scopes";

/**
 * Last step of the access pipeline: the actor against the route's row. An
 * access token must hold the row's scope (or one implying it); SSWS tokens
 * hold every scope. Admin roles and their targets are checked after the
 * scope, as a further step registered after this one in app.ts.
 */
export const authorize: MiddlewareHandler<AppEnv> = async (c, next) => {
  const row = c.get("route");
  if (!row || row.access.kind !== "scope") return next();
  const actor = c.var.actor;
  if (actor.via === "accessToken" && !holdsScope(actor.scopes, requiredScope(row.access))) {
    throw insufficientScope(c, row.access);
  }
  return next();
};

/** 403 with the challenge naming the route's scope (REFERENCE §6.5), with the body the row says. */
export function insufficientScope(c: AppContext, access: Extract<Access, { kind: "scope" }>): ApiError {
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
