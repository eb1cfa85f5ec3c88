import { base64url } from "jose";
import { oauthError } from "../../platform/errors";
import { findUser } from "../../users/record";
import { orThrow } from "../failure";
import type { PolicyGrant } from "../server";
import { redeemAuthorizationCode } from "../tokens/authorization-codes";
import type { Grant, TokenResponse } from "./grant";
import { requireGrantType } from "./grant";
import { issueUserTokens } from "./user-tokens";

/**
 * authorization_code (REFERENCE-SIGNIN §5.2), one path for both server
 * kinds. The client was authenticated by the token endpoint with its own
 * configured method (a public client: `none`, its proof being PKCE). The
 * code is spent before anything is checked, so a failed exchange leaves
 * nothing to retry (⚠ §5.2); everything the tokens carry was decided at
 * /authorize and stored with the code.
 */
const INVALID_CODE = "The authorization code is invalid or has expired.";
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export const authorizationCode: Grant = {
  grantType: "authorization_code",
  async handle(request) {
    const { c, server, client, form } = request;
    requireGrantType(request, "authorization_code");
    const grant = await redeemAuthorizationCode(c.var.db, c.var.org.id, form.get("code") ?? "");
    if (!grant) throw oauthError(400, "invalid_grant", INVALID_CODE);
    if (grant.clientId !== client.clientId) {
      throw oauthError(
        400,
        "invalid_grant",
        "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
      );
    }
    if (grant.authServerId !== server.id) throw oauthError(400, "invalid_request", "The grant was issued for another authorization server.");
    if (form.get("redirect_uri") !== grant.redirectUri) {
      throw oauthError(400, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
    }
    await checkPkce(grant.codeChallenge, form.get("code_verifier"));
    // The user may have been deactivated since: the code then stands for nobody.
    const user = await findUser(c.var.db, c.var.org.id, grant.userId);
    if (!user || user.status !== "ACTIVE") throw oauthError(400, "invalid_grant", INVALID_CODE);

    // The defaults are §5.2's: an access token, an ID token with openid, a refresh token with
    // offline_access when the app has the refresh_token grant (without it: none, no error ⚠).
    const issued = await issueUserTokens({
      c,
      server,
      client,
      user,
      scopes: grant.scopes,
      policy: grant.policy as PolicyGrant,
      authTime: Math.floor(Date.parse(grant.authTime) / 1000),
      amr: grant.amr,
      nonce: grant.nonce ?? undefined,
      jkt: request.jkt,
    });
    return orThrow(issued).response as TokenResponse;
  },
};

/** RFC 7636 S256: BASE64URL(SHA-256(verifier)) must equal the stored challenge. */
async function checkPkce(challenge: string | null, verifier: string | null): Promise<void> {
  if (challenge === null) {
    if (verifier !== null) {
      throw oauthError(400, "invalid_request", "PKCE code challenge should be specified in the authorize request for code verification.");
    }
    return;
  }
  if (verifier === null) throw oauthError(400, "invalid_request", "PKCE code verifier is required by the application.");
  if (!VERIFIER.test(verifier)) throw oauthError(400, "invalid_grant", "PKCE verification failed.");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  if (base64url.encode(digest) !== challenge) throw oauthError(400, "invalid_grant", "PKCE verification failed.");
}
