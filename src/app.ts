import { Hono } from "hono";
import { drizzle } from "drizzle-orm/d1";
import { authenticate } from "./access/authenticate";
import { authorize } from "./access/authorize";
import { forgetConfigAfterWrites } from "./access/config-writes";
import { routeRow } from "./access/route";
import { appRoutes } from "./apps/routes";
import { clientRoutes } from "./clients/routes";
import { oauthEndpointCors } from "./oauth/cors";
import { oauthRoutes } from "./oauth/routes";
import { oauthStatsRoutes } from "./oauth/stats";
import type { Provisioner } from "./orgs/provisioner";
import { orgResolution } from "./orgs/resolve";
import { operatorRoutes } from "./orgs/routes";
import { injectFaults } from "./operator/faults/inject";
import { openApiRoutes } from "./operator/openapi/route";
import { logRequests } from "./operator/request-log/middleware";
import { operatorOrgRoutes } from "./operator/routes";
import { orgPageRoutes } from "./pages/routes";
import { jsonBody } from "./platform/body";
import type { AppEnv, Db } from "./platform/context";
import { ApiError, Errors } from "./platform/errors";
import { randomBase62 } from "./platform/ids";
import { countD1, countKv, newStorageCounts, storageCountHeaders } from "./platform/storage-counts";
import { unmatchedHandler } from "./platform/unmatched";
import { uriLimit } from "./platform/uri-limit";
import { groupRoutes } from "./groups/routes";
import { authorizationServerRoutes } from "./authorization-servers/routes";
import { provisionDefaultServer } from "./authorization-servers/provision";
import { provisionGroups } from "./groups/provision";
import { provisionUsers } from "./users/provision";
import { provisionRoles } from "./access/roles/provision";
import { userRoutes } from "./users/routes";
import { authorizeRoles } from "./access/roles/authorize";
import { apiTokenRoutes } from "./orgs/api-token-routes";
import { clientRoleRoutes, groupRoleRoutes, userRoleRoutes } from "./roles/routes";
import { assignmentRoutes } from "./apps/assignment-routes";
import { authnRoutes } from "./signin/authn/routes";
import { apiCors } from "./signin/origins/cors";
import { trustedOriginRoutes } from "./signin/origins/routes";
import { pageRoutes } from "./signin/pages/routes";
import { proxyOrgs } from "./proxy/middleware";
import { serviceAppRoutes } from "./proxy/service-apps";
import { sessionRoutes } from "./signin/session-routes";

/** What every new org gets, in this order, in the batch that creates it (orgs/provisioner.ts). */
export const provisioners: readonly Provisioner[] = [provisionUsers, provisionGroups, provisionDefaultServer, provisionRoles];

/**
 * The access pipeline (DESIGN "The way a request travels"): the route's row
 * of the route table → org resolution → authentication (the Actor) →
 * authorization (scopes) → admin roles; after a management write, the
 * isolate's cached configuration of the org is voided.
 */
export const accessPipeline = [routeRow, orgResolution(provisioners), authenticate, authorize, authorizeRoles, forgetConfigAfterWrites] as const;

/**
 * One drizzle instance per D1 binding, made once per isolate: the instance
 * holds no state of a request, and building two per request (with the
 * relational schema) was about 0.5 ms of CPU in a profile of the no-op
 * route. No relational schema: queries name their tables.
 */
const dbs = new WeakMap<D1Database, Db>();
function dbOf(binding: D1Database): Db {
  let db = dbs.get(binding);
  if (!db) dbs.set(binding, (db = drizzle(binding)));
  return db;
}

/**
 * The request travels: request id and database → the request log (written
 * after the answer) → the URI limit → the access pipeline, with failure
 * injection between org resolution and authentication → the JSON body
 * reader → the namespace route.
 */
