import type { Db, Org } from "../platform/context";
import { oktaError, validationError } from "../platform/errors";
import { nowIso } from "../platform/ids";
import { credentialsJson } from "./json";
import { resetPasswordUrl } from "./lifecycle";
import { POLICY_CAUSE, hashAnswer, hashPassword, meetsPolicy, verifyAnswer, verifyPassword } from "./password";
import { isPlainObject } from "./profile";
import type { UserRecord } from "./record";
import type { UserStatus } from "./table";
import { commitUser, newUserToken, statusPatch } from "./write";

/** Credential operations (REFERENCE §1.10, credential rows). Each returns UserCredentials or a reset URL. */

const credentialsFailed = (field: string) =>
  oktaError(403, "E0000014", "Update of credentials failed", [`${field}: The credentials provided were incorrect.`]);

const policyFailed = () =>
  oktaError(403, "E0000080", "The password does not meet the complexity requirements of the current password policy.", [
    POLICY_CAUSE.slice("password: ".length),
  ]);

function valueAt(body: unknown, key: string, inner: string): string | undefined {
  if (!isPlainObject(body)) return undefined;
  const obj = body[key];
  if (!isPlainObject(obj)) return undefined;
  const value = obj[inner];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function required(body: unknown, fields: [string, string][]): string[] {
  const missing = fields.filter(([key, inner]) => valueAt(body, key, inner) === undefined);
  if (missing.length) throw validationError(missing.map(([key, inner]) => `${key}.${inner}: The field cannot be left blank`));
  return fields.map(([key, inner]) => valueAt(body, key, inner)!);
}

const CHANGE_PASSWORD = new Set<UserStatus>(["STAGED", "ACTIVE", "PASSWORD_EXPIRED", "RECOVERY"]);

/** change_password: the old password is checked; RECOVERY and PASSWORD_EXPIRED become ACTIVE. */
export async function changePassword(db: Db, user: UserRecord, body: unknown, iterations: number) {
  if (!CHANGE_PASSWORD.has(user.status) || user.password === null) {
    throw oktaError(403, "E0000035", "Change password not allowed on specified user.");
  }
  const [oldPassword, newPassword] = required(body, [["oldPassword", "value"], ["newPassword", "value"]]) as [string, string];
  if (!(await verifyPassword(user.password, oldPassword))) throw credentialsFailed("oldPassword");
  if (!meetsPolicy(newPassword, String(user.profile.login ?? ""))) throw policyFailed();
  const at = nowIso();
  const patch: Partial<UserRecord> = { password: await hashPassword(newPassword, iterations), passwordChanged: at };
  if (user.status === "RECOVERY" || user.status === "PASSWORD_EXPIRED") Object.assign(patch, statusPatch(user, "ACTIVE", at));
  return credentialsJson(await commitUser(db, user, patch));
}

const CHANGE_QUESTION = new Set<UserStatus>(["STAGED", "ACTIVE", "RECOVERY"]);

/** change_recovery_question: the current password is checked. */
export async function changeRecoveryQuestion(db: Db, user: UserRecord, body: unknown, iterations: number) {
  if (!CHANGE_QUESTION.has(user.status) || user.password === null) {
    throw oktaError(403, "E0000036", "Change recovery question not allowed on specified user.");
  }
  const [password, question, answer] = required(body, [
    ["password", "value"],
    ["recovery_question", "question"],
    ["recovery_question", "answer"],
  ]) as [string, string, string];
  const causes: string[] = [];
  if (Array.from(question).length > 100) causes.push("recovery_question.question: The field cannot be longer than 100 characters");
  if (Array.from(answer).length > 100) causes.push("recovery_question.answer: The field cannot be longer than 100 characters");
  if (causes.length) throw validationError(causes);
  if (!(await verifyPassword(user.password, password))) throw credentialsFailed("password");
  const saved = await commitUser(db, user, {
    recoveryQuestion: question,
    recoveryAnswer: await hashAnswer(answer, iterations),
  });
  return credentialsJson(saved);
}

const forgotNotAllowed = () => oktaError(403, "E0000034", "Forgot password not allowed on specified user.");

/** forgot_password (sendEmail form): an ACTIVE user with a recovery question gets a reset token; status unchanged. */
export async function forgotPassword(db: Db, org: Org, user: UserRecord, sendEmail: boolean) {
  if (user.status !== "ACTIVE" || user.recoveryQuestion === null) throw forgotNotAllowed();
  const { token, statements } = await newUserToken(db, user, "reset_password");
  await commitUser(db, user, {}, statements);
  return sendEmail ? {} : { resetPasswordUrl: resetPasswordUrl(org, token) };
}

/** forgot_password_recovery_question: the answer (case-insensitive) sets a new password. */
export async function forgotPasswordWithAnswer(db: Db, user: UserRecord, body: unknown, iterations: number) {
  if (user.status !== "ACTIVE" || user.recoveryQuestion === null || user.recoveryAnswer === null) throw forgotNotAllowed();
  const [password, answer] = required(body, [["password", "value"], ["recovery_question", "answer"]]) as [string, string];
  if (!(await verifyAnswer(user.recoveryAnswer, answer))) {
    throw oktaError(403, "E0000087", "The recovery question answer did not match our records.");
  }
  if (!meetsPolicy(password, String(user.profile.login ?? ""))) throw policyFailed();
  const at = nowIso();
  const saved = await commitUser(db, user, { password: await hashPassword(password, iterations), passwordChanged: at });
  return credentialsJson(saved);
}
