import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Browser sessions (REFERENCE-SIGNIN §3). The session id is the `sid` cookie
 * value (as Okta's are), so it is a bearer secret: only its SHA-256 is kept,
 * and a request's cookie or path id is hashed to find the row.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    orgId: text("org_id").notNull(),
    idHash: text("id_hash").notNull(),
    userId: text("user_id").notNull(),
    createdAt: text("created_at").notNull(),
    /** Sliding: last activity + the idle limit (§3.3). */
    expiresAt: text("expires_at").notNull(),
    lastPasswordVerification: text("last_password_verification"),
    amr: text("amr", { mode: "json" }).$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.idHash] }), index("sessions_user").on(t.orgId, t.userId)],
);

/**
 * The one-time and short-lived tokens of the Authentication API (§2.4):
 * sessionToken (5 min, one use), stateToken (sliding). Kept by SHA-256 only;
 * a stateToken carries the transaction's state so the next call knows what
 * it may do.
 */
export const authnTokens = sqliteTable(
  "authn_tokens",
  {
    orgId: text("org_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    kind: text("kind", { enum: ["session", "state"] }).notNull(),
    userId: text("user_id").notNull(),
    /** stateToken: the transaction status it stands for (PASSWORD_EXPIRED, RECOVERY, PASSWORD_RESET). */
    status: text("status"),
    /** stateToken of a reset: PASSWORD, ACCOUNT_ACTIVATION. */
    recoveryType: text("recovery_type"),
    /** sessionToken: when the password was verified (becomes the session's lastPasswordVerification). */
    authenticatedAt: text("authenticated_at"),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.tokenHash] }), index("authn_tokens_user").on(t.orgId, t.userId)],
);

/**
 * Consecutive failed password checks per user (§2.8). `since` is the user's
 * statusChanged when counting began: an admin unlock (or any status change)
 * moves statusChanged, which starts a fresh count without the users module
 * knowing about this table.
 */
export const passwordFailures = sqliteTable(
  "password_failures",
  {
    orgId: text("org_id").notNull(),
    userId: text("user_id").notNull(),
    since: text("since"),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] })],
);

/** Trusted origins (/api/v1/trustedOrigins): who may call the API from a browser (CORS) or be redirected to (REDIRECT). */
export const trustedOrigins = sqliteTable(
  "trusted_origins",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    origin: text("origin").notNull(),
    /** Okta's scope types: CORS, REDIRECT (IFRAME_EMBED is stored, not acted on). */
    scopes: text("scopes", { mode: "json" }).$type<{ type: string; allowedOktaApps?: string[] }[]>().notNull(),
    status: text("status", { enum: ["ACTIVE", "INACTIVE"] }).notNull(),
    created: text("created").notNull(),
    createdBy: text("created_by").notNull(),
    lastUpdated: text("last_updated").notNull(),
    lastUpdatedBy: text("last_updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index("trusted_origins_origin").on(t.orgId, t.origin)],
);
