import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { jwtPayload } from "../../support/oauth";
import { authorize, basic, codeFor, codeParams, pkce, redirected, REDIRECT, SERVERS, setup, signedIn, tokenRequest, type Setup } from "./helpers";

const db = () => drizzle(env.DB, { schema });
const [ORG, CUSTOM] = SERVERS;

const INVALID_CODE = { error: "invalid_grant", error_description: "The authorization code is invalid or has expired." };

/** A code for a signed-in user, exchanged with the given form fields (code and redirect_uri preset). */
async function exchange(s: Setup, server: (typeof SERVERS)[number], code: string, extra: Record<string, string> = {}, auth: string | null = basic(s)) {
  return tokenRequest(s, server, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...extra }, auth);
}

describe.each(SERVERS)("authorization_code at the $kind server (§5.2)", (server) => {
  it("an unknown code: invalid_grant", async () => {
    const s = await setup();
    const reply = await exchange(s, server, "nope");
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual(INVALID_CODE);
  });

  it("a code issued to another client: invalid_grant, and the code is spent", async () => {
    const s = await setup();
    const other = await setup();
    const sid = await signedIn(s);
    const code = await codeFor(s, server, sid);
    const stolen = await tokenRequest(other, server, { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    // the other org knows no such code at all; a second client of the same org is told it is someone else's
    expect(stolen.body).toEqual(INVALID_CODE);
    const second = await s.ctx.req("POST", "/api/v1/apps", {
      name: "oidc_client",
      label: "Second",
      signOnMode: "OPENID_CONNECT",
      credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_post" } },
      settings: { oauthClient: { application_type: "web", grant_types: ["authorization_code"], response_types: ["code"], redirect_uris: [REDIRECT] } },
    });
    const secondId = second.body.credentials.oauthClient.client_id;
    const mine = await codeFor(s, server, sid);
    const wrong = await tokenRequest(s, server, { grant_type: "authorization_code", code: mine, redirect_uri: REDIRECT, client_id: secondId, client_secret: second.body.credentials.oauthClient.client_secret }, null);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: "invalid_grant", error_description: "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request." });
    expect((await exchange(s, server, mine)).body).toEqual(INVALID_CODE);
  });

  it("a code of another authorization server: invalid_request", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const code = await codeFor(s, server === ORG ? CUSTOM : ORG, sid);
    const reply = await exchange(s, server, code);
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: "invalid_request", error_description: "The grant was issued for another authorization server." });
  });

  it("a redirect_uri other than the authorize request's: invalid_grant", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const code = await codeFor(s, server, sid);
    const reply = await exchange(s, server, code, { redirect_uri: REDIRECT + "/" });
    expect(reply.body).toEqual({ error: "invalid_grant", error_description: "The 'redirect_uri' does not match the redirection URI used in the authorization request." });
  });

  it("an expired code (300 s): invalid_grant", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const code = await codeFor(s, server, sid);
    const [row] = await db().select().from(schema.oauthAuthorizationCodes).where(eq(schema.oauthAuthorizationCodes.orgId, s.ctx.org.id)).all();
    expect(Date.parse(row!.expiresAt) - Date.now()).toBeGreaterThan(290_000);
    expect(Date.parse(row!.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    expect(row!.codeHash).not.toContain(code);
    await db().update(schema.oauthAuthorizationCodes).set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where(eq(schema.oauthAuthorizationCodes.orgId, s.ctx.org.id));
    expect((await exchange(s, server, code)).body).toEqual(INVALID_CODE);
  });

  describe("PKCE", () => {
    it("a challenge was sent and no verifier comes: invalid_request", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const { challenge } = await pkce();
      const code = await codeFor(s, server, sid, { code_challenge: challenge, code_challenge_method: "S256" });
      expect((await exchange(s, server, code)).body).toEqual({ error: "invalid_request", error_description: "PKCE code verifier is required by the application." });
    });

    it("the wrong verifier, or a malformed one: invalid_grant 'PKCE verification failed.'", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const { challenge } = await pkce();
      for (const verifier of [(await pkce()).verifier, "short"]) {
        const code = await codeFor(s, server, sid, { code_challenge: challenge, code_challenge_method: "S256" });
        expect((await exchange(s, server, code, { code_verifier: verifier })).body).toEqual({ error: "invalid_grant", error_description: "PKCE verification failed." });
      }
    });

    it("a verifier with no challenge at authorize: invalid_request", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const code = await codeFor(s, server, sid);
      expect((await exchange(s, server, code, { code_verifier: (await pkce()).verifier })).body).toEqual({
        error: "invalid_request",
        error_description: "PKCE code challenge should be specified in the authorize request for code verification.",
      });
    });
  });

  it("a confidential client still authenticates with its configured method", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const { challenge, verifier } = await pkce();
    const code = await codeFor(s, server, sid, { code_challenge: challenge, code_challenge_method: "S256" });
    const reply = await exchange(s, server, code, { client_id: s.clientId, code_verifier: verifier }, null);
    expect(reply.status).toBe(401);
    expect(reply.body.error).toBe("invalid_client");
  });

  it("a client without the authorization_code grant: unauthorized_client", async () => {
    const s = await setup({ application_type: "browser", grant_types: ["implicit"], response_types: ["token", "id_token"] }, { token_endpoint_auth_method: "none" });
    const reply = await exchange(s, server, "whatever", { client_id: s.clientId }, null);
    expect(reply.body).toEqual({ error: "unauthorized_client", error_description: "The client isn't authorized to use the provided grant type. Configured grant types: [implicit]." });
  });
});

