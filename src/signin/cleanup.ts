import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../platform/context";
import type { Statement } from "../platform/batch";
import { authnTokens, passwordFailures, sessions } from "./table";

/**
 * Sign-in rows that must not outlive what they belong to. Only tables are
 * imported here, so the users module can put these statements in the batch
 * that deletes a user without an import circle (signin already imports users).
 */
export function signinDeletesForUser(db: Db, orgId: string, userId: string): Statement[] {
  return [
    db.delete(sessions).where(and(eq(sessions.orgId, orgId), eq(sessions.userId, userId))),
    db.delete(authnTokens).where(and(eq(authnTokens.orgId, orgId), eq(authnTokens.userId, userId))),
    db.delete(passwordFailures).where(and(eq(passwordFailures.orgId, orgId), eq(passwordFailures.userId, userId))),
  ];
}

/** How many expired rows of each table one sweep removes at most: a sign-in never pays for a long backlog at once. */
export const SWEEP_LIMIT = 100;

/**
 * The org's expired sessions and Authentication API tokens, at most
 * SWEEP_LIMIT of each, as statements for the batch that creates a session:
 * every sign-in clears some of what earlier ones left, in the write it makes
 * anyway (no extra round trip, no cron). Expired rows are already refused
 * when read; this only keeps the tables from growing.
 */
export function expiredSigninSweep(db: Db, orgId: string, now = new Date().toISOString()): Statement[] {
  return [
    db.delete(sessions).where(
      sql`rowid IN (SELECT rowid FROM ${sessions} WHERE ${sessions.orgId} = ${orgId} AND ${sessions.expiresAt} <= ${now} LIMIT ${SWEEP_LIMIT})`,
    ),
    db.delete(authnTokens).where(
      sql`rowid IN (SELECT rowid FROM ${authnTokens} WHERE ${authnTokens.orgId} = ${orgId} AND ${authnTokens.expiresAt} <= ${now} LIMIT ${SWEEP_LIMIT})`,
    ),
  ];
}

