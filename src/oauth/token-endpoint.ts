import type { OAuthClient } from "../apps/service";
import type { AppContext } from "../platform/context";
import { oauthError } from "../platform/errors";
import { ALL_CLIENT_AUTH_METHODS, authenticateClient, type ClientAuthMethod } from "./client-auth";
import { currentNonce, DpopError, isValidNonce, verifyDpopProof } from "./dpop";
import { missingSecretError } from "./key-encryption";
import { readOAuthForm } from "./form";

/**
 * POST …/v1/token of any authorization server: form parsing, client
 * authentication, the DPoP proof of DPoP-bound clients, then the grant's
 * own decision (grants/*.ts, one file per grant type).
 */
export interface TokenRequest {
  c: AppContext;
  form: URLSearchParams;
  client: OAuthClient;
  authMethod: ClientAuthMethod;
  /** Thumbprint of the DPoP key when the client is DPoP-bound: the token gets cnf.jkt and token_type DPoP. */
  jkt?: string;
}

export interface TokenResponse {
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  access_token: string;
  scope: string;
  [field: string]: unknown;
}

export type GrantHandler = (request: TokenRequest) => Promise<TokenResponse>;

export interface TokenEndpoint {
  /** Grant handlers by grant_type. */
  grants: Record<string, GrantHandler>;
  /** Client authentication methods this server accepts at /token. */
  authMethods?: readonly ClientAuthMethod[];
}

/** The URL of the endpoint as the client addressed it: the org URL (with any /orgs/<slug> prefix) and the path. */
export function endpointUrl(c: AppContext): string {
  return c.var.org.url + new URL(c.req.url).pathname;
}

export async function handleTokenRequest(c: AppContext, endpoint: TokenEndpoint): Promise<Response> {
  const form = await readOAuthForm(c);
  const grantType = form.get("grant_type");
  const supported = Object.keys(endpoint.grants);
  if (!grantType) {
    throw oauthError(400, "invalid_request", `The token request must specify a 'grant_type'. Valid values: [${supported.join(", ")}]`);
  }
  const grant = endpoint.grants[grantType];
  if (!grant) {
    throw oauthError(
      400,
      "unsupported_grant_type",
      `The authorization grant type is not supported by the authorization server. Configured grant types: [${supported.join(", ")}].`,
    );
  }
  const { client, method } = await authenticateClient(c.req.raw, form, {
    db: c.var.db,
    orgId: c.var.org.id,
    endpointUrl: endpointUrl(c),
    allowed: endpoint.authMethods ?? ALL_CLIENT_AUTH_METHODS,
  });
  const jkt = client.dpopBoundAccessTokens ? await tokenEndpointProof(c) : undefined;
  const body = await grant({ c, form, client, authMethod: method, jkt });
  return c.json(body, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
}

/**
 * DPoP at the token endpoint (§6.6): a proof is required, and it must carry
 * a current server nonce; without one the client gets 400 use_dpop_nonce and
 * the nonce in DPoP-Nonce. Clients that are not DPoP-bound never get here:
 * their DPoP header is ignored and they get Bearer tokens.
 */
async function tokenEndpointProof(c: AppContext): Promise<string> {
  const secret = c.env.KEY_ENCRYPTION_SECRET;
  if (!secret) throw missingSecretError();
  const orgId = c.var.org.id;
  try {
    const { jkt } = await verifyDpopProof({
      proof: c.req.header("dpop"),
      method: "POST",
      url: endpointUrl(c),
      orgId,
      db: c.var.db,
      nonceValid: (nonce) => isValidNonce(secret, orgId, nonce),
    });
    return jkt;
  } catch (error) {
    if (!(error instanceof DpopError)) throw error;
    const headers: Record<string, string> = {};
    if (error.error === "use_dpop_nonce") headers["DPoP-Nonce"] = await currentNonce(secret, orgId);
    throw oauthError(400, error.error, error.description, headers);
  }
}
