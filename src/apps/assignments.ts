import { and, asc, eq, gt } from "drizzle-orm";
import { findGroup, groupIdsOfUser, membersOfGroups } from "../groups/service";
import type { Db, Org } from "../platform/context";
import { notFound, oktaError, validationError } from "../platform/errors";
import { nowIso } from "../platform/ids";
import { findUser, findUsersByIds, type UserRecord } from "../users/record";
import { refreshTokenDeletesForUserAndClient } from "../oauth/tokens/refresh-tokens";
import { runBatch } from "../platform/batch";
import type { AppRow } from "./service";
import { appGroupAssignments, appUserAssignments } from "./table";

/**
 * App assignment (REFERENCE-SIGNIN §9): users assigned directly (AppUser
 * scope USER) or through a group (scope GROUP). Sign-in asks
 * isUserAssignedToApp; the API lists, assigns and unassigns.
 */

type UserAssignment = typeof appUserAssignments.$inferSelect;
type GroupAssignment = typeof appGroupAssignments.$inferSelect;

/** True when the user is assigned to the app directly or through one of their groups. */
export async function isUserAssignedToApp(db: Db, orgId: string, appId: string, userId: string): Promise<boolean> {
  const direct = await db
    .select({ userId: appUserAssignments.userId })
    .from(appUserAssignments)
    .where(and(eq(appUserAssignments.orgId, orgId), eq(appUserAssignments.appId, appId), eq(appUserAssignments.userId, userId)))
    .get();
  return direct !== undefined || isAssignedThroughGroup(db, orgId, appId, userId);
}

async function isAssignedThroughGroup(db: Db, orgId: string, appId: string, userId: string): Promise<boolean> {
  const groupIds = new Set(await groupIdsOfUser(db, orgId, userId));
  if (groupIds.size === 0) return false;
  const assigned = await db
    .select({ groupId: appGroupAssignments.groupId })
    .from(appGroupAssignments)
    .where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.appId, appId)))
    .all();
  return assigned.some((a) => groupIds.has(a.groupId));
}

// ——— AppUser ———

export interface AppUserView {
  user: UserRecord;
  scope: "USER" | "GROUP";
  userName: string | null;
  profile: Record<string, unknown>;
  created: string;
  lastUpdated: string;
}

export function appUserJson(org: Org, app: AppRow, view: AppUserView) {
  return {
    id: view.user.id,
    created: view.created,
    lastUpdated: view.lastUpdated,
    scope: view.scope,
    status: "ACTIVE",
    statusChanged: view.created,
    passwordChanged: null,
    syncState: "DISABLED",
    // externalId is left out: Okta's examples show null, its schema allows only a string.
    // userNameTemplate ${source.login} (⚠ REFERENCE-SIGNIN §9.1): the login unless one was given.
    credentials: { userName: view.userName ?? String(view.user.profile.login ?? "") },
    profile: view.profile,
    _links: {
      app: { href: `${org.url}/api/v1/apps/${app.id}` },
      user: { href: `${org.url}/api/v1/users/${view.user.id}` },
    },
  };
}

const direct = (user: UserRecord, row: UserAssignment): AppUserView => ({
  user,
  scope: "USER",
  userName: row.userName,
  profile: row.profile,
  created: row.created,
  lastUpdated: row.lastUpdated,
});

/** Every assigned user of an app, by user id ascending, after `after`, at most limit + 1 (to know a next page exists). */
export async function listAppUsers(db: Db, orgId: string, appId: string, options: { after?: string; limit: number; q?: string }) {
  const directRows = await db
    .select()
    .from(appUserAssignments)
    .where(and(eq(appUserAssignments.orgId, orgId), eq(appUserAssignments.appId, appId)))
    .all();
  const groupRows = await db
    .select()
    .from(appGroupAssignments)
    .where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.appId, appId)))
    .all();
  const members = await membersOfGroups(db, orgId, groupRows.map((g) => g.groupId));
  const byUser = new Map<string, { row?: UserAssignment; group?: GroupAssignment }>();
  for (const row of directRows) byUser.set(row.userId, { row });
  const groupById = new Map(groupRows.map((g) => [g.groupId, g]));
  for (const m of members) if (!byUser.has(m.userId)) byUser.set(m.userId, { group: groupById.get(m.groupId) });
  const ids = [...byUser.keys()].filter((id) => !options.after || id > options.after).sort();
  const q = options.q?.toLowerCase();
  const out: AppUserView[] = [];
  for (let i = 0; i < ids.length && out.length <= options.limit; i += 100) {
    const users = await findUsersByIds(db, orgId, ids.slice(i, i + 100));
    users.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const user of users) {
      const entry = byUser.get(user.id)!;
      const view: AppUserView = entry.row
        ? direct(user, entry.row)
        : { user, scope: "GROUP", userName: null, profile: entry.group!.profile, created: entry.group!.lastUpdated, lastUpdated: entry.group!.lastUpdated };
      const userName = (view.userName ?? String(user.profile.login ?? "")).toLowerCase();
      if (q && !userName.startsWith(q) && !String(user.profile.email ?? "").toLowerCase().startsWith(q)) continue;
      out.push(view);
      if (out.length > options.limit) break;
    }
  }
  return out;
}

