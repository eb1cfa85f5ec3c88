import { sql } from "drizzle-orm";
import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Groups (REFERENCE §2.2). The profile is stored whole; name is copied out for lookups and sorting. */
export const groups = sqliteTable(
  "groups",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    type: text("type", { enum: ["OKTA_GROUP", "APP_GROUP", "BUILT_IN"] }).notNull(),
    /** profile.name, as given. */
    name: text("name").notNull(),
    /** profile.name lower-cased: uniqueness is case-insensitive, and `q` matches by prefix on it. */
    nameLower: text("name_lower").notNull(),
    /** The whole profile (name, description and custom attributes). */
    profile: text("profile", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
    lastMembershipUpdated: text("last_membership_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // Only Okta-mastered groups must have unique names; imported (APP_GROUP) names may repeat.
    uniqueIndex("groups_okta_name").on(t.orgId, t.nameLower).where(sql`type = 'OKTA_GROUP'`),
    index("groups_name").on(t.orgId, t.nameLower, t.id),
    index("groups_created").on(t.orgId, t.created, t.id),
    index("groups_last_updated").on(t.orgId, t.lastUpdated, t.id),
    index("groups_last_membership_updated").on(t.orgId, t.lastMembershipUpdated, t.id),
  ],
);

/**
 * Who is in which group. rule_id is the group rule that added the membership
 * (null = added by an admin or at user creation), so that deleting a rule with
 * removeUsers=true removes exactly what the rule added.
 */
export const groupMemberships = sqliteTable(
  "group_memberships",
  {
    orgId: text("org_id").notNull(),
    groupId: text("group_id").notNull(),
    userId: text("user_id").notNull(),
    ruleId: text("rule_id"),
    created: text("created").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.groupId, t.userId] }),
    // /users/{id}/groups and deleting a user.
    index("group_memberships_user").on(t.orgId, t.userId, t.groupId),
    // DELETE rule ?removeUsers=true.
    index("group_memberships_rule").on(t.orgId, t.ruleId),
  ],
);

/** Group rules (REFERENCE §2.6). */
export const groupRules = sqliteTable(
  "group_rules",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: ["ACTIVE", "INACTIVE", "INVALID"] }).notNull(),
    expressionType: text("expression_type").notNull(),
    expression: text("expression").notNull(),
    /** conditions.people.users.exclude */
    excludeUserIds: text("exclude_user_ids", { mode: "json" }).$type<string[]>().notNull(),
    /** conditions.people.groups.exclude (stored and echoed; Okta documents it as unsupported). */
    excludeGroupIds: text("exclude_group_ids", { mode: "json" }).$type<string[]>().notNull(),
    /** actions.assignUserToGroups.groupIds, in the order given. */
    groupIds: text("group_ids", { mode: "json" }).$type<string[]>().notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index("group_rules_name").on(t.orgId, t.name, t.id)],
);

/** One row per target group of a rule: finds the rules a deleted group invalidates. */
export const groupRuleTargets = sqliteTable(
  "group_rule_targets",
  {
    orgId: text("org_id").notNull(),
    ruleId: text("rule_id").notNull(),
    groupId: text("group_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.ruleId, t.groupId] }),
    index("group_rule_targets_group").on(t.orgId, t.groupId, t.ruleId),
  ],
);

/** Group owners (GroupOwner in Okta's OpenAPI): users or groups. */
export const groupOwners = sqliteTable(
  "group_owners",
  {
    orgId: text("org_id").notNull(),
    groupId: text("group_id").notNull(),
    ownerId: text("owner_id").notNull(),
    type: text("type", { enum: ["USER", "GROUP"] }).notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.groupId, t.ownerId] }),
    index("group_owners_owner").on(t.orgId, t.ownerId, t.groupId),
  ],
);
