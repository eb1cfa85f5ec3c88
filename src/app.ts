import { Hono } from "hono";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./db/schema";
import { appRoutes } from "./apps/routes";
import { guard } from "./auth/guard";
import { clientRoutes } from "./clients/routes";
import { discoveryRoutes } from "./oauth/discovery";
import { oauthRoutes } from "./oauth/routes";
import { operatorRoutes } from "./orgs/routes";
import { jsonBody } from "./platform/body";
import type { AppEnv } from "./platform/context";
import { ApiError, Errors } from "./platform/errors";
import { randomBase62 } from "./platform/ids";
import { unmatchedHandler } from "./platform/unmatched";
import { groupRoutes } from "./groups/routes";
import { authorizationServerRoutes } from "./authorization-servers/routes";
import { customServerRoutes } from "./authorization-servers/token-routes";
import { userRoutes } from "./users/routes";
import { apiTokenRoutes } from "./orgs/api-token-routes";
import { clientRoleRoutes, groupRoleRoutes, userRoleRoutes } from "./roles/routes";

/**
 * The request travels: request id and database → the guard (scope table,
 * org, credential) → the JSON body reader → the namespace route.
 */
export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  const requestId = randomBase62(24);
  c.set("requestId", requestId);
  c.set("db", drizzle(c.env.DB, { schema }));
  await next();
  c.res.headers.set("X-Okta-Request-Id", requestId);
  // edgeorg does not rate-limit; Okta's headers are still sent (REFERENCE §7.5), a full bucket
  // that resets a minute from now, because SDKs read them to pace their retries.
  c.res.headers.set("X-Rate-Limit-Limit", "600");
  c.res.headers.set("X-Rate-Limit-Remaining", "599");
  c.res.headers.set("X-Rate-Limit-Reset", String(Math.floor(Date.now() / 1000) + 60));
});
app.use("*", guard);
app.use("/api/v1/*", jsonBody);
// "/oauth2/v1/clients/*" also matches "/oauth2/v1/clients": one registration, or the body is read twice.
app.use("/oauth2/v1/clients/*", jsonBody);
app.use("/_edgeorg/*", jsonBody);

app.route("/_edgeorg", operatorRoutes);
app.route("/api/v1/users/:id/roles", userRoleRoutes);
app.route("/api/v1/groups/:groupId/roles", groupRoleRoutes);
app.route("/oauth2/v1/clients/:clientId/roles", clientRoleRoutes);
app.route("/api/v1/api-tokens", apiTokenRoutes);
app.route("/api/v1/users", userRoutes);
app.route("/api/v1/groups", groupRoutes);
app.route("/api/v1/apps", appRoutes);
app.route("/oauth2/v1/clients", clientRoutes);
app.route("/api/v1/authorizationServers", authorizationServerRoutes);
app.route("/oauth2/:authServerId", customServerRoutes);
app.route("/", discoveryRoutes);
app.route("/", oauthRoutes);

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
