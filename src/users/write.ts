import { and, eq, sql } from "drizzle-orm";
import { runBatch } from "../platform/batch";
import type { BatchItem } from "drizzle-orm/batch";
import { assignmentDeletesForUser } from "../apps/assignment-cleanup";
import { consentGrantDeletesForUser } from "../oauth/authorize/consent-grants";
import { refreshTokenDeletesForUser } from "../oauth/tokens/refresh-tokens";
import {
  applyGroupRulesToUser,
  assertAssignableGroups,
  membershipDeletesForUser,
  membershipRowsForNewUser,
} from "../groups/service";
import type { Db, Org } from "../platform/context";
import { oktaError, validationError } from "../platform/errors";
import { IdPrefix, newId, nowIso, randomBase62, sha256Hex } from "../platform/ids";
import { roleDeletesForAssignee } from "../access/roles/store";
import { signinDeletesForUser } from "../signin/cleanup";
import { materialize, readCredentials, type CredentialsInput } from "./credentials";
import { isPlainObject, profileCauses } from "./profile";
import { defaultUserTypeId, profileColumns, type UserRecord } from "./record";
import { userTokens, users, type UserStatus } from "./table";

export const LOGIN_TAKEN = "login: An object with this field already exists in the current organization";
export const MAX_GROUP_IDS = 20;

type Batch = [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]];

function isUniqueViolation(error: unknown): boolean {
  const text = String(error) + String((error as { cause?: unknown })?.cause ?? "");
  return text.includes("UNIQUE constraint failed") && text.includes("login_normalized");
}

/**
 * drizzle's query errors quote the statement's parameters, which for a user
 * write include the password hash record: what reaches the error log is the
 * database's own message only.
 */
function withoutParams(error: unknown): Error {
  const cause = (error as { cause?: unknown })?.cause;
  const message = cause instanceof Error ? cause.message : error instanceof Error ? error.message.split("\nparams:")[0]! : "D1 error";
  return new Error(`users: write failed: ${message.slice(0, 500)}`);
}

/** The patch that moves a user to `status`: statusChanged always; activated when it becomes ACTIVE by activation. */
export function statusPatch(user: UserRecord, status: UserStatus, at: string): Partial<UserRecord> {
  const patch: Partial<UserRecord> = { status, statusChanged: at };
  if (status === "ACTIVE" && (user.activated === null || user.status === "STAGED" || user.status === "DEPROVISIONED")) {
    patch.activated = at;
  }
  return patch;
}

/**
 * Writes a change to one user, guarded by its version (a concurrent writer
 * makes this one fail with 409 rather than be silently overwritten), in one
 * batch with `extra` statements. Returns the row as stored.
 */
export async function commitUser(
  db: Db,
  user: UserRecord,
  patch: Partial<UserRecord>,
  extra: BatchItem<"sqlite">[] = [],
): Promise<UserRecord> {
  const at = patch.lastUpdated ?? nowIso();
  const update = db
    .update(users)
    .set({ ...patch, lastUpdated: at, version: user.version + 1 })
    .where(and(eq(users.orgId, user.orgId), eq(users.id, user.id), eq(users.version, user.version)))
    .returning();
  let results: unknown[];
  try {
    results = await db.batch([update, ...extra] as Batch);
  } catch (error) {
    if (isUniqueViolation(error)) throw validationError([LOGIN_TAKEN]);
    throw withoutParams(error);
  }
  const rows = results[0] as UserRecord[];
  if (!rows[0]) {
    throw oktaError(409, "E0000195", "Api validation failed due to conflict: user", [
      "user: The user was changed by another request at the same time; retry",
    ]);
  }
  return rows[0];
}

/**
 * A sign-in: `lastLogin` only. Not an edit of the user — no optimistic
 * check and `lastUpdated` stays — so concurrent sign-ins of one user all
 * succeed (an integration suite signs one test user in many times at once).
 */
export async function recordLastLogin(db: Db, user: UserRecord, at: string, extra: BatchItem<"sqlite">[] = []): Promise<UserRecord> {
  const update = db
    .update(users)
    .set({ lastLogin: at, version: sql`${users.version} + 1` })
    .where(and(eq(users.orgId, user.orgId), eq(users.id, user.id)))
    .returning();
  const results = await db.batch([update, ...extra] as Batch);
  return (results[0] as UserRecord[])[0] ?? { ...user, lastLogin: at };
}

export type TokenKind = "activation" | "reset_password";
const TOKEN_LIFETIME_MS: Record<TokenKind, number> = {
  activation: 7 * 24 * 3600 * 1000,
  reset_password: 3600 * 1000,
};

/**
 * A new one-time token of `kind` for a user: only its SHA-256 is stored, and
 * it replaces the user's earlier tokens of that kind. Returns the token and
 * the statements to run in the user's batch.
 */