export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  const requestId = randomBase62(24);
  c.set("requestId", requestId);
  c.set("bookkeepingDb", dbOf(c.env.DB));
  // Operator debug flag: count this request's D1 statements and KV reads (src/platform/storage-counts.ts).
  const counts = c.env.DEBUG_STORAGE_COUNTS === "true" ? newStorageCounts() : null;
  if (counts) c.env = { ...c.env, DB: countD1(c.env.DB, counts), JWKS_CACHE: countKv(c.env.JWKS_CACHE, counts) };
  c.set("db", counts ? drizzle(c.env.DB) : dbOf(c.env.DB));
  await next();
  if (counts) for (const [name, value] of Object.entries(storageCountHeaders(counts))) c.res.headers.set(name, value);
  // A proxy org's forwarded answer keeps the upstream's request id (proxy/middleware.ts).
  if (!c.res.headers.has("X-Okta-Request-Id")) c.res.headers.set("X-Okta-Request-Id", requestId);
  // edgeorg does not rate-limit; Okta's headers are still sent (REFERENCE §7.5), a full bucket
  // that resets a minute from now, because SDKs read them to pace their retries.
  // An answer with its own bucket (an injected 429) keeps it.
  if (c.res.headers.has("X-Rate-Limit-Reset")) return;
  c.res.headers.set("X-Rate-Limit-Limit", "600");
  c.res.headers.set("X-Rate-Limit-Remaining", "599");
  c.res.headers.set("X-Rate-Limit-Reset", String(Math.floor(Date.now() / 1000) + 60));
});
app.use("*", logRequests);
app.use("*", uriLimit);
// Before the access pipeline, so that its refusals carry CORS headers a browser app can read.
app.use("/api/v1/*", apiCors(provisioners));
app.use("*", oauthEndpointCors(provisioners));
// Failure injection once the org is known, before any credential is read (operator/faults/inject.ts);
// then a proxy org forwards what it does not serve itself (proxy/middleware.ts).
const [routeStep, orgStep, ...credentialSteps] = accessPipeline;
app.use("*", routeStep, orgStep, injectFaults, proxyOrgs, ...credentialSteps);
app.use("/api/v1/*", jsonBody);
// "/oauth2/v1/clients/*" also matches "/oauth2/v1/clients": one registration, or the body is read twice.
app.use("/oauth2/v1/clients/*", jsonBody);
app.use("/_edgeorg/*", jsonBody);

app.route("/_edgeorg", operatorRoutes(provisioners));
app.route("/_edgeorg", operatorOrgRoutes(provisioners));
app.route("/_edgeorg", serviceAppRoutes);
app.route("/", oauthStatsRoutes);
app.route("/api/v1/users/:id/roles", userRoleRoutes);
app.route("/api/v1/groups/:groupId/roles", groupRoleRoutes);
app.route("/oauth2/v1/clients/:clientId/roles", clientRoleRoutes);
app.route("/api/v1/api-tokens", apiTokenRoutes);
app.route("/api/v1/users", userRoutes);
app.route("/api/v1/groups", groupRoutes);
app.route("/api/v1/apps", appRoutes);
app.route("/api/v1/apps/:appId", assignmentRoutes);
app.route("/api/v1/authn", authnRoutes);
app.route("/api/v1", sessionRoutes);
app.route("/api/v1/trustedOrigins", trustedOriginRoutes);
app.route("/", pageRoutes);
app.route("/oauth2/v1/clients", clientRoutes);
app.route("/api/v1/authorizationServers", authorizationServerRoutes);
app.route("/", oauthRoutes);
app.route("/", openApiRoutes);
app.route("/", orgPageRoutes);

const unmatched = unmatchedHandler(app);
app.notFound((c) => {
  const error = unmatched(new URL(c.req.url).pathname);
  return error.toResponse();
});

app.onError((error, c) => {
  if (error instanceof ApiError) return error.toResponse();
  // Internals stay in the log, under the request id the client was given.
  console.error(`request ${c.var.requestId ?? "?"} failed:`, error);
  return Errors.internal().toResponse();
});
