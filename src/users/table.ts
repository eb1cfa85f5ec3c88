import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const USER_STATUSES = [
  "STAGED",
  "PROVISIONED",
  "ACTIVE",
  "RECOVERY",
  "PASSWORD_EXPIRED",
  "LOCKED_OUT",
  "SUSPENDED",
  "DEPROVISIONED",
] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * How a password is kept. Never leaves the server: responses show `password: {}`.
 * - PBKDF2 made here: WebCrypto PBKDF2-SHA-256, per-user salt, iteration count kept with the hash.
 * - Imported (credentials.password.hash, REFERENCE §1.4): the spec's parameters as given, so
 *   the password stays verifiable (change_password's oldPassword).
 * - Hook (credentials.password.hook): no hash at all; the first sign-in would call the hook.
 */
export type PasswordRecord =
  | {
      kind: "hash";
      algorithm: "PBKDF2" | "BCRYPT" | "SHA-512" | "SHA-256" | "SHA-1" | "MD5";
      /** PBKDF2's HMAC digest (SHA-256 for hashes made here). */
      digestAlgorithm?: string;
      iterations?: number;
      keySize?: number;
      workFactor?: number;
      /** Base64 (Radix-64 for BCRYPT). */
      salt?: string;
      saltOrder?: "PREFIX" | "POSTFIX";
      /** Base64 digest (the whole bcrypt string for BCRYPT). */
      value: string;
      imported: boolean;
    }
  | { kind: "hook"; type: string };

/** A recovery answer is kept like a password made here (PBKDF2), over its lower-cased text. */
export interface AnswerRecord {
  salt: string;
  iterations: number;
  value: string;
}

/**
 * Users (REFERENCE §1). The profile is one JSON column; what is looked up,
 * searched or kept unique has its own column so that an index serves it:
 * - login_normalized: lower case, diacritics removed — the unique key (§1.3);
 * - *_lower: the value lower-cased in JS (SQLite's lower() only folds ASCII),
 *   for case-insensitive `search` eq/sw at scale;
 * - profile_lower: the whole profile with string values lower-cased, for
 *   `search` and `sortBy` on any other attribute.
 */
export const users = sqliteTable(
  "users",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    status: text("status", { enum: USER_STATUSES }).notNull(),
    typeId: text("type_id").notNull(),
    profile: text("profile", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    profileLower: text("profile_lower", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    loginNormalized: text("login_normalized").notNull(),
    loginLower: text("login_lower").notNull(),
    /** The part of the normalised login before '@': GET /users/{shortName}. */
    shortNameLower: text("short_name_lower").notNull(),
    emailLower: text("email_lower"),
    firstNameLower: text("first_name_lower"),
    lastNameLower: text("last_name_lower"),
    created: text("created").notNull(),
    activated: text("activated"),
    statusChanged: text("status_changed"),
    lastLogin: text("last_login"),
    lastUpdated: text("last_updated").notNull(),
    passwordChanged: text("password_changed"),
    password: text("password", { mode: "json" }).$type<PasswordRecord>(),
    recoveryQuestion: text("recovery_question"),
    recoveryAnswer: text("recovery_answer", { mode: "json" }).$type<AnswerRecord>(),
    providerType: text("provider_type").notNull(),
    providerName: text("provider_name").notNull(),
    /** Bumped by every write; the ETag is derived from it. */
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("users_login_normalized").on(t.orgId, t.loginNormalized),
    index("users_login_lower").on(t.orgId, t.loginLower, t.id),
    index("users_short_name").on(t.orgId, t.shortNameLower),
    index("users_email_lower").on(t.orgId, t.emailLower, t.id),
    index("users_first_name_lower").on(t.orgId, t.firstNameLower, t.id),
    index("users_last_name_lower").on(t.orgId, t.lastNameLower, t.id),
    index("users_status").on(t.orgId, t.status, t.id),
    index("users_last_updated").on(t.orgId, t.lastUpdated, t.id),
  ],
);

/**
 * Activation and password-reset tokens (REFERENCE §1.10). Only a SHA-256 of
 * the token is kept; the token itself is in the URL returned once. A later
 * sign-in flow consumes them by hash.
 */
export const userTokens = sqliteTable(
  "user_tokens",
  {
    orgId: text("org_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["activation", "reset_password"] }).notNull(),
    created: text("created").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.tokenHash] }), index("user_tokens_user").on(t.orgId, t.userId, t.kind)],
);
