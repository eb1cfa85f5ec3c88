import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { ORG_KEY_SET } from "../../src/oauth/crypto/jwks";
import { signingKeyFor } from "../../src/oauth/crypto/keys";
import { forgeAccessToken, testDb } from "../oauth/forge";
import { call } from "../support/http";
import { registerServiceClient } from "../support/oauth";
import type { Ctx } from "../users/helpers";

/**
 * A user access token of the org authorization server for `user` with
 * these scopes (REFERENCE-SIGNIN §6.2: `uid` = user id, `sub` = login),
 * signed with the org's real key and verified for real by the pipeline.
 * The client is a real ACTIVE app of the org (tokens of unknown clients
 * are refused as revoked).
 */
export async function userAccessToken(
  ctx: Ctx,
  user: { id: string; profile: { login: string } },
  scopes: string[],
  options: { issuer?: string; clientId?: string } = {},
): Promise<string> {
  const clientId = options.clientId ?? (await registerServiceClient(ctx.org)).clientId;
  const issuer = options.issuer ?? ctx.org.orgUrl;
  return forgeAccessToken(ctx.org.id, { issuer, audience: issuer === ctx.org.orgUrl ? ctx.org.orgUrl : "api://default", subject: user.profile.login, userId: user.id, clientId, scopes });
}

/**
 * An ID token as a server of the org signs it (REFERENCE-SIGNIN §6.1: `sub`
 * = user id, `aud` = client id), with the server's real key — for the
 * id_token_hint of /logout, which accepts expired ones (`expiredSecondsAgo`).
 */
export async function idToken(
  ctx: Ctx,
  input: { clientId: string; userId: string; server?: string; expiredSecondsAgo?: number; issuer?: string },
): Promise<string> {
  const keySet = input.server ?? ORG_KEY_SET;
  const key = await signingKeyFor(testDb(), env, { orgId: ctx.org.id, keySet });
  const issuer = input.issuer ?? (keySet === ORG_KEY_SET ? ctx.org.orgUrl : `${ctx.org.orgUrl}/oauth2/${keySet}`);
  const now = Math.floor(Date.now() / 1000);
  const exp = input.expiredSecondsAgo !== undefined ? now - input.expiredSecondsAgo : now + 3600;
  return new SignJWT({ ver: 1, sub: input.userId, aud: input.clientId, iss: issuer, iat: exp - 3600, exp, jti: `ID.${crypto.randomUUID()}`, amr: ["pwd"], idp: ctx.org.id, auth_time: exp - 3600 })
    .setProtectedHeader({ alg: "RS256", kid: key.kid })
    .sign(key.key);
}

/** A browser app (SPA: public client, PKCE) with these redirect and post-logout URIs, through POST /api/v1/apps. */
export async function spaApp(ctx: Ctx, settings: { redirect_uris: string[]; post_logout_redirect_uris?: string[] }): Promise<{ id: string; clientId: string }> {
  const reply = await call("POST", "/api/v1/apps", {
    orgUrl: ctx.org.orgUrl,
    auth: ctx.org.ssws,
    body: {
      name: "oidc_client",
      label: `spa-${crypto.randomUUID().slice(0, 8)}`,
      signOnMode: "OPENID_CONNECT",
      credentials: { oauthClient: { token_endpoint_auth_method: "none" } },
      settings: {
        oauthClient: {
          application_type: "browser",
          grant_types: ["authorization_code", "refresh_token"],
          response_types: ["code"],
          ...settings,
        },
      },
    },
  });
  if (reply.status !== 200) throw new Error(`SPA creation failed: ${reply.status} ${reply.text}`);
  return { id: reply.body.id, clientId: reply.body.credentials.oauthClient.client_id };
}
