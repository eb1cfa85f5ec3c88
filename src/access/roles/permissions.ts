/**
 * The one table of what each standard admin role may do, by endpoint family
 * (REFERENCE-SIGNIN §8.4, itself a model). Scopes choose the action, roles
 * choose the resources: a route's permission is checked after its scope.
 *
 * Reach:
 * - ALL: every object of the family;
 * - TARGETS: the objects inside the assignment's targets (groups for the
 *   users/groups families, apps for the apps/clients families), or every
 *   object when the assignment has no target;
 * - OWN: the actor's own objects (its API tokens).
 *
 * Where this departs from §8.4 (each a choice, see README "Admin roles"):
 * - ORG_ADMIN may manage everything but roles and app grants; the "not Super
 *   Admins' credentials" limit is not modelled.
 * - USER_ADMIN cannot create users even into its target groups when it has
 *   targets (the body is read after authorization); unlimited, it can.
 * - GROUP_MEMBERSHIP_ADMIN reads every user; its targets limit groups only.
 * - APP_ADMIN and API_ACCESS_MANAGEMENT_ADMIN read users and groups (§8.4 ⚠).
 * - API_ACCESS_MANAGEMENT_ADMIN manages every app: edgeorg's apps are all OIDC.
 * - READ_ONLY_ADMIN reads no roles and no app grants (§8.4 ⚠).
 * - App grants (okta.appGrants.*) and roles are SUPER_ADMIN's alone: only
 *   Super Admins grant okta scopes to apps and manage admins (§7.1, §8.3).
 * - Every admin role may list and revoke its own API tokens; SUPER_ADMIN all.
 * - Sessions by id name no user, so a role limited to group targets cannot
 *   be checked against them: only ORG_ADMIN (and SUPER_ADMIN) reach them;
 *   clearing a user's sessions (DELETE /users/{id}/sessions) is a help-desk
 *   operation on that user.
 * - Trusted origins: ORG_ADMIN manages them, READ_ONLY_ADMIN and
 *   API_ACCESS_MANAGEMENT_ADMIN read them.
 */
export const ROLE_TYPES = [
  "SUPER_ADMIN",
  "ORG_ADMIN",
  "APP_ADMIN",
  "USER_ADMIN",
  "HELP_DESK_ADMIN",
  "GROUP_MEMBERSHIP_ADMIN",
  "READ_ONLY_ADMIN",
  "REPORT_ADMIN",
  "API_ACCESS_MANAGEMENT_ADMIN",
  "WORKFLOWS_ADMIN",
  "ACCESS_CERTIFICATIONS_ADMIN",
  "ACCESS_REQUESTS_ADMIN",
] as const;
export type RoleType = (typeof ROLE_TYPES)[number];

/** Labels as Okta's examples give them (REFERENCE-SIGNIN §8.2). */
export const ROLE_LABELS: Record<RoleType, string> = {
  SUPER_ADMIN: "Super Organization Administrator",
  ORG_ADMIN: "Organization Administrator",
  APP_ADMIN: "Application Administrator",
  USER_ADMIN: "Group Administrator",
  HELP_DESK_ADMIN: "Help Desk Administrator",
  GROUP_MEMBERSHIP_ADMIN: "Group Membership Administrator",
  READ_ONLY_ADMIN: "Read Only Administrator",
  REPORT_ADMIN: "Report Administrator",
  API_ACCESS_MANAGEMENT_ADMIN: "API Access Management Administrator",
  WORKFLOWS_ADMIN: "Workflows Administrator",
  ACCESS_CERTIFICATIONS_ADMIN: "Access Certifications Administrator",
  ACCESS_REQUESTS_ADMIN: "Access Requests Administrator",
};

/** Which kind of target limits a role (§8.2); roles not listed take none. */
export const TARGET_KIND: Partial<Record<RoleType, "GROUP" | "APP">> = {
  USER_ADMIN: "GROUP",
  HELP_DESK_ADMIN: "GROUP",
  GROUP_MEMBERSHIP_ADMIN: "GROUP",
  APP_ADMIN: "APP",
};

