/**
 * edgeorg's own operations: the operator API and the pages. Okta's OpenAPI
 * does not describe them, so they are written here and joined to the Okta
 * operations cut by scripts/build-openapi.mjs. That script imports this file
 * (Node strips the types), so it imports nothing.
 */
export interface OwnOperation {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Hono pattern, as in the route table. */
  route: string;
  tag: string;
  summary: string;
  description?: string;
  /** A JSON request body; the schema is shown as it is. */
  requestBody?: object;
  responses: Record<string, { description: string; content?: object }>;
}

export const OPERATOR_TAG = "edgeorg operator API";
export const PAGES_TAG = "edgeorg pages";

const json = (schema: object) => ({ "application/json": { schema } });
const html = { "text/html": { schema: { type: "string" } } };
const ok = (description: string, schema: object = { type: "object" }) => ({ "200": { description, content: json(schema) } });

const faultRule = {
  type: "object",
  required: ["fault"],
  properties: {
    method: { type: "string", description: "HTTP method the rule matches, or * (default)" },
    path: { type: "string", description: "Org-relative path; * matches any characters, :name one segment (default *)" },
    fault: { type: "string", enum: ["latency", "rateLimit", "serverError", "drop"] },
    latencyMs: { type: "integer", minimum: 1, maximum: 30000, description: "Added before the answer; required for latency, allowed with every fault" },
    status: { type: "integer", enum: [500, 502, 503, 504], description: "serverError only (default 500)" },
    resetSeconds: { type: "integer", minimum: 0, maximum: 60, description: "rateLimit only: X-Rate-Limit-Reset is now + this (default 1)" },
    probability: { type: "number", exclusiveMinimum: 0, maximum: 1, description: "Chance that a matching request is hit (default 1)" },
    count: { type: "integer", minimum: 1, description: "Hit only the next N matching requests (default: until cleared)" },
  },
};

export const ownOperations: OwnOperation[] = [
  { method: "GET", route: "/", tag: PAGES_TAG, summary: "Landing page (browsers; API clients get Okta's 404)", responses: { "200": { description: "HTML", content: html } } },
  { method: "GET", route: "/docs", tag: PAGES_TAG, summary: "This API's operations, grouped by tag, with the scope each needs", responses: { "200": { description: "HTML", content: html } } },
  { method: "GET", route: "/openapi.json", tag: PAGES_TAG, summary: "This document", responses: ok("OpenAPI 3.0 document") },
  { method: "GET", route: "/_edgeorg/health", tag: OPERATOR_TAG, summary: "Liveness", responses: ok("ok") },
  { method: "GET", route: "/_edgeorg/orgs", tag: OPERATOR_TAG, summary: "List orgs", responses: ok("Orgs", { type: "array", items: { type: "object" } }) },
  {
    method: "POST", route: "/_edgeorg/orgs", tag: OPERATOR_TAG, summary: "Create an org (its API token is shown once)",
    description: "With `proxy`, a proxy org in front of a real Okta org (README \"Proxy org\"); its credential is encrypted and never shown.",
    requestBody: {
      content: json({
        type: "object",
        properties: {
          slug: { type: "string" },
          ttlSeconds: { type: "integer" },
          proxy: {
            type: "object",
            required: ["upstreamUrl"],
            properties: {
              upstreamUrl: { type: "string", description: "https://, or http:// on a loopback address" },
              apiToken: { type: "string", description: "SSWS token the proxy calls the upstream with (gateway mode)" },
              clientId: { type: "string", description: "OAuth-for-Okta service app of the upstream (with privateJwk)" },
              privateJwk: { type: "object", description: "Its RSA private key as a JWK" },
              timeoutMs: { type: "integer", minimum: 100, maximum: 120000, description: "Wait for the upstream's status line (default 30000), then 504" },
            },
          },
        },
      }),
    },
    responses: { "201": { description: "The org, with mode mock or proxy", content: json({ type: "object" }) } },
  },
  {
    method: "POST", route: "/_edgeorg/orgs/:slug/serviceApps", tag: OPERATOR_TAG, summary: "A service app of the org with its okta.* grants (gateway callers of a proxy org)",
    requestBody: { content: json({ type: "object", required: ["jwks", "scopes"], properties: { client_name: { type: "string" }, jwks: { type: "object" }, scopes: { type: "array", items: { type: "string" } } } }) },
    responses: { "201": { description: "The client, with its scopes", content: json({ type: "object" }) } },
  },
  { method: "DELETE", route: "/_edgeorg/orgs/:slug", tag: OPERATOR_TAG, summary: "Delete an org and every row it owns", responses: { "204": { description: "Deleted" } } },
  { method: "POST", route: "/_edgeorg/keys/reencrypt", tag: OPERATOR_TAG, summary: "Re-encrypt every org's signing keys after KEY_ENCRYPTION_SECRET was rotated", responses: ok("Count") },
  { method: "GET", route: "/_edgeorg/oauth/stats", tag: OPERATOR_TAG, summary: "OAuth counters of this isolate", responses: ok("Counters") },
  { method: "GET", route: "/_edgeorg/orgs/:slug/faults", tag: OPERATOR_TAG, summary: "List the org's fault rules", responses: ok("Rules", { type: "array", items: faultRule }) },
  {
    method: "POST", route: "/_edgeorg/orgs/:slug/faults", tag: OPERATOR_TAG, summary: "Add a fault rule (latency, 429, 5xx or a dropped connection)",
    requestBody: { content: json(faultRule) },
    responses: { "201": { description: "The rule", content: json(faultRule) } },
  },
  { method: "DELETE", route: "/_edgeorg/orgs/:slug/faults", tag: OPERATOR_TAG, summary: "Remove every fault rule of the org", responses: { "204": { description: "Cleared" } } },
  { method: "DELETE", route: "/_edgeorg/orgs/:slug/faults/:faultId", tag: OPERATOR_TAG, summary: "Remove one fault rule", responses: { "204": { description: "Removed" } } },
  {
    method: "GET", route: "/_edgeorg/orgs/:slug/requests", tag: OPERATOR_TAG, summary: "The org's last requests, newest first (no secrets, no tokens)",
    responses: ok("Log entries", { type: "array", items: { type: "object" } }),
  },
  { method: "GET", route: "/_edgeorg/requests-view", tag: OPERATOR_TAG, summary: "Request log page (asks for the operator token in the browser)", responses: { "200": { description: "HTML", content: html } } },
];

/** Routes of edgeorg's own, which the Okta cut skips. */
export const ownRoutes = new Set(ownOperations.map((op) => `${op.method} ${op.route}`));
