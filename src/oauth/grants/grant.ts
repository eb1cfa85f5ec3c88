import type { OAuthClient } from "../../apps/service";
import type { AppContext } from "../../platform/context";
import { oauthError } from "../../platform/errors";
import type { ClientAuthMethod } from "../crypto/client-auth";
import { signingKeyFor } from "../crypto/keys";
import { mintAccessToken } from "../tokens/access-token";
import { recordIssuedToken } from "../tokens/issued";
import type { AuthorizationServer } from "../server";

/** A token request after the endpoint's common work: form read, client authenticated, DPoP proof checked. */
export interface TokenRequest {
  c: AppContext;
  server: AuthorizationServer;
  form: URLSearchParams;
  client: OAuthClient;
  /** The client's granted scopes, when the endpoint read them with the client (the server's `scopes.granted`, already answered). */
  grantedScopes?: ReadonlySet<string>;
  authMethod: ClientAuthMethod;
  /** Thumbprint of the DPoP key when the client is DPoP-bound: the token gets cnf.jkt and token_type DPoP. */
  jkt?: string;
}

export interface TokenResponse {
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  /** Absent only when /authorize answers `response_type=id_token` alone. */
  access_token?: string;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

/** One grant type: its decision on a token request (grants/*.ts, registered in grants/index.ts). */
export interface Grant {
  grantType: string;
  handle(request: TokenRequest): Promise<TokenResponse>;
}

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

/**
 * Signs the access token with the server's active key, records it when the
 * server keeps a record of its tokens, and shapes the token response.
 */
export async function issueAccessToken(
  request: TokenRequest,
  token: { subject: string; userId?: string; scopes: string[]; lifetimeSeconds: number; extraClaims?: Record<string, unknown> },
): Promise<TokenResponse> {
  const { c, server, client } = request;
  const key = await signingKeyFor(c.var.db, c.env, server.keys);
  const minted = await mintAccessToken(key, {
    issuer: server.issuer,
    audience: server.audience,
    subject: token.subject,
    clientId: client.clientId,
    userId: token.userId,
    scopes: token.scopes,
    lifetimeSeconds: token.lifetimeSeconds,
    jkt: request.jkt,
    extraClaims: token.extraClaims,
  });
  if (server.recordsIssuedTokens) {
    await recordIssuedToken(c.var.db, {
      orgId: c.var.org.id,
      authServerId: server.id,
      jti: minted.claims.jti,
      clientId: client.clientId,
      scopes: token.scopes,
      iat: minted.claims.iat,
      exp: minted.claims.exp,
    });
  }
  return {
    token_type: request.jkt ? "DPoP" : "Bearer",
    expires_in: token.lifetimeSeconds,
    access_token: minted.token,
    scope: token.scopes.join(" "),
  };
}
