import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../platform/context";
import { orgConfigWritten } from "../platform/org-write-cache";
import type { RouteRow } from "./route-table";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request may change the org configuration that isolates cache
 * (platform/org-write-cache.ts: admin role holdings, OAuth clients with
 * their grants, ACTIVE group rules). Every write through the management API
 * (scope rows) may — roles and targets, group memberships (by admins, by
 * rules, by deletes), deletes that take a role's target with them, apps,
 * clients, grants, group rules — but creating a user: the new user holds
 * nothing anyone cached. Public rows (OAuth endpoints, the Authentication
 * API, sessions, pages) change no role, membership, client or rule;
 * operator rows act outside any org, and a deleted org's ids never come back.
 */
export function mayChangeOrgConfig(method: string, row: RouteRow): boolean {
  return row.access.kind === "scope" && !READS.has(method) && !(row.method === "POST" && row.path === "/api/v1/users");
}

/**
 * The access pipeline's last step: once such a write has answered —
 * succeeded or not, since a failed step may follow a committed one — this
 * isolate's cached configuration of the org is void.
 */
export const forgetConfigAfterWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  const row = c.get("route");
  if (!row || !mayChangeOrgConfig(c.req.method, row)) return next();
  try {
    await next();
  } finally {
    orgConfigWritten(c.var.org.id);
  }
};
