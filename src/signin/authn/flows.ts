import type { BatchItem } from "drizzle-orm/batch";
import { runBatch } from "../../platform/batch";
import { and, eq } from "drizzle-orm";
import type { Db, Org } from "../../platform/context";
import { oktaError } from "../../platform/errors";
import { nowIso, sha256Hex } from "../../platform/ids";
import { hashPassword, meetsPolicy, verifyAnswer, verifyPassword } from "../../users/password";
import { findUser, type UserRecord } from "../../users/record";
import type { PasswordRecord } from "../../users/table";
import { commitUser, newUserToken, recordLastLogin, statusPatch, userOfToken } from "../../users/write";
import { clearPasswordFailures, recordPasswordFailure } from "../lockout";
import { sessions, authnTokens } from "../table";
import { issueSessionToken, issueStateToken, type StateToken } from "../tokens";
import { authFailed, invalidStateToken, wrongState } from "./transaction";

/**
 * The Authentication API's state machine (REFERENCE-SIGNIN §2), apart from
 * HTTP so the sign-in pages run the very same checks. Each step answers with
 * an Outcome: SUCCESS with a sessionToken, or a state with its stateToken.
 */
export type Outcome =
  | { kind: "success"; user: UserRecord; sessionToken: string; expiresAt: string }
  | { kind: "state"; user: UserRecord; state: StateToken };

/**
 * A hash to verify unknown users' passwords against, so that "no such user"
 * costs what "wrong password" costs and timing tells nothing (§2.3).
 */
let dummyHash: Promise<PasswordRecord> | undefined;
function dummy(iterations: number): Promise<PasswordRecord> {
  dummyHash ??= hashPassword("edgeorg-dummy-" + crypto.randomUUID(), iterations);
  return dummyHash;
}

async function success(db: Db, user: UserRecord, authenticatedAt = nowIso()): Promise<Outcome> {
  const token = await issueSessionToken(db, user.orgId, user.id, authenticatedAt);
  return { kind: "success", user, ...token };
}

/**
 * The password check of every sign-in surface (authn, the sign-in page, the
 * password grant): the user when the password matches, else null after
 * counting the failure toward lockout (§2.8). Unknown users cost a hash
 * check too, so timing tells nothing. The caller decides by user status.
 */
export async function checkPassword(db: Db, org: Org, username: string, password: string, iterations: number): Promise<UserRecord | null> {
  const user = username ? await findUser(db, org.id, username) : null;
  const record = user?.password ?? (await dummy(iterations));
  const matches = (await verifyPassword(record, password)) && user !== null && user.password !== null;
  if (!user || !matches) {
    if (user) await recordPasswordFailure(db, user);
    return null;
  }
  return user;
}

/** A successful sign-in of an ACTIVE user: lastLogin, and the run of failures ends. */
export function recordSignIn(db: Db, user: UserRecord, at = nowIso()): Promise<UserRecord> {
  return recordLastLogin(db, user, at, [clearPasswordFailures(db, user)]);
}

/** Primary authentication: username (login or short name) and password. */
export async function primaryAuthentication(db: Db, org: Org, username: string, password: string, iterations: number): Promise<Outcome> {
  const user = await checkPassword(db, org, username, password, iterations);
  if (!user) throw authFailed();
  if (user.status === "ACTIVE") {
    const at = nowIso();
    return success(db, await recordSignIn(db, user, at), at);
  }
  if (user.status === "PASSWORD_EXPIRED") {
    await clearPasswordFailures(db, user);
    return { kind: "state", user, state: await issueStateToken(db, org.id, user.id, "PASSWORD_EXPIRED") };
  }
  // LOCKED_OUT (showLockoutFailures is false), STAGED, PROVISIONED, RECOVERY, SUSPENDED, DEPROVISIONED.
  throw authFailed();
}

const COMPLEXITY =
  "Passwords must have at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username";

/** §2.5 / §10: Okta's /authn wording, "does meet" (sic) included. */
export const policyViolation = () =>
  oktaError(403, "E0000014", "The password does meet the complexity requirements of the current password policy.", [COMPLEXITY]);

function assertPolicy(user: UserRecord, newPassword: unknown): string {
  if (typeof newPassword !== "string" || !meetsPolicy(newPassword, String(user.profile.login ?? ""))) throw policyViolation();
  return newPassword;
}

/** The user of a transaction, which must be in `status`. */
export async function transactionUser(db: Db, org: Org, state: StateToken | null, ...statuses: string[]): Promise<UserRecord> {
  if (!state) throw invalidStateToken();
  if (!statuses.includes(state.status)) throw wrongState();
  const user = await findUser(db, org.id, state.userId);
  if (!user) throw invalidStateToken();
  return user;
}

