import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Apps (REFERENCE §3.1). Only OIDC apps exist in edgeorg, so the OAuth
 * client settings are columns: the token endpoint reads them on every
 * request. A DCR client (§4) is the same row: client_name is the label.
 */
export const apps = sqliteTable(
  "apps",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    /** Okta's app "name" (the catalogue key): always `oidc_client` here. */
    name: text("name").notNull(),
    /** The display name; DCR's client_name. */
    label: text("label").notNull(),
    status: text("status", { enum: ["ACTIVE", "INACTIVE"] }).notNull(),
    signOnMode: text("sign_on_mode").notNull(),
    /** = id unless supplied on POST /api/v1/apps; immutable. */
    clientId: text("client_id").notNull(),
    applicationType: text("application_type", { enum: ["web", "native", "browser", "service"] }).notNull(),
    grantTypes: text("grant_types", { mode: "json" }).$type<string[]>().notNull(),
    responseTypes: text("response_types", { mode: "json" }).$type<string[]>().notNull(),
    redirectUris: text("redirect_uris", { mode: "json" }).$type<string[]>().notNull(),
    postLogoutRedirectUris: text("post_logout_redirect_uris", { mode: "json" }).$type<string[]>().notNull(),
    tokenEndpointAuthMethod: text("token_endpoint_auth_method", {
      enum: ["none", "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt"],
    }).notNull(),
    /** Public JWKs (each with its kid), without the {keys} wrapper. */
    jwks: text("jwks", { mode: "json" }).$type<JsonWebKey[]>().notNull(),
    dpopBoundAccessTokens: integer("dpop_bound_access_tokens", { mode: "boolean" }).notNull(),
    pkceRequired: integer("pkce_required", { mode: "boolean" }).notNull(),
    /** TRUSTED (created via /api/v1/apps) or REQUIRED (via DCR). */
    consentMethod: text("consent_method").notNull(),
    issuerMode: text("issuer_mode").notNull(),
    /** SHA-256 hex of the client secret; the secret itself is shown once. */
    clientSecretHash: text("client_secret_hash"),
    clientName: text("client_name").notNull(),
    /**
     * The rest of the client metadata that edgeorg stores and echoes but does
     * not act on (client_uri, logo_uri, policy_uri, tos_uri, initiate_login_uri,
     * request_object_signing_alg, …), keyed by its DCR name.
     */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
    /** Unix seconds. */
    clientIdIssuedAt: integer("client_id_issued_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("apps_client_id").on(t.orgId, t.clientId),
    index("apps_created").on(t.orgId, t.created, t.id),
    index("apps_label").on(t.orgId, t.label, t.id),
  ],
);

/** OAuth2ScopeConsentGrant (REFERENCE §3.2): an okta.* scope granted to an app. */
export const appGrants = sqliteTable(
  "app_grants",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    appId: text("app_id").notNull(),
    clientId: text("client_id").notNull(),
    scopeId: text("scope_id").notNull(),
    issuer: text("issuer").notNull(),
    status: text("status", { enum: ["ACTIVE", "REVOKED"] }).notNull(),
    source: text("source", { enum: ["ADMIN", "END_USER"] }).notNull(),
    /** {id, type}: the principal that granted it. */
    createdBy: text("created_by", { mode: "json" }).$type<{ id: string; type: string }>().notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("app_grants_app").on(t.orgId, t.appId, t.created),
    index("app_grants_client").on(t.orgId, t.clientId, t.issuer, t.status),
  ],
);

/** A user assigned to an app directly (REFERENCE-SIGNIN §9): AppUser with scope USER. */
export const appUserAssignments = sqliteTable(
  "app_user_assignments",
  {
    orgId: text("org_id").notNull(),
    appId: text("app_id").notNull(),
    userId: text("user_id").notNull(),
    /** credentials.userName; null = from the user's login. */
    userName: text("user_name"),
    profile: text("profile", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.appId, t.userId] }), index("app_user_assignments_user").on(t.orgId, t.userId)],
);

/** A group assigned to an app (ApplicationGroupAssignment); its members are assigned with scope GROUP. */
export const appGroupAssignments = sqliteTable(
  "app_group_assignments",
  {
    orgId: text("org_id").notNull(),
    appId: text("app_id").notNull(),
    groupId: text("group_id").notNull(),
    priority: integer("priority").notNull(),
    profile: text("profile", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.appId, t.groupId] }), index("app_group_assignments_group").on(t.orgId, t.groupId)],
);