export async function newUserToken(db: Db, user: UserRecord, kind: TokenKind) {
  const token = randomBase62(20);
  const created = nowIso();
  const statements: BatchItem<"sqlite">[] = [
    db.delete(userTokens).where(and(eq(userTokens.orgId, user.orgId), eq(userTokens.userId, user.id), eq(userTokens.kind, kind))),
    db.insert(userTokens).values({
      orgId: user.orgId,
      tokenHash: await sha256Hex(token),
      userId: user.id,
      kind,
      created,
      expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[kind]).toISOString(),
    }),
  ];
  return { token, statements };
}

export function deleteUserTokens(db: Db, user: UserRecord): BatchItem<"sqlite"> {
  return db.delete(userTokens).where(and(eq(userTokens.orgId, user.orgId), eq(userTokens.userId, user.id)));
}

export interface CreateOptions {
  activate: boolean;
  provider: boolean;
  nextLogin?: "changePassword";
  iterations: number;
}

/** POST /api/v1/users (REFERENCE §1.4). */
export async function createUser(db: Db, org: Org, body: unknown, options: CreateOptions): Promise<UserRecord> {
  if (!isPlainObject(body)) throw validationError(["profile: The field cannot be left blank"]);
  const causes: string[] = [];
  const profile = body.profile;
  if (!isPlainObject(profile)) {
    causes.push("profile: The field cannot be left blank");
  } else {
    causes.push(...profileCauses(profile));
  }
  const login = isPlainObject(profile) && typeof profile.login === "string" ? profile.login : "";
  const credentials: CredentialsInput = readCredentials(body.credentials, login, causes);

  let groupIds: string[] = [];
  if (body.groupIds !== undefined && body.groupIds !== null) {
    if (!Array.isArray(body.groupIds) || body.groupIds.some((id) => typeof id !== "string")) {
      causes.push("groupIds: The value must be an array of group ids");
    } else {
      groupIds = [...new Set(body.groupIds as string[])];
    }
  }
  let typeId = defaultUserTypeId(org.id);
  if (body.type !== undefined && body.type !== null) {
    const id = isPlainObject(body.type) ? body.type.id : undefined;
    if (id !== undefined && id !== typeId) causes.push(`type.id: The user type '${String(id).slice(0, 40)}' does not exist`);
  }

  const federated = options.provider && (credentials.provider?.type === "FEDERATION" || credentials.provider?.type === "SOCIAL");
  if (federated && credentials.password) causes.push("password: A FEDERATION or SOCIAL user cannot have a password");
  if (federated && credentials.recoveryQuestion) {
    causes.push("recovery_question: A FEDERATION or SOCIAL user cannot have a recovery question");
  }

  if (options.nextLogin === "changePassword") {
    if (!credentials.password && !(body.credentials as { password?: unknown } | undefined)?.password) {
      const text = "Could not create user. To create a user and expire their password immediately, a password must be specified.";
      throw oktaError(400, "E0000124", text, [text]);
    }
    if (!options.activate) {
      const text = "Could not create user. To create a user and expire their password immediately, `activate` must be true.";
      throw oktaError(400, "E0000125", text, [text]);
    }
  }
  if (groupIds.length > MAX_GROUP_IDS) {
    throw oktaError(400, "E0000093", "Target count limit exceeded", ["The number of group targets is too large"]);
  }
  if (causes.length) throw validationError(causes);
  await assertAssignableGroups(db, org.id, groupIds);

  // A taken login is found by the UNIQUE index when the batch runs (isUniqueViolation), not by a read first.
  const columns = profileColumns(profile as Record<string, unknown>);

  const secrets = await materialize(credentials, options.iterations);
  const at = nowIso();
  const hasPassword = secrets.password !== undefined;
  let status: UserStatus;
  if (!options.activate) status = "STAGED";
  else if (hasPassword && options.nextLogin === "changePassword") status = "PASSWORD_EXPIRED";
  else if (hasPassword || federated) status = "ACTIVE";
  else status = "PROVISIONED";

  let providerType = "OKTA";
  let providerName = "OKTA";
  if (federated) {
    providerType = credentials.provider!.type;
    providerName = credentials.provider!.name;
  } else if (secrets.password && (secrets.password.kind === "hook" || secrets.password.imported)) {
    providerType = "IMPORT";
    providerName = "IMPORT";
  } else if (options.provider && credentials.provider) {
    providerType = credentials.provider.type;
    providerName = credentials.provider.name;
  }

  const user: UserRecord = {
    orgId: org.id,
    id: newId(IdPrefix.user),
    status,
    typeId,
    ...columns,
    created: at,
    activated: status === "ACTIVE" || status === "PASSWORD_EXPIRED" ? at : null,
    statusChanged: status === "STAGED" ? null : at,
    lastLogin: null,
    lastUpdated: at,
    passwordChanged: hasPassword ? at : null,
    password: secrets.password ?? null,
    recoveryQuestion: credentials.recoveryQuestion?.question ?? null,
    recoveryAnswer: secrets.recoveryAnswer ?? null,
    providerType,
    providerName,
    version: 1,
  };
  const statements: BatchItem<"sqlite">[] = [db.insert(users).values(user)];
  statements.push(...(await membershipRowsForNewUser(db, org.id, user, groupIds)));
  if (status === "PROVISIONED") {
    // The activation email Okta would send carries this token; the API does not show it (reactivate does).
    statements.push(...(await newUserToken(db, user, "activation")).statements);
  }
  try {
    await runBatch(db, statements);
  } catch (error) {
    if (isUniqueViolation(error)) throw validationError([LOGIN_TAKEN]);
    throw withoutParams(error);
  }
  return user;
}