export async function getAppUser(db: Db, orgId: string, appId: string, userId: string): Promise<AppUserView> {
  const user = await findUser(db, orgId, userId);
  if (user) {
    const row = await db
      .select()
      .from(appUserAssignments)
      .where(and(eq(appUserAssignments.orgId, orgId), eq(appUserAssignments.appId, appId), eq(appUserAssignments.userId, user.id)))
      .get();
    if (row) return direct(user, row);
    const groups = new Set(await groupIdsOfUser(db, orgId, user.id));
    const viaGroup = (
      await db
        .select()
        .from(appGroupAssignments)
        .where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.appId, appId)))
        .orderBy(asc(appGroupAssignments.priority))
        .all()
    ).find((g) => groups.has(g.groupId));
    if (viaGroup) return { user, scope: "GROUP", userName: null, profile: viaGroup.profile, created: viaGroup.lastUpdated, lastUpdated: viaGroup.lastUpdated };
  }
  throw notFound(userId, "AppUser");
}

function readObject(value: unknown, field: string, causes: string[]): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    causes.push(`${field}: The value must be an object`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

function readAppUserBody(body: unknown, causes: string[]) {
  const b = readObject(body, "body", causes) ?? {};
  const profile = readObject(b.profile, "profile", causes);
  const credentials = readObject(b.credentials, "credentials", causes);
  let userName: string | undefined;
  if (credentials?.userName !== undefined) {
    if (typeof credentials.userName !== "string" || !credentials.userName) causes.push("credentials.userName: The field cannot be left blank");
    else userName = credentials.userName;
  }
  return { b, profile, userName };
}

const INACTIVE = new Set(["DEPROVISIONED", "STAGED", "SUSPENDED"]);

/**
 * POST /apps/{appId}/users: assigns a user; a user already assigned
 * directly is updated and answered 200 (§10: idempotent, not 409 E0000062).
 */
export async function assignUser(db: Db, orgId: string, app: AppRow, body: unknown): Promise<AppUserView> {
  const causes: string[] = [];
  const { b, profile, userName } = readAppUserBody(body, causes);
  if (typeof b.id !== "string" || !b.id) causes.push("id: The field cannot be left blank");
  if (causes.length) throw validationError(causes);
  const user = await findUser(db, orgId, b.id as string);
  if (!user) throw notFound(b.id as string, "User");
  if (INACTIVE.has(user.status)) {
    throw oktaError(403, "E0000117", "Cannot assign apps or update app profiles for an inactive user.");
  }
  const at = nowIso();
  const rows = await db
    .insert(appUserAssignments)
    .values({ orgId, appId: app.id, userId: user.id, userName: userName ?? null, profile: profile ?? {}, created: at, lastUpdated: at })
    .onConflictDoUpdate({
      target: [appUserAssignments.orgId, appUserAssignments.appId, appUserAssignments.userId],
      set: { lastUpdated: at, ...(profile ? { profile } : {}), ...(userName ? { userName } : {}) },
    })
    .returning();
  return direct(user, rows[0]!);
}

/** POST /apps/{appId}/users/{userId}: updates a direct assignment's profile or userName. */
export async function updateAppUser(db: Db, orgId: string, app: AppRow, userId: string, body: unknown): Promise<AppUserView> {
  const causes: string[] = [];
  const { profile, userName } = readAppUserBody(body, causes);
  if (causes.length) throw validationError(causes);
  const current = await getAppUser(db, orgId, app.id, userId);
  if (current.scope !== "USER") throw notFound(userId, "AppUser");
  if (INACTIVE.has(current.user.status)) {
    throw oktaError(403, "E0000117", "Cannot assign apps or update app profiles for an inactive user.");
  }
  const at = nowIso();
  const rows = await db
    .update(appUserAssignments)
    .set({ lastUpdated: at, ...(profile ? { profile: { ...current.profile, ...profile } } : {}), ...(userName ? { userName } : {}) })
    .where(and(eq(appUserAssignments.orgId, orgId), eq(appUserAssignments.appId, app.id), eq(appUserAssignments.userId, current.user.id)))
    .returning();
  return direct(current.user, rows[0]!);
}

/**
 * DELETE /apps/{appId}/users/{userId}: only a direct assignment can be
 * removed (⚠ §9.1). A user no longer assigned at all loses the app's
 * refresh tokens in the same batch (§5.3); one still assigned through a
 * group keeps them.
 */
export async function unassignUser(db: Db, orgId: string, app: Pick<AppRow, "id" | "clientId">, userId: string): Promise<void> {
  const user = await findUser(db, orgId, userId);
  const where = user
    ? and(eq(appUserAssignments.orgId, orgId), eq(appUserAssignments.appId, app.id), eq(appUserAssignments.userId, user.id))
    : undefined;
  const direct = where ? await db.select({ userId: appUserAssignments.userId }).from(appUserAssignments).where(where).get() : undefined;
  if (!user || !direct) throw notFound(userId, "AppUser");
  const viaGroup = await isAssignedThroughGroup(db, orgId, app.id, user.id);
  await runBatch(db, [
    db.delete(appUserAssignments).where(where!),
    ...(viaGroup ? [] : refreshTokenDeletesForUserAndClient(db, orgId, user.id, app.clientId)),
  ]);
}

// ——— ApplicationGroupAssignment ———

export function groupAssignmentJson(org: Org, app: AppRow, row: GroupAssignment) {
  return {
    id: row.groupId,
    priority: row.priority,
    lastUpdated: row.lastUpdated,
    profile: row.profile,
    _links: {
      app: { href: `${org.url}/api/v1/apps/${app.id}` },
      self: { href: `${org.url}/api/v1/apps/${app.id}/groups/${row.groupId}` },
      group: { href: `${org.url}/api/v1/groups/${row.groupId}` },
    },
  };
}

export async function listAppGroups(db: Db, orgId: string, appId: string, options: { after?: string; limit: number }) {
  return db
    .select()
    .from(appGroupAssignments)
    .where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.appId, appId), options.after ? gt(appGroupAssignments.groupId, options.after) : undefined))
    .orderBy(asc(appGroupAssignments.groupId))
    .limit(options.limit + 1)
    .all();
}

