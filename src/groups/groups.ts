import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { assignmentDeletesForGroup } from "../apps/assignment-cleanup";
import type { Db, Org } from "../platform/context";
import { Errors, notFound, oktaError, validationError, type ApiError } from "../platform/errors";
import { IdPrefix, newId, nowIso } from "../platform/ids";
import { roleDeletesForAssignee, roleDeletesForTarget } from "../access/roles/store";
import { profileValueCauses } from "../platform/profile-values";
import { groupJson, type GroupEmbeds, type GroupRow, type GroupStats } from "./json";
import { groupMemberships, groupOwners, groupRuleTargets, groupRules, groups } from "./table";
import { runBatch } from "../platform/batch";

export const MAX_NAME = 255;
export const MAX_DESCRIPTION = 1024;
const BUILT_IN_ATTRIBUTES = new Set(["name", "description"]);

export function groupNotFound(id: string): ApiError {
  return notFound(id, "UserGroup");
}

/**
 * Everyone (BUILT_IN) is Okta-managed and imported groups (APP_GROUP) are
 * mastered by their app: their profile and members are read-only through the
 * API. The reference leaves the refusal open (⚠); a permission refusal is what
 * Okta answers for operations the object does not allow.
 */
export function notManageable(): ApiError {
  return oktaError(403, "E0000006", "You do not have permission to perform the requested action");
}

export async function findGroup(db: Db, orgId: string, id: string): Promise<GroupRow | null> {
  return (
    (await db
      .select()
      .from(groups)
      .where(and(eq(groups.orgId, orgId), eq(groups.id, id)))
      .get()) ?? null
  );
}

export async function requireGroup(db: Db, orgId: string, id: string): Promise<GroupRow> {
  const row = await findGroup(db, orgId, id);
  if (!row) throw groupNotFound(id);
  return row;
}

export async function requireOktaGroup(db: Db, orgId: string, id: string): Promise<GroupRow> {
  const row = await requireGroup(db, orgId, id);
  if (row.type !== "OKTA_GROUP") throw notManageable();
  return row;
}

/**
 * POST and PUT bodies: `{ profile: { name, description?, …custom } }`. Custom
 * attributes are accepted when they are scalars or arrays of scalars (edgeorg
 * has no group profile schema to declare them in).
 */
export function readGroupProfile(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw validationError(["profile: The field cannot be left blank"]);
  }
  const profile = (body as { profile?: unknown }).profile;
  if (profile === undefined || profile === null) throw validationError(["profile: The field cannot be left blank"]);
  if (typeof profile !== "object" || Array.isArray(profile)) throw validationError(["profile: The field must be an object"]);
  const causes: string[] = [];
  const p = profile as Record<string, unknown>;
  if (p.name === undefined || p.name === null || (typeof p.name === "string" && p.name.trim() === "")) {
    causes.push("name: The field cannot be left blank");
  } else if (typeof p.name !== "string") {
    causes.push("name: The field must be a string");
  } else if (p.name.length > MAX_NAME) {
    causes.push(`name: The field cannot exceed ${MAX_NAME} characters`);
  }
  if (p.description !== undefined && p.description !== null) {
    if (typeof p.description !== "string") causes.push("description: The field must be a string");
    else if (p.description.length > MAX_DESCRIPTION) causes.push(`description: The field cannot exceed ${MAX_DESCRIPTION} characters`);
  }
  causes.push(...profileValueCauses(p, BUILT_IN_ATTRIBUTES));
  if (causes.length) throw validationError(causes);
  return p;
}

async function assertNameFree(db: Db, orgId: string, nameLower: string, exceptId?: string): Promise<void> {
  const clash = await db
    .select({ id: groups.id })
    .from(groups)
    .where(
      and(
        eq(groups.orgId, orgId),
        eq(groups.nameLower, nameLower),
        eq(groups.type, "OKTA_GROUP"),
        exceptId ? ne(groups.id, exceptId) : undefined,
      ),
    )
    .get();
  if (clash) throw Errors.alreadyExists("name");
}

function isUniqueViolation(error: unknown): boolean {
  return String(error).includes("UNIQUE") || String((error as { cause?: unknown })?.cause).includes("UNIQUE");
}

export async function createGroup(db: Db, orgId: string, profile: Record<string, unknown>): Promise<GroupRow> {
  const name = profile.name as string;
  const nameLower = name.toLowerCase();
  await assertNameFree(db, orgId, nameLower);
  const now = nowIso();
  const row: GroupRow = {
    orgId,
    id: newId(IdPrefix.group),
    type: "OKTA_GROUP",
    name,
    nameLower,
    profile,
    created: now,
    lastUpdated: now,
    lastMembershipUpdated: now,
  };
  try {
    await db.insert(groups).values(row);
  } catch (error) {
    // Two creations raced past the check: the unique index decided.
    if (isUniqueViolation(error)) throw Errors.alreadyExists("name");
    throw error;
  }
  return row;
}

