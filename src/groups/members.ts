import { and, asc, eq, gt } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db, Org } from "../platform/context";
import { notFound } from "../platform/errors";
import { nowIso } from "../platform/ids";
import { pageOf, parseAfter, parseLimit, type ListQuery, type Page } from "../platform/paging";
import { findUser, findUsersByIds, userJson, type UserRecord } from "../users/service";
import { requireGroup, requireOktaGroup } from "./groups";
import { evaluateRulesForUser } from "./rule-eval";
import { groupMemberships, groups } from "./table";
import { runBatch } from "../platform/batch";

/** GET /groups/{id}/users: default 1000 (spec); larger limits are clamped to 1000 (⚠). */
export const MEMBER_LIMIT = { default: 1000, max: 1000 };

export async function requireUser(db: Db, orgId: string, idOrLogin: string): Promise<UserRecord> {
  const user = await findUser(db, orgId, idOrLogin);
  if (!user) throw notFound(idOrLogin, "User");
  return user;
}

/** Users by id in the order given (ids of users deleted meanwhile are skipped). */
export async function usersInOrder(db: Db, orgId: string, ids: string[]): Promise<UserRecord[]> {
  const byId = new Map((await findUsersByIds(db, orgId, ids)).map((u) => [u.id, u]));
  return ids.map((id) => byId.get(id)).filter((u): u is UserRecord => u !== undefined);
}

/** Members in any status, keyset-paged by user id (a deep page costs what the first does). */
export async function listMembers(db: Db, org: Org, groupId: string, query: ListQuery): Promise<Page<object>> {
  await requireGroup(db, org.id, groupId);
  const limit = parseLimit(query.limit, MEMBER_LIMIT);
  const after = parseAfter(query.after, 1);
  const rows = await db
    .select({ userId: groupMemberships.userId })
    .from(groupMemberships)
    .where(
      and(
        eq(groupMemberships.orgId, org.id),
        eq(groupMemberships.groupId, groupId),
        after ? gt(groupMemberships.userId, String(after[0])) : undefined,
      ),
    )
    .orderBy(asc(groupMemberships.userId))
    .limit(limit + 1)
    .all();
  const page = pageOf(rows, limit, (r) => [r.userId]);
  const users = await usersInOrder(db, org.id, page.items.map((r) => r.userId));
  return { items: users.map((u) => userJson(org, u, "collection")), next: page.next };
}

/**
 * PUT /groups/{gid}/users/{uid}: idempotent. A membership a rule had added
 * becomes an admin's (rule_id cleared), so deleting the rule with
 * removeUsers=true no longer removes it. lastMembershipUpdated moves only
 * when the membership is new.
 */
export async function addMember(db: Db, orgId: string, groupId: string, userIdOrLogin: string): Promise<void> {
  await requireOktaGroup(db, orgId, groupId);
  const user = await requireUser(db, orgId, userIdOrLogin);
  const key = and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.groupId, groupId), eq(groupMemberships.userId, user.id));
  const existing = await db.select({ ruleId: groupMemberships.ruleId }).from(groupMemberships).where(key).get();
  if (existing) {
    if (existing.ruleId !== null) await db.update(groupMemberships).set({ ruleId: null }).where(key);
    return;
  }
  const now = nowIso();
  const statements: BatchItem<"sqlite">[] = [
    db.insert(groupMemberships).values({ orgId, groupId, userId: user.id, ruleId: null, created: now }).onConflictDoNothing(),
    db.update(groups).set({ lastMembershipUpdated: now }).where(and(eq(groups.orgId, orgId), eq(groups.id, groupId))),
  ];
  await runBatch(db, statements);
  // Rules written with isMemberOfGroup(...) may now match (or stop matching) this user.
  await evaluateRulesForUser(db, orgId, { id: user.id, profile: user.profile as Record<string, unknown> });
}

/** DELETE /groups/{gid}/users/{uid}: 204 whether or not the user was a member (⚠ REFERENCE §2.5). */
export async function removeMember(db: Db, orgId: string, groupId: string, userIdOrLogin: string): Promise<void> {
  await requireOktaGroup(db, orgId, groupId);
  const user = await requireUser(db, orgId, userIdOrLogin);
  const key = and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.groupId, groupId), eq(groupMemberships.userId, user.id));
  const existing = await db.select({ userId: groupMemberships.userId }).from(groupMemberships).where(key).get();
  if (!existing) return;
  const statements: BatchItem<"sqlite">[] = [
    db.delete(groupMemberships).where(key),
    db.update(groups).set({ lastMembershipUpdated: nowIso() }).where(and(eq(groups.orgId, orgId), eq(groups.id, groupId))),
  ];
  await runBatch(db, statements);
  await evaluateRulesForUser(db, orgId, { id: user.id, profile: user.profile as Record<string, unknown> });
}

/**
 * GET /groups/{id}/apps: apps assigned to the group. edgeorg has no
 * app-to-group assignments, so every page is empty (and stats.appsCount is 0).
 */
export const GROUP_APPS_LIMIT = { default: 20, max: 200 };

export async function listGroupApps(db: Db, orgId: string, groupId: string, query: ListQuery): Promise<Page<object>> {
  await requireGroup(db, orgId, groupId);
  parseLimit(query.limit, GROUP_APPS_LIMIT);
  parseAfter(query.after, 1);
  return { items: [], next: undefined };
}