export async function getAppGroup(db: Db, orgId: string, appId: string, groupId: string): Promise<GroupAssignment> {
  const row = await db
    .select()
    .from(appGroupAssignments)
    .where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.appId, appId), eq(appGroupAssignments.groupId, groupId)))
    .get();
  if (!row) throw notFound(groupId, "ApplicationGroupAssignment");
  return row;
}

/** PUT /apps/{appId}/groups/{groupId} `{priority?, profile?}`: assigns or updates; priority defaults to after the last. */
export async function assignGroup(db: Db, orgId: string, app: AppRow, groupId: string, body: unknown): Promise<GroupAssignment> {
  const causes: string[] = [];
  const b = readObject(body, "body", causes) ?? {};
  const profile = readObject(b.profile, "profile", causes);
  let priority: number | undefined;
  if (b.priority !== undefined && b.priority !== null) {
    if (typeof b.priority !== "number" || !Number.isInteger(b.priority) || b.priority < 0 || b.priority > 100) {
      causes.push("priority: Must be an integer from 0 to 100");
    } else {
      priority = b.priority;
    }
  }
  if (causes.length) throw validationError(causes);
  if (!(await findGroup(db, orgId, groupId))) throw notFound(groupId, "UserGroup");
  const existing = await listAppGroups(db, orgId, app.id, { limit: 1000 });
  const current = existing.find((g) => g.groupId === groupId);
  const at = nowIso();
  const row: GroupAssignment = {
    orgId,
    appId: app.id,
    groupId,
    priority: priority ?? current?.priority ?? existing.filter((g) => g.groupId !== groupId).length,
    profile: profile ?? current?.profile ?? {},
    lastUpdated: at,
  };
  await db
    .insert(appGroupAssignments)
    .values(row)
    .onConflictDoUpdate({
      target: [appGroupAssignments.orgId, appGroupAssignments.appId, appGroupAssignments.groupId],
      set: { priority: row.priority, profile: row.profile, lastUpdated: at },
    });
  return row;
}

export async function unassignGroup(db: Db, orgId: string, appId: string, groupId: string): Promise<void> {
  const rows = await db
    .delete(appGroupAssignments)
    .where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.appId, appId), eq(appGroupAssignments.groupId, groupId)))
    .returning({ groupId: appGroupAssignments.groupId });
  if (rows.length === 0) throw notFound(groupId, "ApplicationGroupAssignment");
}
