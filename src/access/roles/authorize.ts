import type { Principal } from "../../auth/principal";
import type { AppContext } from "../../platform/context";
import { authorizeObject, authorizeRoute, permissionsFor } from "./enforce";
import type { Holder } from "./holdings";
import { routePermission } from "./route-permissions";

/**
 * The role step of authorization, after the scope (REFERENCE-SIGNIN §7.1):
 * the actor's roles must cover the route's permission, and a targeted role
 * the object the route names. SSWS tokens act with their admin's roles, a
 * user's token with its user's, a client_credentials token with its
 * client's. A request that passed a `.self` row by its `.self` scope alone
 * needs no role.
 */
export async function authorizeRoles(c: AppContext, principal: Principal, routePath: string, scope: string): Promise<void> {
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  const permission = routePermission(method, routePath, scope);
  if (permission === null || permission === "self" || c.var.selfOnly) return;
  const perms = await permissionsFor(c.var.db, c.var.org.id, holderOf(principal));
  c.set("permissions", perms);
  const reach = authorizeRoute(perms, permission);
  await authorizeObject(c.var.db, c.var.org.id, { method, path: routePath, params: paramsOf(routePath, c.req.path) }, permission, reach);
}

export function holderOf(principal: Principal): Holder {
  if (principal.kind === "apiToken") return { userId: principal.userId };
  return principal.userId ? { userId: principal.userId } : { clientId: principal.clientId };
}

/** The values of a route pattern's :params in the (org-relative) request path. */
function paramsOf(pattern: string, path: string): Record<string, string> {
  const names = pattern.split("/");
  const values = path.split("/");
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name.startsWith(":") && values[i] !== undefined) {
      try {
        params[name.slice(1)] = decodeURIComponent(values[i]!);
      } catch {
        params[name.slice(1)] = values[i]!;
      }
    }
  });
  return params;
}
