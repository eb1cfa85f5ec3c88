import { oauthError } from "../../platform/errors";
import { orThrow } from "../failure";
import { customClaims } from "../tokens/custom-claims";
import type { Grant } from "./grant";
import { issueAccessToken, requestedScopes, requireGrantType } from "./grant";

/**
 * client_credentials (REFERENCE §5.9 for custom servers, §6.1–§6.4 for the
 * org server), one path for both; what differs is the server's data:
 * which application types and client authentication methods may use it,
 * its scope catalog (defaults, OIDC scopes, consent, per-app grants) and
 * its access policy (the token lifetime).
 */
export const clientCredentials: Grant = {
  grantType: "client_credentials",
  async handle(request) {
    const { server, client } = request;
    const appTypes = server.clientCredentialsApplicationTypes;
    if (appTypes && !appTypes.includes(client.applicationType)) {
      throw oauthError(
        401,
        "invalid_client",
        `Only clients with 'application_type' of '${appTypes.join("', '")}' may use the client_credentials 'grant_type' with the ${server.name}.`,
      );
    }
    const methods = server.clientCredentialsAuthMethods ?? server.clientAuth.token;
    if (!methods.includes(request.authMethod)) {
      throw oauthError(
        401,
        "invalid_client",
        `Client Credentials requests to the ${server.name} must use the ${methods.join(", ")} token_endpoint_auth_method.`,
      );
    }
    requireGrantType(request, "client_credentials");

    const catalog = server.scopes;
    let scopes = requestedScopes(request);
    if (!scopes.length) {
      scopes = [...catalog.defaults];
      if (!scopes.length) throw oauthError(400, "invalid_scope", catalog.noScopeRequested);
    }
    if (scopes.some((s) => catalog.isOidc(s))) {
      throw oauthError(400, "invalid_scope", "Cannot request 'openid' scopes using client credentials.");
    }
    if (catalog.refusesSelfScopes && scopes.some((s) => s.endsWith(".self"))) {
      throw oauthError(400, "client_credentials_self_scope_requested", "The 'client_credentials' grant type may not request .self scopes.");
    }
    if (scopes.some((s) => !catalog.isDefined(s))) {
      throw oauthError(400, "invalid_scope", "One or more scopes are not configured for the authorization server resource.");
    }
    const needConsent = scopes.filter((s) => catalog.requiresConsent(s));
    if (needConsent.length) {
      throw oauthError(
        400,
        "consent_required",
        `The following scopes require user consent and cannot be granted for the client credentials grant type: [${needConsent.join(", ")}]`,
      );
    }
    if (catalog.granted) {
      // Requested scopes the app was not granted are dropped silently; none left is consent_required.
      const granted = request.grantedScopes ?? (await catalog.granted(client));
      scopes = scopes.filter((s) => granted.has(s));
      if (!scopes.length) throw oauthError(400, "consent_required", "You are not allowed any of the requested scopes.");
    }

    const { accessTokenLifetimeSeconds } = orThrow(server.accessPolicy({ client, grantType: "client_credentials", scopes }));
    const { claims: extraClaims } = orThrow(customClaims(server.claims, { claimType: "RESOURCE", granted: scopes }, { client }));
    return issueAccessToken(request, { subject: client.clientId, scopes, lifetimeSeconds: accessTokenLifetimeSeconds, extraClaims });
  },
};
