import { Hono } from "hono";
import { findAppByClientId, findApp } from "../apps/service";
import { findGroup, groupJson, groupsByIds } from "../groups/service";
import { holdingsOf } from "../access/roles/holdings";
import { isRoleType, TARGET_KIND, type RoleType } from "../access/roles/permissions";
import {
  addTarget,
  assignmentsOf,
  deleteAssignment,
  findAssignment,
  insertAssignment,
  newAssignment,
  removeTarget,
  targetsOf,
  type AssigneeType,
  type AssignmentRow,
  type TargetRow,
} from "../access/roles/store";
import type { AppContext, AppEnv } from "../platform/context";
import { notFound, oktaError, validationError } from "../platform/errors";
import { nowIso } from "../platform/ids";
import { findUser } from "../users/service";
import { catalogAppJson, isCatalogApp, roleJson, type RoleEmbeds } from "./json";

/**
 * Standard admin role assignments and their targets (REFERENCE-SIGNIN §8.1),
 * one router mounted under each kind of principal: /api/v1/users/{id}/roles,
 * /api/v1/groups/{groupId}/roles, /oauth2/v1/clients/{clientId}/roles.
 */
interface PrincipalKind {
  type: AssigneeType;
  /** The route parameter naming the principal. */
  param: string;
  /** Status of a successful assignment: the spec's (§10 "Role assign status"). */
  assignedStatus: 200 | 201;
  /** Resolves the principal to the id assignments are stored under; 404 or 400 when it cannot hold roles. */
  resolve(c: AppContext, id: string, forAssignment: boolean): Promise<string>;
}

const USER: PrincipalKind = {
  type: "USER",
  param: "id",
  assignedStatus: 201,
  async resolve(c, id) {
    const user = await findUser(c.var.db, c.var.org.id, id);
    if (!user) throw notFound(id, "User");
    return user.id;
  },
};

const GROUP: PrincipalKind = {
  type: "GROUP",
  param: "groupId",
  assignedStatus: 201,
  async resolve(c, id, forAssignment) {
    const group = await findGroup(c.var.db, c.var.org.id, id);
    if (!group) throw notFound(id, "UserGroup");
    if (forAssignment && group.type === "BUILT_IN") {
      throw oktaError(400, "E0000211", "Admin roles cannot be assigned to a built-in group.");
    }
    if (forAssignment && group.type !== "OKTA_GROUP") {
      throw oktaError(400, "E0000194", "Admin roles can only be assigned to Okta groups.");
    }
    return group.id;
  },
};

const CLIENT: PrincipalKind = {
  type: "CLIENT",
  param: "clientId",
  assignedStatus: 200,
  async resolve(c, id, forAssignment) {
    const app = await findAppByClientId(c.var.db, c.var.org.id, id);
    if (!app) throw notFound(id, "PublicClientApp");
    if (forAssignment && app.applicationType !== "service") {
      throw oktaError(400, "E0000227", "Roles can only be granted to service application type");
    }
    return app.clientId;
  },
};

export const userRoleRoutes = roleRoutes(USER);
export const groupRoleRoutes = roleRoutes(GROUP);
export const clientRoleRoutes = roleRoutes(CLIENT);

