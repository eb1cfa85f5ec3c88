import { permissionFromScope, type Permission } from "./permissions";

/**
 * Which permission a route needs (checked after its scope). By default it
 * follows the route's scope (permissionFromScope); the rows below are the
 * routes whose operation is narrower than their scope says, and the lists
 * that are filtered to a role's targets instead of refused.
 */
const USER = "/api/v1/users/:id";
const HELP_DESK = [
  `${USER}/lifecycle/unlock`,
  `${USER}/lifecycle/reset_password`,
  `${USER}/lifecycle/reset_factors`,
  `${USER}/lifecycle/expire_password`,
  `${USER}/lifecycle/expire_password_with_temp_password`,
  `${USER}/lifecycle/forgot_password`,
  `${USER}/credentials/forgot_password`,
];


const OVERRIDES = new Map<string, Permission | "self">([
  ...HELP_DESK.map((path) => [`POST ${path}`, "users.helpDesk"] as const),
  ["DELETE /api/v1/users/:id/sessions", "users.helpDesk"],
  ["PUT /api/v1/groups/:groupId/users/:userId", "groups.membership"],
  ["DELETE /api/v1/groups/:groupId/users/:userId", "groups.membership"],
  // The caller's own user: any user may read and update itself, admin or not (REFERENCE-SIGNIN §7.2).
  ["GET /api/v1/users/me", "self"],
  ["POST /api/v1/users/me/credentials/change_password", "self"],
  ["POST /api/v1/users/me/credentials/change_recovery_question", "self"],
  ["POST /api/v1/users/me/credentials/forgot_password", "self"],
  ["POST /api/v1/users/me/lifecycle/reset_factors", "self"],
]);

/** Lists whose handler limits the rows to the role's targets (200, maybe empty) rather than refusing. */
export const FILTERED_LISTS = new Set([
  "GET /api/v1/users",
  "GET /api/v1/groups",
  "GET /api/v1/apps",
  "GET /oauth2/v1/clients",
]);

/** The route's permission; "self" needs none; null: the scope names no family roles govern. */
export function routePermission(method: string, path: string, scope: string): Permission | "self" | null {
  return OVERRIDES.get(`${method} ${path}`) ?? permissionFromScope(scope);
}
