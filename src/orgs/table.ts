import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** An org: the unit of isolation. Every other table carries its id as org_id. */
export const orgs = sqliteTable(
  "orgs",
  {
    id: text("id").primaryKey(),
    /** `default` for the org at the root; others answer under /orgs/{slug}. */
    slug: text("slug").notNull(),
    /** The built-in super-admin that owns the org's bootstrap API token. */
    adminUserId: text("admin_user_id").notNull(),
    created: text("created").notNull(),
    /** ISO time after which the scheduled handler deletes the org; null = never. */
    expiresAt: text("expires_at"),
    /**
     * Okta's "Public client app admins" setting: on, a service app granted
     * okta.* scopes is given SUPER_ADMIN at the grant (REFERENCE-SIGNIN §8.5).
     * On by default so that OAuth for Okta works as documented out of the box.
     */
    publicClientAppAdmins: integer("public_client_app_admins", { mode: "boolean" }).notNull().default(true),
    /** "mock": edgeorg serves the org from its own tables; "proxy": it stands in front of a real org (proxy/). */
    mode: text("mode", { enum: ["mock", "proxy"] }).notNull().default("mock"),
  },
  (t) => [uniqueIndex("orgs_slug").on(t.slug), index("orgs_expires_at").on(t.expiresAt)],
);

/** SSWS API tokens, stored as SHA-256 hashes (the token itself is shown once). */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    tokenHash: text("token_hash").notNull(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    created: text("created").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), uniqueIndex("api_tokens_hash").on(t.orgId, t.tokenHash)],
);