/**
 * POST (merge) and PUT (replace) of /api/v1/users/{id} (REFERENCE §1.6).
 * Setting a password here is the admin's: no old-password check.
 */
export async function updateUser(
  db: Db,
  org: Org,
  user: UserRecord,
  body: unknown,
  mode: "merge" | "replace",
  iterations: number,
): Promise<UserRecord> {
  if (!isPlainObject(body)) throw validationError(["profile: The field cannot be left blank"]);
  const causes: string[] = [];
  let profile = user.profile;
  if (body.profile !== undefined) {
    if (!isPlainObject(body.profile)) {
      causes.push("profile: The value must be an object");
    } else if (mode === "merge") {
      profile = { ...user.profile, ...body.profile };
      for (const [key, value] of Object.entries(body.profile)) if (value === null) delete profile[key];
    } else {
      profile = Object.fromEntries(Object.entries(body.profile).filter(([, value]) => value !== null));
    }
  } else if (mode === "replace") {
    causes.push("profile: The field cannot be left blank");
  }
  if (isPlainObject(profile)) causes.push(...profileCauses(profile));
  const login = typeof profile.login === "string" ? profile.login : "";
  const credentials = readCredentials(body.credentials, login, causes);
  if (credentials.password && "hash" in credentials.password && user.status !== "STAGED") {
    causes.push("password: A hashed password can only be imported for a user in STAGED status");
  }
  if (body.type !== undefined && body.type !== null) {
    const id = isPlainObject(body.type) ? body.type.id : undefined;
    if (id !== undefined && id !== user.typeId) {
      causes.push(
        mode === "merge"
          ? "type: The user type cannot be changed by a partial update"
          : `type.id: The user type '${String(id).slice(0, 40)}' does not exist`,
      );
    }
  }
  if (causes.length) throw validationError(causes);

  const secrets = await materialize(credentials, iterations);
  const at = nowIso();
  const patch: Partial<UserRecord> = { ...profileColumns(profile), lastUpdated: at };
  if (secrets.password) {
    patch.password = secrets.password;
    patch.passwordChanged = at;
    if (secrets.password.kind === "hook" || (secrets.password.kind === "hash" && secrets.password.imported)) {
      patch.providerType = "IMPORT";
      patch.providerName = "IMPORT";
    }
  }
  if (credentials.recoveryQuestion) {
    patch.recoveryQuestion = credentials.recoveryQuestion.question;
    patch.recoveryAnswer = secrets.recoveryAnswer!;
  }
  const saved = await commitUser(db, user, patch);
  await applyGroupRulesToUser(db, org, { id: saved.id, profile: saved.profile });
  return saved;
}

/** DELETE of a DEPROVISIONED user: the row, its tokens, memberships, admin roles and consents, in one batch. */
export async function deleteUser(db: Db, user: UserRecord): Promise<void> {
  await db.batch([
    db.delete(users).where(and(eq(users.orgId, user.orgId), eq(users.id, user.id))),
    deleteUserTokens(db, user),
    ...membershipDeletesForUser(db, user.orgId, user.id),
    ...roleDeletesForAssignee(db, user.orgId, "USER", user.id),
    ...assignmentDeletesForUser(db, user.orgId, user.id),
    ...signinDeletesForUser(db, user.orgId, user.id),
    ...refreshTokenDeletesForUser(db, user.orgId, user.id),
    ...consentGrantDeletesForUser(db, user.orgId, user.id),
  ] as Batch);
}

/**
 * The user of a live activation or reset token, without using it up (a page
 * shows its form first); `consume` deletes it in the same statement, so a
 * token is redeemed once even when two requests race.
 */
export async function userOfToken(db: Db, orgId: string, token: string, kind: TokenKind, consume: boolean): Promise<UserRecord | null> {
  if (!token || token.length > 100) return null;
  const where = and(eq(userTokens.orgId, orgId), eq(userTokens.tokenHash, await sha256Hex(token)), eq(userTokens.kind, kind));
  const row = consume
    ? (await db.delete(userTokens).where(where).returning())[0]
    : await db.select().from(userTokens).where(where).get();
  if (!row || row.expiresAt <= nowIso()) return null;
  return (await db.select().from(users).where(and(eq(users.orgId, orgId), eq(users.id, row.userId))).get()) ?? null;
}
