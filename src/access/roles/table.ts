import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Standard admin role assignments (REFERENCE-SIGNIN §8): one row per role
 * held by a user, a group (its members hold it with assignmentType GROUP) or
 * a service client. A principal holds each standard role at most once.
 */
export const roleAssignments = sqliteTable(
  "role_assignments",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    assigneeType: text("assignee_type", { enum: ["USER", "GROUP", "CLIENT"] }).notNull(),
    /** User id, group id, or the client's client_id. */
    assigneeId: text("assignee_id").notNull(),
    /** RoleType: SUPER_ADMIN, ORG_ADMIN, USER_ADMIN… */
    type: text("type").notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("role_assignments_assignee").on(t.orgId, t.assigneeType, t.assigneeId, t.type),
  ],
);

/**
 * What a role assignment is limited to. kind GROUP: target_id is a group id
 * (USER_ADMIN, HELP_DESK_ADMIN, GROUP_MEMBERSHIP_ADMIN). kind APP: target_id
 * is the catalog app name and app_id the instance, '' for every instance of
 * that name (APP_ADMIN). An assignment without rows is unlimited.
 */
export const roleTargets = sqliteTable(
  "role_targets",
  {
    orgId: text("org_id").notNull(),
    assignmentId: text("assignment_id").notNull(),
    kind: text("kind", { enum: ["GROUP", "APP"] }).notNull(),
    targetId: text("target_id").notNull(),
    appId: text("app_id").notNull(),
    created: text("created").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.assignmentId, t.kind, t.targetId, t.appId] }),
    // Deleting a group or an app removes it from every role's targets.
    index("role_targets_target").on(t.orgId, t.kind, t.targetId),
    index("role_targets_app").on(t.orgId, t.appId),
  ],
);
