import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db, Org } from "../platform/context";
import { validationError } from "../platform/errors";
import { nowIso } from "../platform/ids";
import { groupJson } from "./json";
import { groupMemberships, groupOwners, groups } from "./table";
import { evaluateRulesForUser, ruleStatementsForNewUser } from "./rule-eval";

/**
 * The membership service shared by users and groups
 * (brief/contract-users-groups.md). Users call these; they never read the
 * group tables themselves.
 */

export const EVERYONE_PROFILE = { name: "Everyone", description: "All users in your organization" } as const;

/** D1 binds at most 100 parameters per statement; a membership row binds 5. */
export const MEMBERSHIP_ROWS_PER_INSERT = 20;

// The Everyone group of an org never changes id, so each isolate remembers it.
const everyoneCache = new Map<string, string>();

export async function everyoneGroupId(db: Db, orgId: string): Promise<string> {
  const hit = everyoneCache.get(orgId);
  if (hit) return hit;
  const row = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.type, "BUILT_IN"), eq(groups.nameLower, "everyone")))
    .get();
  if (!row) throw new Error(`org ${orgId} has no Everyone group`);
  everyoneCache.set(orgId, row.id);
  return row.id;
}

/**
 * groupIds given when a user is created must name existing OKTA_GROUPs:
 * Everyone and imported groups are managed by Okta, not by the caller.
 * One cause per bad id.
 */
export async function assertAssignableGroups(db: Db, orgId: string, groupIds: string[]): Promise<void> {
  const ids = [...new Set(groupIds)];
  if (ids.length === 0) return;
  const found = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ id: groups.id, type: groups.type })
      .from(groups)
      .where(and(eq(groups.orgId, orgId), inArray(groups.id, ids.slice(i, i + 90))))
      .all();
    for (const r of rows) found.set(r.id, r.type);
  }
  const causes: string[] = [];
  for (const id of ids) {
    const type = found.get(id);
    if (type === undefined) causes.push(`groupIds: Group ${id} does not exist`);
    else if (type !== "OKTA_GROUP") causes.push(`groupIds: Group ${id} is a ${type} group; only OKTA_GROUP memberships can be managed`);
  }
  if (causes.length) throw validationError(causes);
}

/** Multi-row inserts sized to D1's parameter limit; an existing membership is left as it is. */
export function membershipInserts(
  db: Db,
  rows: { orgId: string; groupId: string; userId: string; ruleId: string | null; created: string }[],
): BatchItem<"sqlite">[] {
  const out: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < rows.length; i += MEMBERSHIP_ROWS_PER_INSERT) {
    out.push(db.insert(groupMemberships).values(rows.slice(i, i + MEMBERSHIP_ROWS_PER_INSERT)).onConflictDoNothing());
  }
  return out;
}

/** Bumps lastMembershipUpdated of the given groups (chunked to the parameter limit). */
export function touchMembership(db: Db, orgId: string, groupIds: string[], at: string): BatchItem<"sqlite">[] {
  const ids = [...new Set(groupIds)];
  const out: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    out.push(
      db
        .update(groups)
        .set({ lastMembershipUpdated: at })
        .where(and(eq(groups.orgId, orgId), inArray(groups.id, ids.slice(i, i + 90)))),
    );
  }
  return out;
}

/**
 * Every membership a new user starts with — Everyone, the admin's groupIds,
 * and the ACTIVE group rules' (evaluated against those, rules kept per
 * isolate) — as statements for the user's own batch.
 */
export async function membershipRowsForNewUser(
  db: Db,
  orgId: string,
  user: { id: string; profile: Record<string, unknown> },
  groupIds: string[],
): Promise<BatchItem<"sqlite">[]> {
  const everyone = await everyoneGroupId(db, orgId);
  const created = nowIso();
  const ids = [...new Set([everyone, ...groupIds])];
  return [
    ...membershipInserts(
      db,
      ids.map((groupId) => ({ orgId, groupId, userId: user.id, ruleId: null, created })),
    ),
    ...touchMembership(db, orgId, ids, created),
    ...(await ruleStatementsForNewUser(db, orgId, user, ids)),
  ];
}

