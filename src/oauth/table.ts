import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Signing keys of an authorization server (RS256, 2048 bits). `key_set` is
 * "org" for the org authorization server, or a custom authorization server's
 * id, so both kinds share this table and keys.ts.
 *
 * At most one ACTIVE and one NEXT key per key set: the partial unique index
 * is what makes concurrent first requests end with a single ACTIVE key (the
 * losing batch fails whole and re-reads).
 */
export const oauthSigningKeys = sqliteTable(
  "oauth_signing_keys",
  {
    orgId: text("org_id").notNull(),
    keySet: text("key_set").notNull(),
    kid: text("kid").notNull(),
    status: text("status", { enum: ["ACTIVE", "NEXT", "EXPIRED"] }).notNull(),
    /** Public JWK {kty, alg, use, kid, n, e}. */
    publicJwk: text("public_jwk", { mode: "json" }).$type<JsonWebKey & { kid: string }>().notNull(),
    /** base64url(iv ‖ AES-GCM ciphertext of the private JWK); see key-encryption.ts. */
    privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
    /** Which KEY_ENCRYPTION_SECRET encrypted it (a fingerprint, not the secret), so the secret can be rotated. */
    encryptionKeyId: text("encryption_key_id").notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
    /** EXPIRED keys stay published in the JWKS until this ISO time (every token they signed has expired by then). */
    publishedUntil: text("published_until"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.keySet, t.kid] }),
    uniqueIndex("oauth_signing_keys_one_per_status")
      .on(t.orgId, t.keySet, t.status)
      .where(sql`status in ('ACTIVE', 'NEXT')`),
  ],
);

/**
 * Single-use identifiers: client assertion `jti`s and DPoP proof `jti`s.
 * The primary key makes "first use wins" hold across isolates: a second
 * insert of the same (org, jti) fails. Rows are useless after `exp`.
 */
export const oauthUsedJtis = sqliteTable(
  "oauth_used_jtis",
  {
    orgId: text("org_id").notNull(),
    /** Namespaced: "assertion:<client_id>:<jti>" or "dpop:<jkt>:<jti>". */
    jti: text("jti").notNull(),
    /** Unix seconds after which the jti could not be accepted anyway. */
    exp: integer("exp").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.jti] }), index("oauth_used_jtis_exp").on(t.orgId, t.exp)],
);

/**
 * Revoked access tokens (by `jti`) and revoked clients (jti "client:<client_id>":
 * every token of the client issued before `revoked_at` is refused).
 * Verifiers keep a per-isolate copy (revocations.ts) and read only the rows
 * newer than their last sync.
 */
export const oauthRevokedTokens = sqliteTable(
  "oauth_revoked_tokens",
  {
    orgId: text("org_id").notNull(),
    jti: text("jti").notNull(),
    clientId: text("client_id").notNull(),
    /** Unix seconds: the revoked token's own expiry; after it the row can go. */
    exp: integer("exp").notNull(),
    /** Unix milliseconds. */
    revokedAt: integer("revoked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.jti] }), index("oauth_revoked_tokens_revoked_at").on(t.orgId, t.revokedAt)],
);

/**
 * Access tokens minted by custom authorization servers (the org server's are not
 * recorded: Okta lists no tokens of it), recorded so that the management
 * API can list and revoke them per client and introspection can tell a
 * revoked token from a live one. Revoking deletes the row.
 */
export const authorizationServerTokens = sqliteTable(
  "authorization_server_tokens",
  {
    orgId: text("org_id").notNull(),
    /** The token's `jti`. */
    id: text("id").notNull(),
    authServerId: text("auth_server_id").notNull(),
    clientId: text("client_id").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    created: text("created").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("authorization_server_tokens_client").on(t.orgId, t.authServerId, t.clientId, t.created, t.id),
    index("authorization_server_tokens_expiry").on(t.orgId, t.expiresAt),
  ],
);

/**
 * Authorization codes (REFERENCE-SIGNIN §4.7): kept by SHA-256 only, 300 s,
 * single use (the redeeming DELETE … RETURNING is the use, so two racing
 * exchanges cannot both win, and a failed exchange has burnt the code). The
 * row is everything /authorize decided, so /token re-decides nothing.
 */
export const oauthAuthorizationCodes = sqliteTable(
  "oauth_authorization_codes",
  {
    orgId: text("org_id").notNull(),
    codeHash: text("code_hash").notNull(),
    authServerId: text("auth_server_id").notNull(),
    clientId: text("client_id").notNull(),
    redirectUri: text("redirect_uri").notNull(),
    /** PKCE S256 challenge; null when the request sent none. */
    codeChallenge: text("code_challenge"),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    nonce: text("nonce"),
    userId: text("user_id").notNull(),
    /** When the user authenticated (the session's last password verification): the tokens' auth_time. */
    authTime: text("auth_time").notNull(),
    /** How the user authenticated (the session's amr): the ID token's `amr`. */
    amr: text("amr", { mode: "json" }).$type<string[]>().notNull(),
    /** SHA-256 of the session the code was issued in (the sessions table's key; the id itself is a bearer secret). */
    sessionId: text("session_id"),
    /** What the access policy decided at /authorize (matched rule, lifetimes): a PolicyGrant of server.ts. */
    policy: text("policy", { mode: "json" }).$type<unknown>().notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.codeHash] }), index("oauth_authorization_codes_expiry").on(t.orgId, t.expiresAt)],
);

