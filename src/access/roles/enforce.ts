import { findApp, findAppByClientId } from "../../apps/service";
import { isMemberOfAny } from "../../groups/service";
import type { Db } from "../../platform/context";
import { Errors } from "../../platform/errors";
import { findUser } from "../../users/service";
import { holdingsOf, type Holder, type Holding } from "./holdings";
import { ALL, OWN, ROLE_PERMISSIONS, TARGET_KIND, targetKindOf, type Permission, type RoleType } from "./permissions";
import { FILTERED_LISTS } from "./route-permissions";
import type { Targets } from "./targets";

export type { Targets };
export type Reach = typeof ALL | typeof OWN | Targets;

/** The union of an actor's roles (REFERENCE-SIGNIN §8.4), computed once per request. */
export interface Permissions {
  roles: Set<RoleType>;
  reach: Map<Permission, Reach>;
}

export async function permissionsFor(db: Db, orgId: string, holder: Holder): Promise<Permissions> {
  return permissionsOf(await holdingsOf(db, orgId, holder));
}

export function permissionsOf(holdings: Holding[]): Permissions {
  const roles = new Set<RoleType>();
  const reach = new Map<Permission, Reach>();
  for (const { assignment, targets } of holdings) {
    const type = assignment.type as RoleType;
    const table = ROLE_PERMISSIONS[type];
    if (!table) continue;
    roles.add(type);
    const limited = TARGET_KIND[type] !== undefined && targets.length > 0;
    for (const [permission, level] of Object.entries(table) as [Permission, Reach][]) {
      const held = reach.get(permission);
      if (held === ALL) continue;
      if (level === ALL || (level !== OWN && !limited)) {
        reach.set(permission, ALL);
      } else if (level === OWN) {
        if (held === undefined) reach.set(permission, OWN);
      } else {
        const union: Targets = held && held !== OWN ? held : { groupIds: new Set(), appNames: new Set(), appIds: new Set() };
        for (const t of targets) {
          if (t.kind === "GROUP") union.groupIds.add(t.targetId);
          else if (t.appId) union.appIds.add(t.appId);
          else union.appNames.add(t.targetId);
        }
        reach.set(permission, union);
      }
    }
  }
  return { roles, reach };
}

/** A route outside every role of the actor: 403 E0000006 (REFERENCE-SIGNIN §7.1 step 3). */
export function authorizeRoute(perms: Permissions, permission: Permission): Reach {
  const reach = perms.reach.get(permission);
  if (reach === undefined) throw Errors.forbidden();
  return reach;
}

/**
 * A single object outside the role's targets: 403 E0000006 (§7.1 step 4).
 * The object is named by the route's parameters; a targeted role on a route
 * that names no object (create, group rules) is refused, except on the
 * lists that filter their rows (listReach).
 */
export async function authorizeObject(
  db: Db,
  orgId: string,
  route: { method: string; path: string; params: Record<string, string> },
  permission: Permission,
  reach: Reach,
): Promise<void> {
  if (reach === ALL || reach === OWN) return;
  const kind = targetKindOf(permission);
  const { params } = route;
  if (kind === "GROUP" && permission.startsWith("users.") && params.id !== undefined && params.id !== "me") {
    const user = await findUser(db, orgId, params.id);
    if (user && (await isMemberOfAny(db, orgId, user.id, [...reach.groupIds]))) return;
  } else if (kind === "GROUP" && permission.startsWith("groups.") && params.groupId !== undefined) {
    if (reach.groupIds.has(params.groupId)) return;
  } else if (kind === "APP" && (params.appId !== undefined || params.clientId !== undefined)) {
    const app = params.appId !== undefined ? await findApp(db, orgId, params.appId) : await findAppByClientId(db, orgId, params.clientId!);
    if (app && (reach.appIds.has(app.id) || reach.appNames.has(app.name))) return;
  } else if (route.method === "GET" && FILTERED_LISTS.has(`GET ${route.path}`)) {
    return;
  }
  throw Errors.forbidden();
}