/** Endpoint families and what is done to them. */
export const PERMISSIONS = [
  "users.read",
  "users.manage",
  /** reset_password, reset_factors, unlock, expire_password, forgot_password: the help desk's operations. */
  "users.helpDesk",
  "groups.read",
  "groups.manage",
  /** Adding and removing group members. */
  "groups.membership",
  "apps.read",
  "apps.manage",
  "clients.read",
  "clients.manage",
  "authorizationServers.read",
  "authorizationServers.manage",
  "roles.read",
  "roles.manage",
  "appGrants.read",
  "appGrants.manage",
  "apiTokens.read",
  "apiTokens.manage",
  /** Another user's sessions by id (/api/v1/sessions/{id}); the caller's own (/me) take no credential. */
  "sessions.read",
  "sessions.manage",
  "trustedOrigins.read",
  "trustedOrigins.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ALL = "all";
export const TARGETS = "targets";
export const OWN = "own";
export type Reach = typeof ALL | typeof TARGETS | typeof OWN;

const everything = (reach: Reach) => Object.fromEntries(PERMISSIONS.map((p) => [p, reach])) as Record<Permission, Reach>;
const ownTokens = { "apiTokens.read": OWN, "apiTokens.manage": OWN } as const;
const readEverything = {
  "users.read": ALL,
  "groups.read": ALL,
  "apps.read": ALL,
  "clients.read": ALL,
  "authorizationServers.read": ALL,
  "trustedOrigins.read": ALL,
} as const;

export const ROLE_PERMISSIONS: Record<RoleType, Partial<Record<Permission, Reach>>> = {
  SUPER_ADMIN: everything(ALL),
  ORG_ADMIN: {
    ...readEverything,
    "users.manage": ALL,
    "users.helpDesk": ALL,
    "groups.manage": ALL,
    "groups.membership": ALL,
    "apps.manage": ALL,
    "clients.manage": ALL,
    "sessions.read": ALL,
    "sessions.manage": ALL,
    "trustedOrigins.manage": ALL,
    ...ownTokens,
  },
  USER_ADMIN: {
    "users.read": TARGETS,
    "users.manage": TARGETS,
    "users.helpDesk": TARGETS,
    "groups.read": TARGETS,
    "groups.membership": TARGETS,
    ...ownTokens,
  },
  HELP_DESK_ADMIN: { "users.read": TARGETS, "users.helpDesk": TARGETS, "groups.read": TARGETS, ...ownTokens },
  GROUP_MEMBERSHIP_ADMIN: { "users.read": ALL, "groups.read": TARGETS, "groups.membership": TARGETS, ...ownTokens },
  APP_ADMIN: {
    "users.read": ALL,
    "groups.read": ALL,
    "apps.read": TARGETS,
    "apps.manage": TARGETS,
    "clients.read": TARGETS,
    "clients.manage": TARGETS,
    ...ownTokens,
  },
  API_ACCESS_MANAGEMENT_ADMIN: {
    ...readEverything,
    "apps.manage": ALL,
    "clients.manage": ALL,
    "authorizationServers.manage": ALL,
    ...ownTokens,
  },
  READ_ONLY_ADMIN: { ...readEverything, ...ownTokens },
  REPORT_ADMIN: { ...ownTokens },
  WORKFLOWS_ADMIN: { ...ownTokens },
  ACCESS_CERTIFICATIONS_ADMIN: { ...ownTokens },
  ACCESS_REQUESTS_ADMIN: { ...ownTokens },
};

/** The kind of target that limits a permission's family. */
export function targetKindOf(permission: Permission): "GROUP" | "APP" | null {
  if (permission.startsWith("users.") || permission.startsWith("groups.")) return "GROUP";
  if (permission.startsWith("apps.") || permission.startsWith("clients.")) return "APP";
  return null;
}

/**
 * The permission a route needs, from its scope: okta.<family>.read → read,
 * .manage / .register → manage. `.self` routes that act on the caller's own
 * user need no role. Routes whose operation is narrower than the family's
 * manage (membership, help-desk operations) name their permission in the
 * route table.
 */
export function permissionFromScope(scope: string): Permission | null {
  const match = /^okta\.([A-Za-z]+)\.(read|manage|register)(\.self)?$/.exec(scope);
  if (!match) return null;
  const permission = `${match[1]}.${match[2] === "register" ? "manage" : match[2]}`;
  return (PERMISSIONS as readonly string[]).includes(permission) ? (permission as Permission) : null;
}

export function isRoleType(value: unknown): value is RoleType {
  return typeof value === "string" && (ROLE_TYPES as readonly string[]).includes(value);
}
