import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { ORG_KEY_SET } from "../../src/oauth/crypto/jwks";
import { signingKeyFor } from "../../src/oauth/crypto/keys";
import { forgeAccessToken, testDb } from "../oauth/forge";
import { call } from "../support/http";
import { grantScopes } from "../support/oauth";
import { assign, newUserApp, passwordGrant, type UserApp } from "../support/user-grants";
import type { Ctx } from "../users/helpers";

/** The okta.* scopes the user-token tests ask for, granted once to each org's password-grant app. */
const OKTA_SCOPES = ["okta.users.read.self", "okta.users.manage.self", "okta.users.read", "okta.users.manage", "okta.apps.read", "okta.groups.read"];
const apps = new Map<string, Promise<UserApp>>();

/** The org's password-grant app, granted OKTA_SCOPES (made on first use). */
export function passwordApp(ctx: Ctx): Promise<UserApp> {
  let app = apps.get(ctx.org.id);
  if (!app) {
    app = (async () => {
      const made = await newUserApp(ctx.org);
      await grantScopes({ org: ctx.org, clientId: made.clientId }, OKTA_SCOPES);
      return made;
    })();
    apps.set(ctx.org.id, app);
  }
  return app;
}

/**
 * A user access token through the real password grant (REFERENCE-SIGNIN
 * §5.4, §6.2: `uid` = user id, `sub` = login): of the org server by default
 * (the okta.* scopes granted to the app), or of custom server `server`. The
 * user must have the test password; it is assigned to the app here.
 */
export async function userAccessToken(
  ctx: Ctx,
  user: { id: string; profile: { login: string } },
  scopes: string[],
  options: { server?: string } = {},
): Promise<string> {
  const app = await passwordApp(ctx);
  await assign(ctx.org, app, user.id);
  const base = options.server ? `/oauth2/${options.server}` : "/oauth2";
  const reply = await passwordGrant(ctx.org, base, app, user.profile.login, scopes.join(" "));
  if (reply.status !== 200) throw new Error(`password grant failed: ${reply.status} ${reply.text}`);
  return reply.body.access_token;
}

/** A token signed with the org's real key whose issuer is neither the org nor one of its servers. */
export function foreignIssuerToken(ctx: Ctx, user: { id: string; profile: { login: string } }, clientId: string): Promise<string> {
  return forgeAccessToken(ctx.org.id, { issuer: "https://elsewhere.example", audience: ctx.org.orgUrl, subject: user.profile.login, userId: user.id, clientId, scopes: ["okta.users.read.self"] });
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