describe.each(SERVERS)("a code exchanged at the $kind server", (server) => {
  it("code + PKCE → access token (uid, sub = login, scp, cid), ID token (sub = user id, nonce, auth_time), refresh token with offline_access; then spent", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const { challenge, verifier } = await pkce();
    const code = await codeFor(s, server, sid, { scope: "openid profile offline_access", nonce: "n-42", code_challenge: challenge, code_challenge_method: "S256" });
    const reply = await exchange(s, server, code, { code_verifier: verifier });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get("cache-control")).toBe("no-store");
    expect(reply.body).toMatchObject({ token_type: "Bearer", scope: "openid profile offline_access" });
    expect(reply.body.refresh_token).toBeTruthy();
    const access = jwtPayload(reply.body.access_token);
    expect(access).toMatchObject({ uid: s.user.id, sub: s.user.profile.login, cid: s.clientId, scp: ["openid", "profile", "offline_access"] });
    const id = jwtPayload(reply.body.id_token);
    expect(id).toMatchObject({ sub: s.user.id, aud: s.clientId, nonce: "n-42", amr: ["pwd"] });
    expect(typeof id.auth_time).toBe("number");
    expect(Math.abs(id.auth_time - Date.now() / 1000)).toBeLessThan(600);
    expect(id.iss).toBe(server.kind === "org" ? s.ctx.org.orgUrl : `${s.ctx.org.orgUrl}/oauth2/default`);
    expect((await exchange(s, server, code, { code_verifier: verifier })).body).toEqual(INVALID_CODE);
  });

  it("offline_access without the app's refresh_token grant: no refresh token, no error", async () => {
    const s = await setup({ grant_types: ["authorization_code"], response_types: ["code"] });
    const sid = await signedIn(s);
    const code = await codeFor(s, server, sid, { scope: "openid offline_access" });
    const reply = await exchange(s, server, code);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.refresh_token).toBeUndefined();
  });

  it("a public client (none) exchanges with client_id and the PKCE verifier", async () => {
    const s = await setup({ application_type: "browser", grant_types: ["authorization_code"], response_types: ["code"] }, { token_endpoint_auth_method: "none" });
    const sid = await signedIn(s);
    const { challenge, verifier } = await pkce();
    const code = await codeFor(s, server, sid, { code_challenge: challenge, code_challenge_method: "S256" });
    const reply = await exchange(s, server, code, { client_id: s.clientId, code_verifier: verifier }, null);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.id_token).toBeTruthy();
  });
});

describe("implicit and hybrid responses (§4.3)", () => {
  it("id_token token: the tokens in the fragment, Okta's fields, the ID token bound by at_hash", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const { values, url } = redirected(await authorize(s, ORG, codeParams(s, { response_type: "id_token token", nonce: "n-7" }), sid), true);
    expect(url.search).toBe("");
    expect(Object.keys(values)).toEqual(["access_token", "token_type", "expires_in", "scope", "id_token", "state"]);
    expect(values).toMatchObject({ token_type: "Bearer", expires_in: "3600", scope: "openid profile", state: "st-1" });
    const id = jwtPayload(values.id_token!);
    expect(id).toMatchObject({ nonce: "n-7", sub: s.user.id });
    expect(id.at_hash).toBeTruthy();
  });

  it("code id_token: a code and an ID token with c_hash; the code still exchanges", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const { values } = redirected(await authorize(s, ORG, codeParams(s, { response_type: "code id_token" }), sid), true);
    expect(Object.keys(values)).toEqual(["code", "id_token", "state"]);
    expect(jwtPayload(values.id_token!).c_hash).toBeTruthy();
    expect((await exchange(s, ORG, values.code!)).status).toBe(200);
  });

  it("implicit at a custom server follows its access policy: a rule without implicit denies", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const { values } = redirected(await authorize(s, CUSTOM, codeParams(s, { response_type: "token" }), sid), true);
    expect(values).toMatchObject({ error: "access_denied", error_description: "Policy evaluation failed for this request, please check the policy configurations." });
  });
});

describe("a browser's code exchange (§5.1, CORS Origin)", () => {
  it("must use PKCE, and come from the origin of a registered redirect URI", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const code = await codeFor(s, ORG, sid);
    const noPkce = await tokenRequest(s, ORG, { grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic(s), { Origin: "https://app.example.com" });
    expect(noPkce.status).toBe(401);
    expect(noPkce.body).toEqual({ error: "invalid_client", error_description: "Browser requests to the token endpoint must use Proof Key for Code Exchange." });
    const { challenge, verifier } = await pkce();
    const withPkce = await codeFor(s, ORG, sid, { code_challenge: challenge, code_challenge_method: "S256" });
    const elsewhere = await tokenRequest(s, ORG, { grant_type: "authorization_code", code: withPkce, redirect_uri: REDIRECT, code_verifier: verifier }, basic(s), { Origin: "https://evil.example.com" });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error_description).toBe("Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.");
    const fine = await codeFor(s, ORG, sid, { code_challenge: challenge, code_challenge_method: "S256" });
    const ok = await tokenRequest(s, ORG, { grant_type: "authorization_code", code: fine, redirect_uri: REDIRECT, code_verifier: verifier }, basic(s), { Origin: "https://app.example.com" });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
  });
});
