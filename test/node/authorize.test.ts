import { OktaAuth } from "@okta/okta-auth-js";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";
import { activeUser, assignedApp, PASSWORD, sessionTokenOf } from "./support/signin-app";

/**
 * Clients nobody here wrote, against the running worker: openid-client v6
 * (discovery, authorization code + PKCE with state and nonce checked by the
 * library) and okta-auth-js's signInWithCredentials. The authorize step is a
 * browser navigation; Node drives it with the sid cookie of
 * /login/sessionCookieRedirect, or with a sessionToken.
 */
const REDIRECT = "http://127.0.0.1:8080/authorization-code/callback";
const SIGNED_OUT = "http://127.0.0.1:8080/signed-out";
let org: NodeTestOrg;
let user: { id: string; profile: { login: string } };
let web: { clientId: string; clientSecret?: string };

beforeAll(async () => {
  org = await createOrg();
  user = await activeUser(org);
  web = await assignedApp(org, user.id, { redirectUris: [REDIRECT], postLogoutRedirectUris: [SIGNED_OUT] });
}, 60_000);

afterAll(async () => {
  if (org) await deleteOrg(org.slug);
});

/** Follows /authorize (and any same-org redirect) with the cookie until it leaves for the redirect URI. */
async function navigate(url: string, cookie = ""): Promise<{ location: URL; cookie: string }> {
  let next = url;
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(next, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
    const sid = response.headers.getSetCookie().find((c) => c.startsWith("sid="));
    if (sid) cookie = sid.split(";")[0]!;
    expect(response.status, await response.clone().text()).toBe(302);
    const location = new URL(response.headers.get("location")!, next);
    if (!location.href.startsWith(org.orgUrl)) return { location, cookie };
    next = location.href;
  }
  throw new Error("too many redirects");
}

describe.each([
  { kind: "org", issuer: () => org.orgUrl },
  { kind: "custom", issuer: () => `${org.orgUrl}/oauth2/default` },
])("openid-client v6 against the $kind server", ({ issuer }) => {
  async function configuration() {
    return oidc.discovery(new URL(issuer()), web.clientId, undefined, oidc.ClientSecretBasic(web.clientSecret!), {
      execute: [oidc.allowInsecureRequests],
    });
  }

  async function authorizationUrl(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid profile email offline_access",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
      ...extra,
    });
    return { url, verifier, state, nonce };
  }

  it("discovery, then code + PKCE driven by the session cookie of /authn + /login/sessionCookieRedirect", async () => {
    const config = await configuration();
    expect(config.serverMetadata().authorization_endpoint).toMatch(/\/v1\/authorize$/);
    const { url, verifier, state, nonce } = await authorizationUrl(config);
    const token = await sessionTokenOf(org.orgUrl, user.profile.login);
    const bridge = `${org.orgUrl}/login/sessionCookieRedirect?token=${token}&redirectUrl=${encodeURIComponent(url.href)}`;
    const { location, cookie } = await navigate(bridge);
    expect(cookie).toMatch(/^sid=/);
    expect(location.href.startsWith(REDIRECT)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(user.id);
    expect(claims.aud).toBe(web.clientId);
    expect(claims.iss).toBe(issuer());

    // the same browser session: prompt=none needs no credential at all
    const second = await authorizationUrl(config, { prompt: "none" });
    const again = await navigate(second.url.href, cookie);
    const more = await oidc.authorizationCodeGrant(config, again.location, { pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce });
    expect(more.claims()!.sub).toBe(user.id);

    // then what an app does next: refresh, userinfo, and RP-initiated logout through the end-session URL
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    const info = await oidc.fetchUserInfo(config, refreshed.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, email: user.profile.login });
    const endSession = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: SIGNED_OUT, state: "bye" });
    const out = await fetch(endSession, { redirect: "manual", headers: { Cookie: cookie } });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe(`${SIGNED_OUT}?state=bye`);
    expect((await fetch(`${org.orgUrl}/api/v1/sessions/me`, { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it("the authorize step with a sessionToken; a replayed code is refused by the server", async () => {
    const config = await configuration();
    const { url, verifier, state, nonce } = await authorizationUrl(config);
    url.searchParams.set("sessionToken", await sessionTokenOf(org.orgUrl, user.profile.login));
    const { location } = await navigate(url.href);
    const tokens = await oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()!.nonce).toBe(nonce);
    await expect(oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce })).rejects.toMatchObject({
      error: "invalid_grant",
      error_description: "The authorization code is invalid or has expired.",
    });
  });

  it("prompt=none without a session: the library sees login_required at the callback", async () => {
    const config = await configuration();
    const { url, verifier, state } = await authorizationUrl(config, { prompt: "none" });
    const { location } = await navigate(url.href);
    await expect(oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedState: state })).rejects.toMatchObject({
      error: "login_required",
    });
  });
});

describe("@okta/okta-auth-js in Node", () => {
  it("signInWithCredentials: SUCCESS with a sessionToken that /authorize redeems", async () => {
    const auth = new OktaAuth({
      issuer: `${org.orgUrl}/oauth2/default`,
      clientId: web.clientId,
      redirectUri: REDIRECT,
    });
    const transaction = await auth.signInWithCredentials({ username: user.profile.login, password: PASSWORD });
    expect(transaction.status).toBe("SUCCESS");
    expect(transaction.sessionToken).toMatch(/^00[A-Za-z0-9]{40}$/);
    const url = new URL(`${org.orgUrl}/oauth2/default/v1/authorize`);
    for (const [k, v] of Object.entries({ client_id: web.clientId, response_type: "code", scope: "openid", redirect_uri: REDIRECT, state: "s1", sessionToken: transaction.sessionToken! })) url.searchParams.set(k, v);
    const { location } = await navigate(url.href);
    expect(location.searchParams.get("code")).toBeTruthy();
    expect(location.searchParams.get("state")).toBe("s1");
  });
});