function roleRoutes(kind: PrincipalKind): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const principalId = (c: AppContext, forAssignment = false) => kind.resolve(c, c.req.param(kind.param)!, forAssignment);

  /** The principal's assignments; a user's include those of its groups (assignmentType GROUP). */
  async function assignmentsOfPrincipal(c: AppContext, id: string): Promise<AssignmentRow[]> {
    if (kind.type === "USER") return (await holdingsOf(c.var.db, c.var.org.id, { userId: id })).map((h) => h.assignment);
    return assignmentsOf(c.var.db, c.var.org.id, kind.type, id);
  }

  /** The assignment named by :roleAssignmentId, held by this principal (a user also through its groups). */
  async function assignmentParam(c: AppContext, direct: boolean): Promise<AssignmentRow> {
    const id = await principalId(c);
    const roleId = c.req.param("roleAssignmentId")!;
    const row = await findAssignment(c.var.db, c.var.org.id, roleId);
    const held =
      row &&
      ((row.assigneeType === kind.type && row.assigneeId === id) ||
        (!direct && kind.type === "USER" && row.assigneeType === "GROUP" &&
          (await assignmentsOfPrincipal(c, id)).some((a) => a.id === row.id)));
    if (!row || !held) throw notFound(roleId, "Role");
    return row;
  }

  function requireTargetKind(row: AssignmentRow, targetKind: "GROUP" | "APP"): void {
    if (TARGET_KIND[row.type as RoleType] !== targetKind) {
      throw oktaError(400, "E0000091", "The provided role type was not the same as required role type.");
    }
  }

  async function embedsFor(c: AppContext, rows: AssignmentRow[]): Promise<Map<string, RoleEmbeds>> {
    const expand = c.req.query("expand") ?? "";
    const wantGroups = expand.includes("targets/groups");
    const wantApps = expand.includes("targets/catalog/apps");
    const out = new Map<string, RoleEmbeds>();
    if (!wantGroups && !wantApps) return out;
    const targets = await targetsOf(c.var.db, c.var.org.id, rows.map((r) => r.id));
    const groups = wantGroups ? await groupRowsOf(c, targets) : new Map();
    for (const row of rows) {
      const mine = targets.filter((t) => t.assignmentId === row.id);
      out.set(row.id, {
        ...(wantGroups ? { groups: mine.filter((t) => t.kind === "GROUP").flatMap((t) => (groups.has(t.targetId) ? [groups.get(t.targetId)] : [])) } : {}),
        ...(wantApps ? { apps: mine.filter((t) => t.kind === "APP").map((t) => catalogAppJson(c.var.org, t)) } : {}),
      });
    }
    return out;
  }

  async function groupRowsOf(c: AppContext, targets: TargetRow[]): Promise<Map<string, Record<string, unknown>>> {
    const ids = [...new Set(targets.filter((t) => t.kind === "GROUP").map((t) => t.targetId))];
    const rows = await groupsByIds(c.var.db, c.var.org.id, ids);
    return new Map(rows.map((g) => [g.id, groupJson(c.var.org, g)]));
  }

  routes.get("/", async (c) => {
    const rows = await assignmentsOfPrincipal(c, await principalId(c));
    const embeds = await embedsFor(c, rows);
    return c.json(rows.map((row) => roleJson(c.var.org, row, embeds.get(row.id))));
  });

  routes.post("/", async (c) => {
    const id = await principalId(c, true);
    const body = c.var.body;
    if (body === undefined || typeof body !== "object" || body === null || Array.isArray(body)) {
      throw validationError(["type: The role type is required"]);
    }
    const type = (body as Record<string, unknown>).type;
    if (type === undefined || type === null || type === "") throw validationError(["type: The role type is required"]);
    // MOBILE_ADMIN appears in old lists but cannot be assigned; CUSTOM roles (/api/v1/iam) are not built (§10).
    if (!isRoleType(type)) throw validationError([`type: '${String(type).slice(0, 60)}' is not a standard role type`]);
    const row = newAssignment(c.var.org.id, kind.type, id, type);
    if (!(await insertAssignment(c.var.db, row))) {
      throw oktaError(409, "E0000090", "The role specified is already assigned to the user.");
    }
    return c.json(roleJson(c.var.org, row), kind.assignedStatus);
  });

  routes.get("/:roleAssignmentId", async (c) => {
    const row = await assignmentParam(c, false);
    const embeds = await embedsFor(c, [row]);
    return c.json(roleJson(c.var.org, row, embeds.get(row.id)));
  });

  routes.delete("/:roleAssignmentId", async (c) => {
    await deleteAssignment(c.var.db, await assignmentParam(c, true));
    return c.body(null, 204);
  });

  // Group targets: USER_ADMIN, HELP_DESK_ADMIN, GROUP_MEMBERSHIP_ADMIN.
  routes.get("/:roleAssignmentId/targets/groups", async (c) => {
    const row = await assignmentParam(c, false);
    requireTargetKind(row, "GROUP");
    const targets = (await targetsOf(c.var.db, c.var.org.id, [row.id])).filter((t) => t.kind === "GROUP");
    const groups = await groupRowsOf(c, targets);
    return c.json(targets.flatMap((t) => (groups.has(t.targetId) ? [groups.get(t.targetId)] : [])));
  });

  routes.put("/:roleAssignmentId/targets/groups/:targetGroupId", async (c) => {
    const row = await assignmentParam(c, true);
    requireTargetKind(row, "GROUP");
    const groupId = c.req.param("targetGroupId");
    if (!(await findGroup(c.var.db, c.var.org.id, groupId))) throw notFound(groupId, "UserGroup");
    await addTarget(c.var.db, { orgId: c.var.org.id, assignmentId: row.id, kind: "GROUP", targetId: groupId, appId: "", created: nowIso() });
    return c.body(null, 204);
  });

  routes.delete("/:roleAssignmentId/targets/groups/:targetGroupId", async (c) => {
    const row = await assignmentParam(c, true);
    requireTargetKind(row, "GROUP");
    await removeOneTarget(c, row, "GROUP", c.req.param("targetGroupId"), "");
    return c.body(null, 204);
  });

  // App targets: APP_ADMIN, by catalog app name or by instance.
  routes.get("/:roleAssignmentId/targets/catalog/apps", async (c) => {
    const row = await assignmentParam(c, false);
    requireTargetKind(row, "APP");
    const targets = (await targetsOf(c.var.db, c.var.org.id, [row.id])).filter((t) => t.kind === "APP");
    return c.json(targets.map((t) => catalogAppJson(c.var.org, t)));
  });

  const putApp = async (c: AppContext) => {
    const row = await assignmentParam(c, true);
    requireTargetKind(row, "APP");
    const appName = c.req.param("appName")!;
    const appId = c.req.param("appId") ?? "";
    if (!isCatalogApp(appName)) throw notFound(appName, "CatalogApp");
    if (appId) {
      const app = await findApp(c.var.db, c.var.org.id, appId);
      if (!app || app.name !== appName) throw notFound(appId, "AppInstance");
    }
    await addTarget(c.var.db, { orgId: c.var.org.id, assignmentId: row.id, kind: "APP", targetId: appName, appId, created: nowIso() });
    // The group variant answers 200, the others 204 (REFERENCE-SIGNIN §8.1).
    return kind.type === "GROUP" ? c.body(null, 200) : c.body(null, 204);
  };
  const deleteApp = async (c: AppContext) => {
    const row = await assignmentParam(c, true);
    requireTargetKind(row, "APP");
    await removeOneTarget(c, row, "APP", c.req.param("appName")!, c.req.param("appId") ?? "");
    return c.body(null, 204);
  };
  routes.put("/:roleAssignmentId/targets/catalog/apps/:appName", putApp);
  routes.put("/:roleAssignmentId/targets/catalog/apps/:appName/:appId", putApp);
  routes.delete("/:roleAssignmentId/targets/catalog/apps/:appName", deleteApp);
  routes.delete("/:roleAssignmentId/targets/catalog/apps/:appName/:appId", deleteApp);

  return routes;
}

/**
 * Removes one target. The last one stays (400): without targets the role
 * would reach every object, so narrowing it away is refused and the role is
 * unassigned instead ⚠ (Okta's behaviour here is not documented).
 */
async function removeOneTarget(c: AppContext, row: AssignmentRow, kind: "GROUP" | "APP", targetId: string, appId: string): Promise<void> {
  const targets = (await targetsOf(c.var.db, c.var.org.id, [row.id])).filter((t) => t.kind === kind);
  const target = targets.find((t) => t.targetId === targetId && t.appId === appId);
  if (!target) throw notFound(appId || targetId, kind === "GROUP" ? "UserGroup" : "CatalogApp");
  if (targets.length === 1) {
    throw validationError(["target: The last target of a role assignment cannot be removed; unassign the role instead"]);
  }
  await removeTarget(c.var.db, target);
}
