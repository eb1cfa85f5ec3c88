import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The last requests of each org (GET /_edgeorg/orgs/{slug}/requests). Only
 * what explains an answer — never a credential, a token or a query value
 * that could be one. Trimmed to REQUEST_LOG_SIZE rows per org as it is written.
 */
export const requestLog = sqliteTable(
  "request_log",
  {
    orgId: text("org_id").notNull(),
    requestId: text("request_id").notNull(),
    /** Epoch milliseconds the request arrived. */
    at: integer("at").notNull(),
    /** Arrival order within one isolate: breaks ties of `at` (the Workers clock stands still between I/O). */
    seq: integer("seq").notNull(),
    method: text("method").notNull(),
    /** Org-relative path; secret-looking path parameters and query values replaced. */
    path: text("path").notNull(),
    status: integer("status").notNull(),
    actorKind: text("actor_kind"),
    actorId: text("actor_id"),
    clientId: text("client_id"),
    errorCode: text("error_code"),
    errorSummary: text("error_summary"),
    fault: text("fault"),
    latencyMs: integer("latency_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.requestId] }), index("request_log_org_at").on(t.orgId, t.at, t.seq)],
);

export type RequestLogEntry = typeof requestLog.$inferSelect;
