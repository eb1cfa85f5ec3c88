import { integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Failure-injection rules of an org (operator API /_edgeorg/orgs/{slug}/faults). */
export const faults = sqliteTable(
  "faults",
  {
    orgId: text("org_id").notNull(),
    id: text("id").notNull(),
    /** Upper-case method, or `*`. */
    method: text("method").notNull(),
    /** Org-relative path pattern: `*` any characters, `:name` one segment. */
    path: text("path").notNull(),
    /** latency | rateLimit | serverError | drop */
    fault: text("fault").notNull(),
    latencyMs: integer("latency_ms"),
    status: integer("status"),
    resetSeconds: integer("reset_seconds"),
    probability: real("probability").notNull(),
    /** Matching requests still to hit; null = until cleared. Decremented atomically in D1. */
    remaining: integer("remaining"),
    created: text("created").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);
