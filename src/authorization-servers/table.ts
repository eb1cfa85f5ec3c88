import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Custom authorization servers (REFERENCE §5.2). The issuer is not stored:
 * it is `<org URL>/oauth2/<id>` and the org URL depends on the origin the
 * request came in on. The default server's id is the literal `default`.
 */
export const authorizationServers = sqliteTable(
  "authorization_servers",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** Exactly one audience (Okta supports one); kept as an array, as the API shows it. */
    audiences: text("audiences", { mode: "json" }).$type<string[]>().notNull(),
    status: text("status", { enum: ["ACTIVE", "INACTIVE"] }).notNull(),
    issuerMode: text("issuer_mode").notNull(),
    rotationMode: text("rotation_mode", { enum: ["AUTO", "MANUAL"] }).notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index("authorization_servers_created").on(t.orgId, t.created, t.id)],
);

/** OAUTH_AUTHORIZATION_POLICY (REFERENCE §5.3); priorities are kept 1..n per server. */
export const authorizationServerPolicies = sqliteTable(
  "authorization_server_policies",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    authServerId: text("auth_server_id").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    priority: integer("priority").notNull(),
    status: text("status", { enum: ["ACTIVE", "INACTIVE"] }).notNull(),
    system: integer("system", { mode: "boolean" }).notNull(),
    /** conditions.clients.include: `ALL_CLIENTS` or client ids. */
    clients: text("clients", { mode: "json" }).$type<string[]>().notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("authorization_server_policies_server").on(t.orgId, t.authServerId, t.priority),
  ],
);

export interface RuleConditions {
  people: {
    users: { include: string[]; exclude: string[] };
    groups: { include: string[]; exclude: string[] };
  };
  grantTypes: { include: string[] };
  scopes: { include: string[] };
}

export interface RuleTokenActions {
  accessTokenLifetimeMinutes: number;
  refreshTokenLifetimeMinutes: number;
  refreshTokenWindowMinutes: number;
  inlineHook?: { id: string };
}

/** RESOURCE_ACCESS rules of a policy (REFERENCE §5.4); priorities kept 1..n per policy. */
export const authorizationServerRules = sqliteTable(
  "authorization_server_rules",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    authServerId: text("auth_server_id").notNull(),
    policyId: text("policy_id").notNull(),
    name: text("name").notNull(),
    priority: integer("priority").notNull(),
    status: text("status", { enum: ["ACTIVE", "INACTIVE"] }).notNull(),
    system: integer("system", { mode: "boolean" }).notNull(),
    conditions: text("conditions", { mode: "json" }).$type<RuleConditions>().notNull(),
    tokenActions: text("token_actions", { mode: "json" }).$type<RuleTokenActions>().notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index("authorization_server_rules_policy").on(t.orgId, t.policyId, t.priority),
    index("authorization_server_rules_server").on(t.orgId, t.authServerId),
  ],
);

/** OAuth2Scope (REFERENCE §5.5); names unique per server. */
export const authorizationServerScopes = sqliteTable(
  "authorization_server_scopes",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    authServerId: text("auth_server_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    displayName: text("display_name"),
    consent: text("consent", { enum: ["IMPLICIT", "REQUIRED", "FLEXIBLE"] }).notNull(),
    optional: integer("optional", { mode: "boolean" }).notNull(),
    isDefault: integer("is_default", { mode: "boolean" }).notNull(),
    metadataPublish: text("metadata_publish", { enum: ["ALL_CLIENTS", "NO_CLIENTS"] }).notNull(),
    system: integer("system", { mode: "boolean" }).notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("authorization_server_scopes_name").on(t.orgId, t.authServerId, t.name),
  ],
);

/** OAuth2Claim (REFERENCE §5.6); names unique per server and claim type. */
export const authorizationServerClaims = sqliteTable(
  "authorization_server_claims",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    authServerId: text("auth_server_id").notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: ["ACTIVE", "INACTIVE"] }).notNull(),
    claimType: text("claim_type", { enum: ["RESOURCE", "IDENTITY"] }).notNull(),
    valueType: text("value_type", { enum: ["EXPRESSION", "GROUPS", "SYSTEM"] }).notNull(),
    value: text("value").notNull(),
    groupFilterType: text("group_filter_type", { enum: ["STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"] }),
    alwaysIncludeInToken: integer("always_include_in_token", { mode: "boolean" }).notNull(),
    /** conditions.scopes; empty = emitted whatever the granted scopes. */
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    system: integer("system", { mode: "boolean" }).notNull(),
    created: text("created").notNull(),
    lastUpdated: text("last_updated").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    uniqueIndex("authorization_server_claims_name").on(t.orgId, t.authServerId, t.claimType, t.name),
  ],
);
