import { sql } from "drizzle-orm";
import type { Db } from "../platform/context";
import { nowIso } from "../platform/ids";
import type { UserRecord } from "../users/record";
import { commitUser, statusPatch } from "../users/write";
import { passwordFailures } from "./table";

/**
 * The password policy's lockout (REFERENCE-SIGNIN §2.8): after
 * `maxAttempts` consecutive failed password checks the user is LOCKED_OUT
 * until an admin unlocks them (`autoUnlockMinutes` 0 = never). edgeorg has no
 * password-policy API yet, so the policy is Okta's default, fixed here.
 */
export const LOCKOUT_POLICY: { maxAttempts: number; autoUnlockMinutes: number; showLockoutFailures: boolean } = {
  maxAttempts: 10,
  autoUnlockMinutes: 0,
  showLockoutFailures: false,
};

/**
 * Counts one failure and locks the user at the limit. The count is one
 * atomic upsert (concurrent failures all count); it restarts when the user's
 * statusChanged differs from the one it began under, which is how an admin
 * unlock clears it.
 */
export async function recordPasswordFailure(db: Db, user: UserRecord): Promise<boolean> {
  if (user.status !== "ACTIVE" && user.status !== "PASSWORD_EXPIRED") return false;
  const since = user.statusChanged ?? user.created;
  const rows = await db
    .insert(passwordFailures)
    .values({ orgId: user.orgId, userId: user.id, since, count: 1 })
    .onConflictDoUpdate({
      target: [passwordFailures.orgId, passwordFailures.userId],
      set: {
        count: sql`CASE WHEN ${passwordFailures.since} = excluded.since THEN ${passwordFailures.count} + 1 ELSE 1 END`,
        since: sql`excluded.since`,
      },
    })
    .returning({ count: passwordFailures.count });
  const count = rows[0]?.count ?? 1;
  if (LOCKOUT_POLICY.maxAttempts === 0 || count < LOCKOUT_POLICY.maxAttempts) return false;
  try {
    await commitUser(db, user, statusPatch(user, "LOCKED_OUT", nowIso()));
  } catch {
    // Another request changed the user at the same moment (a concurrent failure locked it first).
  }
  return true;
}

/** A successful password check ends the run of failures. */
export function clearPasswordFailures(db: Db, user: UserRecord) {
  return db
    .delete(passwordFailures)
    .where(sql`${passwordFailures.orgId} = ${user.orgId} AND ${passwordFailures.userId} = ${user.id}`);
}
