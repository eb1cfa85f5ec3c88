import { beforeAll, describe, expect, it } from "vitest";
import { idToken, spaApp } from "../access/user-token";
import { activeUser, anon, browserSignIn, cookiesOf } from "../signin/helpers";
import { newCtx, type Ctx } from "../users/helpers";

/**
 * RP-initiated logout (REFERENCE-SIGNIN §6.4) on both server kinds: the
 * id_token_hint verified (signature, issuer; expired accepted), the
 * registered post_logout_redirect_uri with state, the session of the hint's
 * user ended and its cookie cleared, 302 (§10); problems on the error page.
 */
const LOGOUT_URI = "http://localhost:8080/signed-out";

let ctx: Ctx;
let app: { clientId: string };

beforeAll(async () => {
  ctx = await newCtx();
  app = await spaApp(ctx, { redirect_uris: ["http://localhost:8080/callback"], post_logout_redirect_uris: [LOGOUT_URI] });
});

const logout = (base: string, params: Record<string, string>, cookie?: string) =>
  anon(ctx, "GET", `${base}/v1/logout?${new URLSearchParams(params)}`, undefined, cookie ? { Cookie: `sid=${cookie}` } : {});

for (const [kind, base, server] of [
  ["org server", "/oauth2", undefined],
  ["custom server", "/oauth2/default", "default"],
] as const) {
  describe(`/logout on the ${kind}`, () => {
    it("ends the hint user's session, clears sid and redirects 302 to the post_logout_redirect_uri with state", async () => {
      const user = await activeUser(ctx);
      const { sid } = await browserSignIn(ctx, user.profile.login);
      const hint = await idToken(ctx, { clientId: app.clientId, userId: user.id, server });
      const reply = await logout(base, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: "st 1" }, sid);
      expect(reply.status, reply.text).toBe(302);
      expect(reply.headers.get("location")).toBe(`${LOGOUT_URI}?state=st+1`);
      expect(cookiesOf(reply).sid!.raw).toContain("Max-Age=0");
      expect((await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid}` })).status).toBe(404);
    });

    it("accepts an expired hint; without a session it only redirects; without a URI it goes to the sign-in page", async () => {
      const user = await activeUser(ctx);
      const hint = await idToken(ctx, { clientId: app.clientId, userId: user.id, server, expiredSecondsAgo: 86_400 });
      const reply = await logout(base, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI });
      expect(reply.status, reply.text).toBe(302);
      expect(reply.headers.get("location")).toBe(LOGOUT_URI);
      expect(reply.headers.getSetCookie()).toEqual([]);
      const bare = await logout(base, { id_token_hint: hint });
      expect(bare.status).toBe(302);
      expect(bare.headers.get("location")).toBe(`${ctx.org.orgUrl}/login/login.htm`);
    });

    it("POST form works like GET", async () => {
      const user = await activeUser(ctx);
      const { sid } = await browserSignIn(ctx, user.profile.login);
      const hint = await idToken(ctx, { clientId: app.clientId, userId: user.id, server });
      const form = new URLSearchParams({ id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: "s" });
      const reply = await anon(ctx, "POST", `${base}/v1/logout`, form.toString(), {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: `sid=${sid}`,
      });
      expect(reply.status, reply.text).toBe(302);
      expect(reply.headers.get("location")).toBe(`${LOGOUT_URI}?state=s`);
    });

    it("refuses on the error page (400, no redirect): unregistered URI, bad or missing hint, another server's hint", async () => {
      const user = await activeUser(ctx);
      const hint = await idToken(ctx, { clientId: app.clientId, userId: user.id, server });
      const cases: [Record<string, string>, string][] = [
        [{ id_token_hint: hint, post_logout_redirect_uri: "http://localhost:8080/elsewhere" }, "The &#39;post_logout_redirect_uri&#39; parameter must be a Logout redirect URI in the client app settings."],
        [{ post_logout_redirect_uri: LOGOUT_URI }, "The &#39;id_token_hint&#39; parameter is required."],
        [{ id_token_hint: `${hint.slice(0, -4)}AAAA`, post_logout_redirect_uri: LOGOUT_URI }, "not a valid ID token"],
        [{ id_token_hint: "garbage", post_logout_redirect_uri: LOGOUT_URI }, "not a valid ID token"],
        [
          { id_token_hint: await idToken(ctx, { clientId: app.clientId, userId: user.id, server: server ? undefined : "default" }) },
          "not a valid ID token",
        ],
      ];
      for (const [params, text] of cases) {
        const reply = await logout(base, params);
        expect(reply.status, JSON.stringify(params)).toBe(400);
        expect(reply.headers.get("location")).toBeNull();
        expect(reply.headers.get("content-type")).toContain("text/html");
        expect(reply.text).toContain(text);
      }
    });

    it("a session of another user: 400 id_token_does_not_match_session, the session survives (§10)", async () => {
      const signedIn = await activeUser(ctx);
      const other = await activeUser(ctx);
      const { sid } = await browserSignIn(ctx, signedIn.profile.login);
      const hint = await idToken(ctx, { clientId: app.clientId, userId: other.id, server });
      const reply = await logout(base, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI }, sid);
      expect(reply.status).toBe(400);
      expect(reply.text).toContain("id_token_does_not_match_session");
      expect((await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid}` })).status).toBe(200);
    });
  });
}

it("discovery advertises end_session_endpoint and userinfo_endpoint on both servers", async () => {
  const org = await anon(ctx, "GET", "/.well-known/openid-configuration");
  expect(org.body.end_session_endpoint).toBe(`${ctx.org.orgUrl}/oauth2/v1/logout`);
  expect(org.body.userinfo_endpoint).toBe(`${ctx.org.orgUrl}/oauth2/v1/userinfo`);
  const custom = await anon(ctx, "GET", "/oauth2/default/.well-known/openid-configuration");
  expect(custom.body.end_session_endpoint).toBe(`${ctx.org.orgUrl}/oauth2/default/v1/logout`);
  expect(custom.body.userinfo_endpoint).toBe(`${ctx.org.orgUrl}/oauth2/default/v1/userinfo`);
});
