import { refreshTokenDeletesForUser } from "../oauth/tokens/refresh-tokens";
import type { Db, Org } from "../platform/context";
import { oktaError } from "../platform/errors";
import { nowIso } from "../platform/ids";
import { hashPassword, meetsPolicy, temporaryPassword } from "./password";
import type { UserRecord } from "./record";
import type { UserStatus } from "./table";
import { commitUser, deleteUserTokens, newUserToken, statusPatch } from "./write";

/**
 * The status state machine (REFERENCE §1.10). Transitions are synchronous:
 * `transitioningToStatus` never appears. Each refusal is Okta's status and
 * errorCode; where the reference is silent (⚠) the choice is 403 E0000038.
 */

export const notAllowedInStatus = () =>
  oktaError(403, "E0000038", "This operation is not allowed in the user's current status.");

/** Classic-engine URLs on the org, for a later sign-in flow to consume the token. */
export const activationUrl = (org: Org, token: string) => `${org.url}/welcome/${token}`;
export const resetPasswordUrl = (org: Org, token: string) => `${org.url}/signin/reset-password/${token}`;

const FEDERATED = new Set(["FEDERATION", "SOCIAL"]);

/** The org's built-in super-admin owns the bootstrap API token: it cannot be deactivated, suspended or deleted. */
export function assertNotBuiltInAdmin(org: Org, user: UserRecord): void {
  if (user.id === org.adminUserId) {
    throw oktaError(403, "E0000006", "You do not have permission to perform the requested action", [
      "user: The org's built-in super-admin cannot be deactivated, suspended or deleted",
    ]);
  }
}

async function withActivationToken(db: Db, org: Org, user: UserRecord, patch: Partial<UserRecord>, sendEmail: boolean) {
  const { token, statements } = await newUserToken(db, user, "activation");
  await commitUser(db, user, patch, statements);
  return sendEmail ? {} : { activationUrl: activationUrl(org, token), activationToken: token };
}

/** activate: STAGED or DEPROVISIONED → ACTIVE (with a password or a federated provider) or PROVISIONED. */
export async function activate(db: Db, org: Org, user: UserRecord, sendEmail: boolean) {
  if (user.status === "ACTIVE") {
    throw oktaError(403, "E0000016", "Activation failed because the user is already active");
  }
  if (user.status !== "STAGED" && user.status !== "DEPROVISIONED") throw notAllowedInStatus();
  const target: UserStatus = user.password !== null || FEDERATED.has(user.providerType) ? "ACTIVE" : "PROVISIONED";
  return withActivationToken(db, org, user, statusPatch(user, target, nowIso()), sendEmail);
}

/** reactivate: PROVISIONED or RECOVERY (spec) → PROVISIONED with a new activation token. */
export async function reactivate(db: Db, org: Org, user: UserRecord, sendEmail: boolean) {
  if (user.status !== "PROVISIONED" && user.status !== "RECOVERY") throw notAllowedInStatus();
  const patch = user.status === "PROVISIONED" ? {} : statusPatch(user, "PROVISIONED", nowIso());
  return withActivationToken(db, org, user, patch, sendEmail);
}

/** deactivate: any status but DEPROVISIONED → DEPROVISIONED; pending tokens and refresh tokens die with it. Memberships stay. */
export async function deactivate(db: Db, org: Org, user: UserRecord) {
  if (user.status === "DEPROVISIONED") throw notAllowedInStatus();
  assertNotBuiltInAdmin(org, user);
  await commitUser(db, user, statusPatch(user, "DEPROVISIONED", nowIso()), [deleteUserTokens(db, user), ...refreshTokenDeletesForUser(db, user.orgId, user.id)]);
  return {};
}

export async function suspend(db: Db, org: Org, user: UserRecord) {
  if (user.status !== "ACTIVE") {
    throw oktaError(400, "E0000001", "Api validation failed: suspend", ["Cannot suspend a user that is not active"]);
  }
  assertNotBuiltInAdmin(org, user);
  await commitUser(db, user, statusPatch(user, "SUSPENDED", nowIso()));
  return {};
}

export async function unsuspend(db: Db, user: UserRecord) {
  if (user.status !== "SUSPENDED") {
    throw oktaError(400, "E0000001", "Api validation failed: unsuspend", ["Cannot unsuspend a user that is not suspended"]);
  }
  await commitUser(db, user, statusPatch(user, "ACTIVE", nowIso()));
  return {};
}

export async function unlock(db: Db, user: UserRecord) {
  if (user.status !== "LOCKED_OUT") throw oktaError(403, "E0000032", "Unlock is not allowed for this user.");
  await commitUser(db, user, statusPatch(user, "ACTIVE", nowIso()));
  return {};
}

const RESETTABLE = new Set<UserStatus>(["ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY", "PROVISIONED"]);

/** reset_password: → RECOVERY with a reset token (the current password stays until the reset completes). */
export async function resetPassword(db: Db, org: Org, user: UserRecord, sendEmail: boolean) {
  if (!RESETTABLE.has(user.status)) throw notAllowedInStatus();
  const { token, statements } = await newUserToken(db, user, "reset_password");
  const patch = user.status === "RECOVERY" ? {} : statusPatch(user, "RECOVERY", nowIso());
  await commitUser(db, user, patch, statements);
  return sendEmail ? {} : { resetPasswordUrl: resetPasswordUrl(org, token) };
}

const EXPIRABLE = new Set<UserStatus>(["ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"]);

/** expire_password: a signed-up user with a password → PASSWORD_EXPIRED. Returns the stored user. */
export async function expirePassword(db: Db, user: UserRecord): Promise<UserRecord> {
  if (!EXPIRABLE.has(user.status) || user.password === null) throw notAllowedInStatus();
  const patch = user.status === "PASSWORD_EXPIRED" ? {} : statusPatch(user, "PASSWORD_EXPIRED", nowIso());
  return commitUser(db, user, patch);
}

/** expire_password with a temporary password: the password is replaced by a generated one, shown once. */
export async function expireWithTempPassword(db: Db, user: UserRecord, iterations: number) {
  if (!EXPIRABLE.has(user.status)) throw notAllowedInStatus();
  const login = String(user.profile.login ?? "");
  let tempPassword = temporaryPassword();
  while (!meetsPolicy(tempPassword, login)) tempPassword = temporaryPassword();
  const at = nowIso();
  const patch: Partial<UserRecord> = {
    ...(user.status === "PASSWORD_EXPIRED" ? {} : statusPatch(user, "PASSWORD_EXPIRED", at)),
    password: await hashPassword(tempPassword, iterations),
    passwordChanged: at,
  };
  await commitUser(db, user, patch);
  return { tempPassword };
}

/** reset_factors: edgeorg models no enrolled factors, so there is nothing to reset; the status is unchanged. */
export async function resetFactors(user: UserRecord) {
  if (user.status === "DEPROVISIONED") throw notAllowedInStatus();
  return {};
}