/**
 * A user's consent to a scope for a client at an authorization server
 * (REFERENCE-SIGNIN §4.6), an OAuth2ScopeConsentGrant with source END_USER.
 * It outlives the tokens it let through; one row per user × client × server
 * × scope, so consenting again is an upsert.
 */
export const userConsentGrants = sqliteTable(
  "user_consent_grants",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    clientId: text("client_id").notNull(),
    authServerId: text("auth_server_id").notNull(),
    /** The issuer of the server, as OAuth2ScopeConsentGrant names it. */
    issuer: text("issuer").notNull(),
    scopeId: text("scope_id").notNull(),
    source: text("source", { enum: ["END_USER"] }).notNull(),
    status: text("status", { enum: ["ACTIVE", "REVOKED"] }).notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("user_consent_grants_scope").on(t.orgId, t.userId, t.clientId, t.authServerId, t.scopeId),
    index("user_consent_grants_client").on(t.orgId, t.clientId),
  ],
);

/**
 * Refresh tokens (REFERENCE-SIGNIN §5.3): one row per grant — what a user
 * signed in to, for one client at one server. Its values live in
 * oauth_refresh_token_values; rotation adds a value and retires the old one,
 * the row itself stays, so the original expiry, the rule captured at issue
 * and the access tokens minted along the way stay with it. Deleting the row
 * (and its values) revokes it.
 */
export const oauthRefreshTokens = sqliteTable(
  "oauth_refresh_tokens",
  {
    orgId: text("org_id").notNull(),
    /** "oar…", Okta's refresh token id. */
    id: text("id").notNull(),
    authServerId: text("auth_server_id").notNull(),
    clientId: text("client_id").notNull(),
    userId: text("user_id").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    /** The access policy rule matched at issue (custom servers); a refresh keeps it. */
    ruleId: text("rule_id"),
    /** Unix seconds: when the user authenticated (the tokens' auth_time). */
    authTime: integer("auth_time").notNull(),
    amr: text("amr", { mode: "json" }).$type<string[]>().notNull(),
    /** Lifetimes captured at issue, in seconds; null = unlimited. */
    accessTokenLifetime: integer("access_token_lifetime").notNull(),
    idleSeconds: integer("idle_seconds"),
    created: text("created").notNull(),
    /** Unix ms: the original expiry, kept across rotations; null = never. */
    expiresAt: integer("expires_at"),
    /** Unix ms: the last issue or refresh (the idle window runs from it). */
    lastUsedAt: integer("last_used_at").notNull(),
    /** Access tokens minted under this grant (jti, exp in Unix s), revoked with it; expired ones are pruned. */
    accessTokens: text("access_tokens", { mode: "json" }).$type<{ jti: string; exp: number }[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("oauth_refresh_tokens_user").on(t.orgId, t.userId),
    index("oauth_refresh_tokens_client").on(t.orgId, t.clientId, t.authServerId),
  ],
);

/**
 * The values of refresh tokens, by SHA-256 (a value is a bearer secret).
 * `retired_at` null = the current value; a retired value is still accepted
 * within the client's leeway, and presenting it later is reuse.
 */
export const oauthRefreshTokenValues = sqliteTable(
  "oauth_refresh_token_values",
  {
    orgId: text("org_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    refreshTokenId: text("refresh_token_id").notNull(),
    /** Unix ms. */
    retiredAt: integer("retired_at"),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.tokenHash] }), index("oauth_refresh_token_values_token").on(t.orgId, t.refreshTokenId)],
);
