import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../platform/context";
import { users, type UserStatus } from "./table";

export type { UserStatus } from "./table";
export type UserRecord = typeof users.$inferSelect;

/**
 * The unique form of a login (REFERENCE §1.3): case-insensitive and
 * diacritic-insensitive — NFD splits "é" into "e" + a combining mark, and
 * the marks are dropped.
 */
export function normalizeLogin(login: string): string {
  return login.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** JS lower-casing (Unicode-aware, unlike SQLite's lower()). */
export function lowerText(value: unknown): string | null {
  return typeof value === "string" ? value.toLowerCase() : null;
}

/** The profile with every string (and string in an array) lower-cased: `search` compares against it. */
export function lowerProfile(profile: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(profile)) {
    if (typeof value === "string") out[key] = value.toLowerCase();
    else if (Array.isArray(value)) out[key] = value.map((v) => (typeof v === "string" ? v.toLowerCase() : v));
    else out[key] = value;
  }
  return out;
}

/** The searchable columns derived from a profile; written with every profile change. */
export function profileColumns(profile: Record<string, unknown>) {
  const login = String(profile.login ?? "");
  const loginLower = login.toLowerCase();
  const loginNormalized = normalizeLogin(login);
  return {
    profile,
    profileLower: lowerProfile(profile),
    loginNormalized,
    loginLower,
    // Normalised like the login, so that short names match as logins do.
    shortNameLower: loginNormalized.includes("@") ? loginNormalized.slice(0, loginNormalized.indexOf("@")) : loginNormalized,
    emailLower: lowerText(profile.email),
    firstNameLower: lowerText(profile.firstName),
    lastNameLower: lowerText(profile.lastName),
  };
}

/** Every org has one default user type; its id is derived from the org id so it needs no row. */
export function defaultUserTypeId(orgId: string): string {
  return "oty" + orgId.slice(3);
}

const USER_ID = /^00u[0-9A-Za-z]{17}$/;

/**
 * By id, then login (case- and diacritic-insensitively), then the login's
 * short name (the part before '@') when exactly one user has it.
 */
export async function findUser(db: Db, orgId: string, idOrLogin: string): Promise<UserRecord | null> {
  if (USER_ID.test(idOrLogin)) {
    const byId = await db
      .select()
      .from(users)
      .where(and(eq(users.orgId, orgId), eq(users.id, idOrLogin)))
      .get();
    if (byId) return byId;
  }
  const byLogin = await db
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.loginNormalized, normalizeLogin(idOrLogin))))
    .get();
  if (byLogin) return byLogin;
  if (idOrLogin.includes("@")) return null;
  const byShortName = await db
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.shortNameLower, normalizeLogin(idOrLogin))))
    .limit(2)
    .all();
  return byShortName.length === 1 ? byShortName[0]! : null;
}

/** At most 100 ids per call (D1's bound-parameter limit); any order. */
export async function findUsersByIds(db: Db, orgId: string, ids: string[]): Promise<UserRecord[]> {
  if (ids.length === 0) return [];
  // The ids travel as one JSON parameter: D1 binds at most 100 parameters, and a
  // 1,000-member page should cost one query, not eleven.
  return db
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), inArray(users.id, sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`)))
    .all();
}

/** Keyset iteration over an org's users by id, ascending. */
export async function usersAfter(db: Db, orgId: string, afterId: string | null, limit: number): Promise<UserRecord[]> {
  const where = afterId === null ? eq(users.orgId, orgId) : and(eq(users.orgId, orgId), gt(users.id, afterId));
  return db.select().from(users).where(where).orderBy(asc(users.id)).limit(limit).all();
}

export function isStatus(value: string): value is UserStatus {
  return (
    value === "STAGED" ||
    value === "PROVISIONED" ||
    value === "ACTIVE" ||
    value === "RECOVERY" ||
    value === "PASSWORD_EXPIRED" ||
    value === "LOCKED_OUT" ||
    value === "SUSPENDED" ||
    value === "DEPROVISIONED"
  );
}