/**
 * Removes a deleted user from every group (Everyone included) and from every
 * group's owners. The groups' lastMembershipUpdated is bumped first, while
 * the memberships still say which groups they are.
 */
export function membershipDeletesForUser(db: Db, orgId: string, userId: string): BatchItem<"sqlite">[] {
  const at = nowIso();
  return [
    db
      .update(groups)
      .set({ lastMembershipUpdated: at })
      .where(
        and(
          eq(groups.orgId, orgId),
          inArray(
            groups.id,
            db
              .select({ id: groupMemberships.groupId })
              .from(groupMemberships)
              .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.userId, userId))),
          ),
        ),
      ),
    db.delete(groupMemberships).where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.userId, userId))),
    db.delete(groupOwners).where(and(eq(groupOwners.orgId, orgId), eq(groupOwners.ownerId, userId))),
  ];
}

/**
 * GET /api/v1/users/{id}/groups: every group of the user, not paged (REFERENCE
 * §7.3), ordered by group id. One join over the (org_id, user_id, group_id) index.
 */
export async function listGroupsOfUser(db: Db, org: Org, userId: string): Promise<object[]> {
  const rows = await db
    .select({ group: groups })
    .from(groupMemberships)
    .innerJoin(groups, and(eq(groups.orgId, groupMemberships.orgId), eq(groups.id, groupMemberships.groupId)))
    .where(and(eq(groupMemberships.orgId, org.id), eq(groupMemberships.userId, userId)))
    .orderBy(groupMemberships.groupId)
    .all();
  return rows.map((r) => groupJson(org, r.group));
}

/**
 * Group rules for one user, after the user was created or its profile
 * changed: runs itself, after the user's own write (the rules read the
 * committed memberships). See rule-eval.ts for the semantics.
 */
export async function applyGroupRulesToUser(
  db: Db,
  org: Org,
  user: { id: string; profile: Record<string, unknown> },
): Promise<void> {
  await evaluateRulesForUser(db, org.id, user);
}

/** The ids of the groups a user is in, as a subquery (admin roles held through groups). */
export function groupIdsOfUserQuery(db: Db, orgId: string, userId: string) {
  return db
    .select({ id: groupMemberships.groupId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.userId, userId)));
}

/** The ids of the users in any of the groups, as a subquery (lists limited to a role's group targets). */
export function userIdsInGroupsQuery(db: Db, orgId: string, groupIds: string[]) {
  return db
    .selectDistinct({ id: groupMemberships.userId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), inArray(groupMemberships.groupId, groupIds)));
}

/** True when the user is in at least one of the groups. */
export async function isMemberOfAny(db: Db, orgId: string, userId: string, groupIds: string[]): Promise<boolean> {
  if (!groupIds.length) return false;
  const row = await db
    .select({ id: groupMemberships.groupId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.userId, userId), inArray(groupMemberships.groupId, groupIds)))
    .limit(1)
    .get();
  return row !== undefined;
}

/** The ids of the groups a user is in (app assignment through a group). */
export async function groupIdsOfUser(db: Db, orgId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ groupId: groupMemberships.groupId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.userId, userId)))
    .all();
  return rows.map((r) => r.groupId);
}

/** The groups a user is in, id → name (token claims and access policies, which name groups). */
export async function groupNamesOfUser(db: Db, orgId: string, userId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: groups.id, name: groups.name })
    .from(groupMemberships)
    .innerJoin(groups, and(eq(groups.orgId, groupMemberships.orgId), eq(groups.id, groupMemberships.groupId)))
    .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.userId, userId)))
    .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Members of any of the groups, as (groupId, userId) pairs. */
export async function membersOfGroups(db: Db, orgId: string, groupIds: string[]): Promise<{ groupId: string; userId: string }[]> {
  if (groupIds.length === 0) return [];
  return db
    .select({ groupId: groupMemberships.groupId, userId: groupMemberships.userId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), inArray(groupMemberships.groupId, sql`(SELECT value FROM json_each(${JSON.stringify(groupIds)}))`)))
    .all();
}
