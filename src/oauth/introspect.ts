import type { AppContext } from "../platform/context";
import { oauthError } from "../platform/errors";
import { ALL_CLIENT_AUTH_METHODS, authenticateClient, type ClientAuthMethod } from "./client-auth";
import { readOAuthForm } from "./form";
import type { KeySetRef } from "./jwks";
import { tokenStillValid } from "./client-status";
import { endpointUrl } from "./token-endpoint";
import { verifyAccessToken, type AccessTokenClaims } from "./tokens";

/** Which tokens an authorization server's introspect/revoke endpoints know: its issuer, audience and key set. */
export interface TokenIssuer {
  issuer: string;
  audience: string;
  keys: KeySetRef;
  authMethods?: readonly ClientAuthMethod[];
}

export const missingToken = () => oauthError(400, "invalid_request", "The `token` parameter is required.");

/** The client-authenticated form of introspect and revoke: the calling client and the `token` parameter. */
export async function readTokenRequest(c: AppContext, issuer: TokenIssuer) {
  const form = await readOAuthForm(c);
  const { client } = await authenticateClient(c.req.raw, form, {
    db: c.var.db,
    orgId: c.var.org.id,
    endpointUrl: endpointUrl(c),
    allowed: issuer.authMethods ?? ALL_CLIENT_AUTH_METHODS,
  });
  const token = form.get("token");
  if (!token) throw missingToken();
  return { client, token };
}

/** The claims of one of this issuer's access tokens, verified, or null. */
export async function verifyIssued(c: AppContext, issuer: TokenIssuer, token: string): Promise<AccessTokenClaims | null> {
  const result = await verifyAccessToken(token, {
    issuer: issuer.issuer,
    audience: issuer.audience,
    keys: issuer.keys,
    db: c.var.db,
    kv: c.env.JWKS_CACHE,
  });
  return result.ok ? result.claims : null;
}

/**
 * RFC 7662. A client learns about its own tokens only: any other token —
 * another client's, expired, revoked, foreign or garbage — is
 * `{"active": false}`. Refresh tokens and ID tokens are not issued here, so
 * `token_type_hint` changes nothing.
 */
export async function handleIntrospect(c: AppContext, issuer: TokenIssuer): Promise<Response> {
  const { client, token } = await readTokenRequest(c, issuer);
  const claims = await verifyIssued(c, issuer, token);
  const headers = { "Cache-Control": "no-store", Pragma: "no-cache" };
  if (!claims || claims.cid !== client.clientId || !(await tokenStillValid(c.var.db, c.var.org.id, claims))) {
    return c.json({ active: false }, 200, headers);
  }
  return c.json(
    {
      active: true,
      token_type: claims.cnf ? "DPoP" : "Bearer",
      scope: claims.scp.join(" "),
      client_id: claims.cid,
      username: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
      ...(claims.uid ? { uid: claims.uid } : {}),
      ...(claims.cnf ? { cnf: claims.cnf } : {}),
    },
    200,
    headers,
  );
}
