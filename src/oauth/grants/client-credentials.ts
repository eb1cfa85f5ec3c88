import { activeGrantedScopes } from "../../apps/service";
import { oauthError } from "../../platform/errors";
import { ORG_KEY_SET } from "../jwks";
import { signingKeyFor } from "../keys";
import { mintAccessToken } from "../tokens";
import type { GrantHandler, TokenRequest } from "../token-endpoint";

/**
 * client_credentials at the org authorization server (REFERENCE §6.1–§6.4):
 * service apps with private_key_jwt only; `scope` mandatory; no `.self`
 * scopes; the token carries the requested scopes the app was granted
 * (ungranted ones silently dropped), and none left is consent_required.
 */
export const ORG_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

const OIDC_SCOPES = new Set(["openid", "profile", "email", "address", "phone", "offline_access", "device_sso"]);

/** Scopes from the `scope` parameter: space-separated, de-duplicated, order kept. */
export function requestedScopes(request: TokenRequest): string[] {
  return [...new Set((request.form.get("scope") ?? "").split(" ").filter(Boolean))];
}

export function requireGrantType(request: TokenRequest, grantType: string): void {
  if (!request.client.grantTypes.includes(grantType)) {
    throw oauthError(
      400,
      "unauthorized_client",
      `The client isn't authorized to use the provided grant type. Configured grant types: [${request.client.grantTypes.join(", ")}].`,
    );
  }
}

export const orgClientCredentials: GrantHandler = async (request) => {
  const { c, client } = request;
  if (client.applicationType !== "service") {
    throw oauthError(
      401,
      "invalid_client",
      "Only clients with 'application_type' of 'service' may use the client_credentials 'grant_type' with the Org Authorization Server.",
    );
  }
  if (request.authMethod !== "private_key_jwt") {
    throw oauthError(
      401,
      "invalid_client",
      "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.",
    );
  }
  requireGrantType(request, "client_credentials");

  const scopes = requestedScopes(request);
  if (!scopes.length) throw oauthError(400, "invalid_scope", "No scopes were requested.");
  if (scopes.some((s) => OIDC_SCOPES.has(s))) {
    throw oauthError(400, "invalid_scope", "Cannot request 'openid' scopes using client credentials.");
  }
  if (scopes.some((s) => s.endsWith(".self"))) {
    throw oauthError(400, "client_credentials_self_scope_requested", "The 'client_credentials' grant type may not request .self scopes.");
  }
  // The org authorization server knows only Okta's own scopes; grants can hold nothing else.
  if (scopes.some((s) => !s.startsWith("okta.") && !s.startsWith("ssf."))) {
    throw oauthError(400, "invalid_scope", "One or more scopes are not configured for the authorization server resource.");
  }

  const org = c.var.org;
  const granted = new Set(await activeGrantedScopes(c.var.db, org.id, client.clientId, org.url));
  const allowed = scopes.filter((s) => granted.has(s));
  if (!allowed.length) throw oauthError(400, "consent_required", "You are not allowed any of the requested scopes.");

  const key = await signingKeyFor(c.var.db, c.env, { orgId: org.id, keySet: ORG_KEY_SET });
  const { token } = await mintAccessToken(key, {
    issuer: org.url,
    audience: org.url,
    subject: client.clientId,
    clientId: client.clientId,
    scopes: allowed,
    lifetimeSeconds: ORG_ACCESS_TOKEN_LIFETIME_SECONDS,
    jkt: request.jkt,
  });
  return {
    token_type: request.jkt ? "DPoP" : "Bearer",
    expires_in: ORG_ACCESS_TOKEN_LIFETIME_SECONDS,
    access_token: token,
    scope: allowed.join(" "),
  };
};
