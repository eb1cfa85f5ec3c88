import { activeGrantedScopes } from "../../apps/service";
import type { AppContext } from "../../platform/context";
import { ALL_CLIENT_AUTH_METHODS } from "../crypto/client-auth";
import { ORG_KEY_SET } from "../crypto/jwks";
import { publishedJwks } from "../crypto/keys";
import type { AuthorizationServer } from "../server";

/**
 * The org authorization server (REFERENCE §6): issuer = audience = the org
 * URL; only Okta's own scopes, granted per app through
 * /api/v1/apps/{id}/grants; client_credentials for service apps using
 * private_key_jwt; one-hour tokens; no custom claims.
 */
export const ORG_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/** Refresh tokens of the org server live 90 days, fixed (REFERENCE-SIGNIN §5.3). */
export const ORG_REFRESH_TOKEN_LIFETIME_SECONDS = 90 * 86_400;

const OIDC_SCOPES = new Set(["openid", "profile", "email", "address", "phone", "offline_access", "device_sso", "groups"]);

export async function orgServer(c: AppContext): Promise<AuthorizationServer> {
  const org = c.var.org;
  const keys = { orgId: org.id, keySet: ORG_KEY_SET };
  return {
    id: ORG_KEY_SET,
    name: "Org Authorization Server",
    issuer: org.url,
    audience: org.url,
    endpointBase: `${org.url}/oauth2/v1`,
    registrationEndpoint: `${org.url}/oauth2/v1/clients`,
    keys,
    grantTypes: ["authorization_code", "implicit", "client_credentials", "password", "refresh_token"],
    clientAuth: { token: ALL_CLIENT_AUTH_METHODS, introspect: ALL_CLIENT_AUTH_METHODS, revoke: ALL_CLIENT_AUTH_METHODS },
    // Service apps get Okta-scoped tokens with a key only (§6.1); user grants take every method.
    clientCredentialsAuthMethods: ["private_key_jwt"],
    clientCredentialsApplicationTypes: ["service"],
    scopes: {
      defaults: [],
      noScopeRequested: "No scopes were requested.",
      // The org authorization server knows only Okta's own scopes; grants can hold nothing else.
      isDefined: (name) => name.startsWith("okta.") || name.startsWith("ssf."),
      isOidc: (name) => OIDC_SCOPES.has(name),
      refusesSelfScopes: true,
      requiresConsent: () => false,
      consentOf: () => ({ consent: "IMPLICIT", optional: false }),
      granted: async (client) => new Set(await activeGrantedScopes(c.var.db, org.id, client.clientId, org.url)),
      published: [],
    },
    // No policies (§5.5): assignment and grants decide; fixed lifetimes.
    accessPolicy: () => ({
      ok: true,
      ruleId: null,
      accessTokenLifetimeSeconds: ORG_ACCESS_TOKEN_LIFETIME_SECONDS,
      refreshTokenLifetimeSeconds: ORG_REFRESH_TOKEN_LIFETIME_SECONDS,
      refreshTokenIdleSeconds: null,
    }),
    claims: [],
    recordsIssuedTokens: false,
    publishedJwks: () => publishedJwks(c.var.db, c.env, keys),
  };
}
