import type { AppContext } from "../../platform/context";
import { ASSERTION_ALGORITHMS } from "../crypto/client-auth";
import { DPOP_PROOF_ALGORITHMS } from "../crypto/dpop";
import { RESPONSE_MODES } from "../authorize/request";
import { responseTypesOf } from "../authorize/response-types";
import type { AuthorizationServer } from "../server";
import { ENDPOINTS } from "./index";

/**
 * The two discovery documents of an authorization server (REFERENCE §5.8,
 * §6.4): built from the AuthorizationServer value and the endpoint and
 * grant registries, so they advertise exactly what is served — no
 * authorize, userinfo or logout endpoint and no grant before they exist, no
 * client authentication method the endpoint refuses.
 */
export const DISCOVERY_DOCUMENTS = ["openid-configuration", "oauth-authorization-server"] as const;
export type DiscoveryDocument = (typeof DISCOVERY_DOCUMENTS)[number];

/** The claims of the access tokens edgeorg issues (tokens/access-token.ts). */
const ACCESS_TOKEN_CLAIMS = ["ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"];

export function discoveryDocument(server: AuthorizationServer, document: DiscoveryDocument): Record<string, unknown> {
  const url = (path: string) => server.endpointBase + path;
  const [token, ...others] = ENDPOINTS;
  const doc: Record<string, unknown> = { issuer: server.issuer };
  doc[token!.metadata] = url(token!.path);
  doc.registration_endpoint = server.registrationEndpoint;
  const responseTypes = responseTypesOf(server);
  doc.response_types_supported = responseTypes;
  if (responseTypes.length) doc.response_modes_supported = [...RESPONSE_MODES];
  // PKCE S256 only (REFERENCE-SIGNIN §4.1); okta-auth-js refuses to start a PKCE flow without this field.
  if (server.grantTypes.includes("authorization_code")) doc.code_challenge_methods_supported = ["S256"];
  doc.grant_types_supported = [...server.grantTypes];
  doc.subject_types_supported = ["public"];
  doc.scopes_supported = [...server.scopes.published];
  doc.claims_supported = ACCESS_TOKEN_CLAIMS;
  for (const endpoint of [token!, ...others]) {
    doc[endpoint.metadata] = url(endpoint.path);
    if (endpoint.clientAuth) {
      const methods = server.clientAuth[endpoint.clientAuth];
      doc[`${endpoint.metadata}_auth_methods_supported`] = [...methods];
      if (endpoint.clientAuth === "token" && methods.includes("private_key_jwt")) {
        doc.token_endpoint_auth_signing_alg_values_supported = [...ASSERTION_ALGORITHMS];
      }
    }
  }
  doc.dpop_signing_alg_values_supported = [...DPOP_PROOF_ALGORITHMS];
  if (document === "openid-configuration") doc.id_token_signing_alg_values_supported = ["RS256"];
  return doc;
}

export async function discoveryEndpoint(c: AppContext, server: AuthorizationServer, document: DiscoveryDocument): Promise<Response> {
  await server.checkDiscoveryRequest?.(c);
  return c.json(discoveryDocument(server, document));
}