/** PUT: the profile is replaced whole (omitted attributes are cleared). */
export async function replaceGroup(db: Db, orgId: string, id: string, profile: Record<string, unknown>): Promise<GroupRow> {
  const existing = await requireOktaGroup(db, orgId, id);
  const name = profile.name as string;
  const nameLower = name.toLowerCase();
  await assertNameFree(db, orgId, nameLower, id);
  const row: GroupRow = { ...existing, name, nameLower, profile, lastUpdated: nowIso() };
  try {
    await db
      .update(groups)
      .set({ name, nameLower, profile, lastUpdated: row.lastUpdated })
      .where(and(eq(groups.orgId, orgId), eq(groups.id, id)));
  } catch (error) {
    if (isUniqueViolation(error)) throw Errors.alreadyExists("name");
    throw error;
  }
  return row;
}

/**
 * DELETE: the group, its memberships, its owners (and its ownership of other
 * groups), and its place as a rule target — rules that targeted it become
 * INVALID — in one batch. APP_GROUPs may be deleted too (REFERENCE §2.3).
 */
export async function deleteGroup(db: Db, orgId: string, id: string): Promise<void> {
  const existing = await requireGroup(db, orgId, id);
  if (existing.type === "BUILT_IN") throw notManageable();
  const now = nowIso();
  const statements: BatchItem<"sqlite">[] = [
    db
      .update(groupRules)
      .set({ status: "INVALID", lastUpdated: now })
      .where(
        and(
          eq(groupRules.orgId, orgId),
          inArray(
            groupRules.id,
            db
              .select({ id: groupRuleTargets.ruleId })
              .from(groupRuleTargets)
              .where(and(eq(groupRuleTargets.orgId, orgId), eq(groupRuleTargets.groupId, id))),
          ),
        ),
      ),
    db.delete(groupRuleTargets).where(and(eq(groupRuleTargets.orgId, orgId), eq(groupRuleTargets.groupId, id))),
    db.delete(groupMemberships).where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.groupId, id))),
    db
      .delete(groupOwners)
      .where(and(eq(groupOwners.orgId, orgId), or(eq(groupOwners.groupId, id), eq(groupOwners.ownerId, id)))),
    // The group's own admin roles, and its place in other roles' targets.
    ...roleDeletesForAssignee(db, orgId, "GROUP", id),
    ...roleDeletesForTarget(db, orgId, { kind: "GROUP", groupId: id }),
    ...assignmentDeletesForGroup(db, orgId, id),
    db.delete(groups).where(and(eq(groups.orgId, orgId), eq(groups.id, id))),
  ];
  await runBatch(db, statements);
}

/** Correlated count over the membership primary key: no extra bound parameters per group. */
export const usersCountSql = sql<number>`(select count(*) from ${groupMemberships} where ${groupMemberships.orgId} = ${groups.orgId} and ${groupMemberships.groupId} = ${groups.id})`;

/**
 * `_embedded.stats`. appsCount is 0 because edgeorg has no app-to-group
 * assignments yet (GET /groups/{id}/apps is [] for the same reason, so the two
 * agree); group push and admin roles do not exist either.
 */
export function statsOf(usersCount: number): GroupStats {
  return { usersCount, appsCount: 0, groupPushMappingsCount: 0, hasAdminPrivlege: false };
}

export interface Expand {
  stats: boolean;
  app: boolean;
}

export function readExpand(raw: string | undefined): Expand {
  const parts = new Set((raw ?? "").split(",").map((s) => s.trim()));
  return { stats: parts.has("stats"), app: parts.has("app") };
}

export function embedsOf(expand: Expand, usersCount: number | undefined): GroupEmbeds | undefined {
  if (!expand.stats) return undefined; // `app` only exists for APP_GROUPs, of which edgeorg has none.
  return { stats: statsOf(usersCount ?? 0) };
}

export async function countMembers(db: Db, orgId: string, groupId: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.groupId, groupId)))
    .get();
  return row?.n ?? 0;
}

export async function getGroupJson(db: Db, org: Org, id: string, expand: Expand): Promise<Record<string, unknown>> {
  const row = await requireGroup(db, org.id, id);
  const count = expand.stats ? await countMembers(db, org.id, id) : undefined;
  return groupJson(org, row, embedsOf(expand, count));
}

/** Groups by id (≤ 90 per query), for names in rules and owners. */
export async function groupsByIds(db: Db, orgId: string, ids: string[]): Promise<GroupRow[]> {
  const unique = [...new Set(ids)];
  const out: GroupRow[] = [];
  for (let i = 0; i < unique.length; i += 90) {
    out.push(
      ...(await db
        .select()
        .from(groups)
        .where(and(eq(groups.orgId, orgId), inArray(groups.id, unique.slice(i, i + 90))))
        .all()),
    );
  }
  return out;
}
