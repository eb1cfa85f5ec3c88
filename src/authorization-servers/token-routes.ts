import { Hono } from "hono";
import { findOAuthClient } from "../apps/service";
import { handleIntrospect, readTokenRequest, verifyIssued, type TokenIssuer } from "../oauth/introspect";
import { publishedJwks } from "../oauth/keys";
import { revokeToken } from "../oauth/revocations";
import { JWKS_CACHE_CONTROL } from "../oauth/routes";
import { handleTokenRequest } from "../oauth/token-endpoint";
import type { AppContext, AppEnv } from "../platform/context";
import { notFound, oktaError } from "../platform/errors";
import { customClientCredentials } from "./client-credentials";
import { forgetTokenStatement } from "./issued-tokens";
import { SYSTEM_SCOPE_NAMES } from "./provision";
import { issuerOf, type ServerRow } from "./schema";
import { cachedJwks, serverState, type ServerState } from "./server-state";
import { SERVER_TYPE } from "./servers";

/**
 * Token serving of custom authorization servers, /oauth2/{authServerId}/…
 * (REFERENCE §5.8–§5.10). Client authentication, DPoP, the JWKS cache and
 * revocation are src/oauth's, shared with the org authorization server.
 *
 * An INACTIVE server answers every one of these endpoints like an unknown
 * one: 404 E0000007. Its tokens no longer introspect, and verifiers that
 * fetch its keys get nothing to trust.
 */
export const customServerRoutes = new Hono<AppEnv>();
const r = customServerRoutes;

async function activeState(c: AppContext): Promise<ServerState> {
  const id = c.req.param("authServerId")!;
  const state = await serverState(c.var.db, c.var.org.id, id);
  if (!state || state.server.status !== "ACTIVE") throw notFound(id, SERVER_TYPE);
  return state;
}

async function activeServer(c: AppContext): Promise<ServerRow> {
  return (await activeState(c)).server;
}

function issuerFor(c: AppContext, server: ServerRow): TokenIssuer {
  return { issuer: issuerOf(c.var.org.url, server.id), audience: server.audiences[0]!, keys: { orgId: server.orgId, keySet: server.id } };
}

r.post("/v1/token", async (c) => {
  const state = await activeState(c);
  return handleTokenRequest(c, { grants: { client_credentials: customClientCredentials(c.var.org.url, state) } });
});

r.get("/v1/keys", async (c) => {
  const server = await activeServer(c);
  const jwks = await cachedJwks(server.orgId, server.id, () => publishedJwks(c.var.db, c.env, { orgId: server.orgId, keySet: server.id }));
  return c.json(jwks, 200, { "Cache-Control": JWKS_CACHE_CONTROL });
});

r.post("/v1/introspect", async (c) => handleIntrospect(c, issuerFor(c, await activeServer(c))));

/** RFC 7009 as src/oauth does it, plus forgetting the management API's record of the token. */
r.post("/v1/revoke", async (c) => {
  const issuer = issuerFor(c, await activeServer(c));
  const { client, token } = await readTokenRequest(c, issuer);
  const claims = await verifyIssued(c, issuer, token);
  if (claims && claims.cid === client.clientId) {
    await revokeToken(c.var.db, c.var.org.id, claims);
    await forgetTokenStatement(c.var.db, c.var.org.id, claims.jti);
  }
  return c.body(null, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
});

const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"];
const SIGNING_ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"];

/** Okta's OAuthMetadata for a custom server (§5.8); custom claims never appear. */
async function metadata(c: AppContext, state: ServerState) {
  const { server } = state;
  const clientId = c.req.query("client_id");
  if (clientId !== undefined && !(await findOAuthClient(c.var.db, c.var.org.id, clientId))) {
    throw oktaError(400, "invalid_client", "Invalid value for `client_id` parameter");
  }
  const custom = state.scopes.filter((s) => !s.system && s.metadataPublish === "ALL_CLIENTS").map((s) => s.name).sort();
  const issuer = issuerOf(c.var.org.url, server.id);
  return {
    issuer,
    authorization_endpoint: `${issuer}/v1/authorize`,
    token_endpoint: `${issuer}/v1/token`,
    registration_endpoint: `${c.var.org.url}/oauth2/v1/clients`,
    jwks_uri: `${issuer}/v1/keys`,
    response_types_supported: ["code", "token", "id_token", "code id_token", "code token", "id_token token", "code id_token token"],
    response_modes_supported: ["query", "fragment", "form_post", "okta_post_message"],
    grant_types_supported: [
      "authorization_code",
      "implicit",
      "refresh_token",
      "password",
      "client_credentials",
      "urn:ietf:params:oauth:grant-type:device_code",
    ],
    subject_types_supported: ["public"],
    // The system scopes are always listed, whatever their metadataPublish says.
    scopes_supported: [...custom, ...SYSTEM_SCOPE_NAMES],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    claims_supported: ["ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"],
    code_challenge_methods_supported: ["S256"],
    introspection_endpoint: `${issuer}/v1/introspect`,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint: `${issuer}/v1/revoke`,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    end_session_endpoint: `${issuer}/v1/logout`,
    request_parameter_supported: true,
    request_object_signing_alg_values_supported: SIGNING_ALGS,
    device_authorization_endpoint: `${issuer}/v1/device/authorize`,
    pushed_authorization_request_endpoint: `${issuer}/v1/par`,
    dpop_signing_alg_values_supported: ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
  };
}

r.get("/.well-known/oauth-authorization-server", async (c) => c.json(await metadata(c, await activeState(c))));

r.get("/.well-known/openid-configuration", async (c) => {
  const base = await metadata(c, await activeState(c));
  const { issuer, authorization_endpoint, token_endpoint, registration_endpoint, jwks_uri, ...rest } = base;
  return c.json({
    issuer,
    authorization_endpoint,
    token_endpoint,
    userinfo_endpoint: `${base.issuer}/v1/userinfo`,
    registration_endpoint,
    jwks_uri,
    ...rest,
    response_types_supported: ["code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"],
    id_token_signing_alg_values_supported: ["RS256"],
    claims_supported: [
      "iss", "ver", "sub", "aud", "iat", "exp", "jti", "auth_time", "amr", "idp", "nonce", "name", "nickname",
      "preferred_username", "given_name", "middle_name", "family_name", "email", "email_verified", "profile",
      "zoneinfo", "locale", "address", "phone_number", "picture", "website", "gender", "birthdate", "updated_at",
      "at_hash", "c_hash",
    ],
  });
});
