import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "../../platform/context";
import type { RouteRow } from "../route-table";
import { usersActorMayActOn, type Actor } from "../actor";
import { authorizeObject, authorizeRoute, permissionsFor, type Permissions } from "./enforce";
import type { Holder } from "./holdings";
import { cachedPermissions } from "./holdings-cache";
import { routeParams } from "../route-params";
import { routePermission } from "./route-permissions";

declare module "../../platform/context" {
  interface RequestVariables {
    /** The actor's admin roles, once the route needed one (unset on routes that take none). */
    permissions?: Permissions;
  }
}

/**
 * The role step of the access pipeline, after authorize's scope check
 * (REFERENCE-SIGNIN §7.1): the actor's roles must cover the route's
 * permission, and a targeted role the object the route names. SSWS tokens
 * act with their admin's roles, a user's token with its user's, a
 * client_credentials token with its client's. A request that passed a
 * `.self` row by its `.self` scope alone needs no role.
 */
export const authorizeRoles: MiddlewareHandler<AppEnv> = async (c, next) => {
  const row = c.get("route");
  if (!row || row.access.kind !== "scope") return next();
  await checkRoles(c, row);
  return next();
};

async function checkRoles(c: AppContext, row: RouteRow): Promise<void> {
  if (row.access.kind !== "scope") return;
  const actor = c.var.actor;
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const permission = routePermission(method, row.path, row.access.scope);
  if (permission === null || permission === "self" || usersActorMayActOn(actor, row) !== "any") return;
  const orgId = c.var.org.id;
  const holder = holderOf(actor);
  // Warm, this costs no statement (holdings-cache.ts); the target check below may read the object.
  const perms = await cachedPermissions(orgId, holder, () => permissionsFor(c.var.db, orgId, holder));
  c.set("permissions", perms);
  const reach = authorizeRoute(perms, permission);
  await authorizeObject(c.var.db, orgId, { method, path: row.path, params: routeParams(row.path, c.req.path) }, permission, reach);
}

export function holderOf(actor: Actor): Holder {
  return actor.kind === "client" ? { clientId: actor.clientId } : { userId: actor.userId };
}