async function setPassword(
  db: Db,
  user: UserRecord,
  state: StateToken,
  newPassword: string,
  revokeSessions: boolean,
  iterations: number,
): Promise<Outcome> {
  const at = nowIso();
  const extra: BatchItem<"sqlite">[] = [
    db.delete(authnTokens).where(and(eq(authnTokens.orgId, user.orgId), eq(authnTokens.tokenHash, await sha256Hex(state.token)))),
    clearPasswordFailures(db, user),
  ];
  if (revokeSessions) extra.push(db.delete(sessions).where(and(eq(sessions.orgId, user.orgId), eq(sessions.userId, user.id))));
  const patch: Partial<UserRecord> = {
    ...(user.status === "ACTIVE" ? {} : statusPatch(user, "ACTIVE", at)),
    password: await hashPassword(newPassword, iterations),
    passwordChanged: at,
    lastLogin: at,
  };
  const saved = await commitUser(db, user, patch, extra);
  return success(db, saved, at);
}

/** PASSWORD_EXPIRED (or PASSWORD_WARN) → SUCCESS (§2.5). */
export async function changePassword(
  db: Db,
  org: Org,
  state: StateToken | null,
  input: { oldPassword: unknown; newPassword: unknown; revokeSessions: boolean },
  iterations: number,
): Promise<Outcome> {
  const user = await transactionUser(db, org, state, "PASSWORD_EXPIRED");
  const old = typeof input.oldPassword === "string" ? input.oldPassword : "";
  if (!user.password || !(await verifyPassword(user.password, old))) {
    throw oktaError(403, "E0000014", "Update of credentials failed", ["oldPassword: The credentials provided were incorrect."]);
  }
  const newPassword = assertPolicy(user, input.newPassword);
  return setPassword(db, user, state!, newPassword, input.revokeSessions, iterations);
}

/** PASSWORD_RESET (recovery or activation) → SUCCESS (§2.6, §2.7). */
export async function resetPassword(
  db: Db,
  org: Org,
  state: StateToken | null,
  input: { newPassword: unknown; revokeSessions: boolean },
  iterations: number,
): Promise<Outcome> {
  const user = await transactionUser(db, org, state, "PASSWORD_RESET");
  const newPassword = assertPolicy(user, input.newPassword);
  return setPassword(db, user, state!, newPassword, input.revokeSessions, iterations);
}

/** `POST /api/v1/authn {token}` (§2.7): an invalid, used or expired activation token is E0000004, as Okta's doc says (§10). */
export async function redeemActivationToken(db: Db, org: Org, token: string): Promise<Outcome> {
  const user = await userOfToken(db, org.id, token, "activation", true);
  if (!user) throw authFailed();
  if (user.status === "ACTIVE" && user.password) return success(db, user);
  if (user.status !== "PROVISIONED") throw authFailed();
  return { kind: "state", user, state: await issueStateToken(db, org.id, user.id, "PASSWORD_RESET", "ACCOUNT_ACTIVATION") };
}

/**
 * `recovery/token` (§2.6): the reset token of the Users API's resetPasswordUrl,
 * or one that recovery/password issued. Bad, used or expired → E0000011 (§10).
 * With a recovery question the user answers it first; without one the
 * transaction goes straight to PASSWORD_RESET (⚠).
 */
export async function redeemRecoveryToken(db: Db, org: Org, token: string): Promise<Outcome> {
  const user = await userOfToken(db, org.id, token, "reset_password", true);
  if (!user || user.status === "DEPROVISIONED" || user.status === "SUSPENDED") throw invalidStateToken();
  const status = user.recoveryQuestion ? "RECOVERY" : "PASSWORD_RESET";
  return { kind: "state", user, state: await issueStateToken(db, org.id, user.id, status, "PASSWORD") };
}

export async function answerRecoveryQuestion(db: Db, org: Org, state: StateToken | null, answer: unknown): Promise<Outcome> {
  const user = await transactionUser(db, org, state, "RECOVERY");
  const ok = user.recoveryAnswer && typeof answer === "string" && (await verifyAnswer(user.recoveryAnswer, answer));
  if (!ok) throw oktaError(403, "E0000087", "The recovery question answer did not match our records.");
  await db.delete(authnTokens).where(and(eq(authnTokens.orgId, org.id), eq(authnTokens.tokenHash, await sha256Hex(state!.token))));
  return { kind: "state", user, state: await issueStateToken(db, org.id, user.id, "PASSWORD_RESET", state!.recoveryType) };
}

const RECOVERABLE = new Set(["ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"]);
const FEDERATED = new Set(["FEDERATION", "SOCIAL"]);

/**
 * `recovery/password` (§2.6): a new reset token for the user, kept by hash.
 * Returns it for a trusted (SSWS) caller; a public caller is told the same
 * thing whether or not the user exists, so the caller gets null either way.
 */
export async function startPasswordRecovery(db: Db, org: Org, username: string): Promise<{ user: UserRecord; token: string } | null> {
  const user = username ? await findUser(db, org.id, username) : null;
  if (!user || !RECOVERABLE.has(user.status) || FEDERATED.has(user.providerType)) return null;
  const { token, statements } = await newUserToken(db, user, "reset_password");
  await runBatch(db, statements);
  return { user, token };
}
