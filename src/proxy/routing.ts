import type { RouteRow } from "../access/route-table";

/**
 * Which routes a proxy org serves itself and which it forwards to its
 * upstream. Served by edgeorg: the operator API (outside any org anyway),
 * the org's landing, docs and OpenAPI pages, and its own org authorization
 * server with its client registry — `/oauth2/v1/token`, `/keys`,
 * `/introspect`, `/revoke`, discovery, `/oauth2/v1/clients/**` — which is
 * how gateway callers get `okta.*` tokens of the proxy org. Everything else
 * with a row in the route table (the management API under `/api/v1`, the
 * upstream's custom authorization servers under `/oauth2/{id}`, hosted
 * pages) is forwarded. A path without a row is not forwarded: the route
 * table is what the edge can enforce, so edgeorg answers it (404/405).
 */
const AT_EDGE = new Set([
  "/",
  "/docs",
  "/openapi.json",
  "/.well-known/openid-configuration",
  "/.well-known/oauth-authorization-server",
  "/oauth2/v1/token",
  "/oauth2/v1/keys",
  "/oauth2/v1/introspect",
  "/oauth2/v1/revoke",
]);

export function servedAtEdge(row: RouteRow): boolean {
  if (row.access.kind === "operator" || row.path.startsWith("/_edgeorg")) return true;
  return AT_EDGE.has(row.path) || row.path === "/oauth2/v1/clients" || row.path.startsWith("/oauth2/v1/clients/");
}
