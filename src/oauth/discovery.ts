import { Hono } from "hono";
import type { AppEnv } from "../platform/context";

/**
 * Discovery of the org authorization server (REFERENCE §6.4): issuer = the
 * org URL, endpoints of the org authorization server.
 */
export const discoveryRoutes = new Hono<AppEnv>();

export function orgServerMetadata(orgUrl: string) {
  return {
    issuer: orgUrl,
    authorization_endpoint: `${orgUrl}/oauth2/v1/authorize`,
    token_endpoint: `${orgUrl}/oauth2/v1/token`,
    registration_endpoint: `${orgUrl}/oauth2/v1/clients`,
    jwks_uri: `${orgUrl}/oauth2/v1/keys`,
    introspection_endpoint: `${orgUrl}/oauth2/v1/introspect`,
    introspection_endpoint_auth_methods_supported: ["private_key_jwt", "client_secret_basic", "client_secret_post", "client_secret_jwt", "none"],
    revocation_endpoint: `${orgUrl}/oauth2/v1/revoke`,
    revocation_endpoint_auth_methods_supported: ["private_key_jwt", "client_secret_basic", "client_secret_post", "client_secret_jwt", "none"],
    response_types_supported: ["token"],
    response_modes_supported: ["query", "fragment", "form_post", "okta_post_message"],
    grant_types_supported: ["client_credentials"],
    subject_types_supported: ["public"],
    token_endpoint_auth_methods_supported: ["private_key_jwt"],
    token_endpoint_auth_signing_alg_values_supported: ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
    scopes_supported: [],
    claims_supported: ["ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"],
    code_challenge_methods_supported: ["S256"],
    request_parameter_supported: true,
    dpop_signing_alg_values_supported: ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
  };
}

discoveryRoutes.get("/.well-known/openid-configuration", (c) =>
  c.json({ ...orgServerMetadata(c.var.org.url), id_token_signing_alg_values_supported: ["RS256"] }),
);
discoveryRoutes.get("/.well-known/oauth-authorization-server", (c) => c.json(orgServerMetadata(c.var.org.url)));
