import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../platform/context";
import { notFound, validationError } from "../platform/errors";
import { compileFilter, type AttributeSpec } from "../platform/filter";
import { nowIso } from "../platform/ids";
import { pageOf, parseAfter, parseLimit, type ListQuery, type Page } from "../platform/paging";
import type { UserRecord } from "../users/service";
import { findGroup, groupsByIds, notManageable, requireGroup } from "./groups";
import { requireUser, usersInOrder } from "./members";
import { groupOwners } from "./table";

/** GET /groups/{id}/owners: `limit` default 1000 (spec), clamped to 1000. */
export const OWNER_LIMIT = { default: 1000, max: 1000 };

type OwnerRow = typeof groupOwners.$inferSelect;

const ownerAttributes: Record<string, AttributeSpec> = {
  type: { column: groupOwners.type, type: "string", ops: ["eq"] },
  id: { column: groupOwners.ownerId, type: "string", ops: ["eq"], caseInsensitive: false },
};

function displayNameOfUser(user: UserRecord): string {
  const p = user.profile as Record<string, unknown>;
  const full = [p.firstName, p.lastName].filter((s) => typeof s === "string" && s !== "").join(" ");
  return full || String(p.login ?? user.id);
}

/**
 * GroupOwner (Okta's OpenAPI): owners managed in Okta are OKTA_DIRECTORY,
 * always resolved; displayName is read live (a user's first and last name,
 * a group's name).
 */
async function ownersJson(db: Db, orgId: string, rows: OwnerRow[]): Promise<object[]> {
  const userIds = rows.filter((r) => r.type === "USER").map((r) => r.ownerId);
  const groupIds = rows.filter((r) => r.type === "GROUP").map((r) => r.ownerId);
  const [users, ownerGroups] = await Promise.all([usersInOrder(db, orgId, userIds), groupsByIds(db, orgId, groupIds)]);
  const names = new Map<string, string>();
  for (const u of users) names.set(u.id, displayNameOfUser(u));
  for (const g of ownerGroups) names.set(g.id, g.name);
  return rows.map((r) => ({
    id: r.ownerId,
    type: r.type,
    resolved: true,
    originType: "OKTA_DIRECTORY",
    displayName: names.get(r.ownerId) ?? r.ownerId,
    lastUpdated: r.lastUpdated,
  }));
}

export async function listOwners(db: Db, orgId: string, groupId: string, query: ListQuery): Promise<Page<object>> {
  await requireGroup(db, orgId, groupId);
  const limit = parseLimit(query.limit, OWNER_LIMIT);
  const after = parseAfter(query.after, 1);
  const search = query.search;
  const rows = await db
    .select()
    .from(groupOwners)
    .where(
      and(
        eq(groupOwners.orgId, orgId),
        eq(groupOwners.groupId, groupId),
        after ? gt(groupOwners.ownerId, String(after[0])) : undefined,
        search !== undefined ? compileFilter(search, ownerAttributes, { caseInsensitive: true, param: "search" }) : undefined,
      ),
    )
    .orderBy(asc(groupOwners.ownerId))
    .limit(limit + 1)
    .all();
  const page = pageOf(rows, limit, (r) => [r.ownerId]);
  return { items: await ownersJson(db, orgId, page.items), next: page.next };
}

/**
 * POST /groups/{id}/owners `{id, type}` → 201 GroupOwner. Assigning an
 * existing owner again answers 201 with the existing entry (⚠: idempotent).
 * Everyone has no owners (it is Okta-managed): 403 E0000006.
 */
export async function assignOwner(db: Db, orgId: string, groupId: string, body: unknown): Promise<object> {
  const group = await requireGroup(db, orgId, groupId);
  if (group.type === "BUILT_IN") throw notManageable();
  const b = (body && typeof body === "object" && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const causes: string[] = [];
  if (b.id === undefined || b.id === null || b.id === "") causes.push("id: The field cannot be left blank");
  else if (typeof b.id !== "string") causes.push("id: The field must be a string");
  if (b.type === undefined || b.type === null) causes.push("type: The field cannot be left blank");
  else if (b.type !== "USER" && b.type !== "GROUP") causes.push("type: The field must be one of USER, GROUP");
  if (causes.length) throw validationError(causes);
  const type = b.type as "USER" | "GROUP";
  let ownerId = b.id as string;
  if (type === "USER") {
    ownerId = (await requireUser(db, orgId, ownerId)).id;
  } else if (!(await findGroup(db, orgId, ownerId))) {
    throw notFound(ownerId, "UserGroup");
  }
  const key = and(eq(groupOwners.orgId, orgId), eq(groupOwners.groupId, groupId), eq(groupOwners.ownerId, ownerId));
  let row = await db.select().from(groupOwners).where(key).get();
  if (!row) {
    row = { orgId, groupId, ownerId, type, lastUpdated: nowIso() };
    await db.insert(groupOwners).values(row).onConflictDoNothing();
  }
  return (await ownersJson(db, orgId, [row]))[0]!;
}

export async function removeOwner(db: Db, orgId: string, groupId: string, ownerId: string): Promise<void> {
  await requireGroup(db, orgId, groupId);
  const key = and(eq(groupOwners.orgId, orgId), eq(groupOwners.groupId, groupId), eq(groupOwners.ownerId, ownerId));
  const row = await db.select({ ownerId: groupOwners.ownerId }).from(groupOwners).where(key).get();
  if (!row) throw notFound(ownerId, "GroupOwner");
  await db.delete(groupOwners).where(key);
}
