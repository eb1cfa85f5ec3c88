import { describe, expect, it } from "vitest";
import { call } from "../support/http";
import { newCtx } from "../users/helpers";
import { activeUser, anon, authn, browserSignIn, cookiesOf, originOf } from "./helpers";

describe("the sign-in page and the sid cookie", () => {
  it("signs in, sets sid (HttpOnly, SameSite=Lax, Secure on https, the org's path) and /sessions/me answers from it", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const { reply, sid } = await browserSignIn(ctx, user.profile.login);
    expect(reply.status, reply.text).toBe(302);
    expect(reply.headers.get("location")).toBe(`${ctx.org.orgUrl}/app/UserHome`);
    const raw = cookiesOf(reply).sid!.raw;
    expect(raw).toContain("HttpOnly");
    expect(raw).toContain("SameSite=Lax");
    expect(raw).toContain("Secure");
    expect(raw).toContain(`Path=${new URL(ctx.org.orgUrl).pathname}`);
    const me = await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid}` });
    expect(me.status, me.text).toBe(200);
    expect(me.body).toMatchObject({ id: sid, userId: user.id, login: user.profile.login, status: "ACTIVE", amr: ["pwd"] });
    expect(me.body.idp).toEqual({ id: ctx.org.id, type: "OKTA" });
    expect(me.body._links.self.href).toBe(`${ctx.org.orgUrl}/api/v1/sessions/me`);
  });

  it("/sessions/me without a cookie is 404 E0000007 even with an API token", async () => {
    const ctx = await newCtx();
    const reply = await ctx.req("GET", "/api/v1/sessions/me");
    expect(reply.status).toBe(404);
    expect(reply.body.errorCode).toBe("E0000007");
    expect(reply.body.errorSummary).toBe("Not found: Resource not found: me (Session)");
  });

  it("a session of one org is not a session in another", async () => {
    const a = await newCtx();
    const b = await newCtx();
    const user = await activeUser(a);
    const { sid } = await browserSignIn(a, user.profile.login);
    const other = await anon(b, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid}` });
    expect(other.status).toBe(404);
    const both = await anon(a, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=102nothingnothingnothing1; sid=${sid}` });
    expect(both.status).toBe(200);
  });

  it("refresh slides expiresAt; DELETE /sessions/me ends it and clears the cookie", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const { sid } = await browserSignIn(ctx, user.profile.login);
    const cookie = { Cookie: `sid=${sid}` };
    const refreshed = await anon(ctx, "POST", "/api/v1/sessions/me/lifecycle/refresh", undefined, cookie);
    expect(refreshed.status).toBe(200);
    const ended = await anon(ctx, "DELETE", "/api/v1/sessions/me", undefined, cookie);
    expect(ended.status).toBe(204);
    expect(cookiesOf(ended).sid!.raw).toContain("Max-Age=0");
    expect((await anon(ctx, "GET", "/api/v1/sessions/me", undefined, cookie)).status).toBe(404);
  });

  it("admin GET/DELETE /sessions/{id} and DELETE /users/{id}/sessions", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const { sid } = await browserSignIn(ctx, user.profile.login);
    const got = await ctx.req("GET", `/api/v1/sessions/${sid}`);
    expect(got.status).toBe(200);
    expect(got.body.userId).toBe(user.id);
    expect(got.body._links.self.href).toBe(`${ctx.org.orgUrl}/api/v1/sessions/${sid}`);
    expect((await anon(ctx, "GET", `/api/v1/sessions/${sid}`)).status).toBe(403);
    const minimal = await ctx.req("POST", `/api/v1/sessions/${sid}/lifecycle/refresh`, undefined, { Prefer: "return=minimal" });
    expect(minimal.status).toBe(204);
    expect((await ctx.req("DELETE", `/api/v1/users/${user.id}/sessions`)).status).toBe(204);
    expect((await ctx.req("GET", `/api/v1/sessions/${sid}`)).status).toBe(404);
    expect((await ctx.req("DELETE", `/api/v1/sessions/${sid}`)).body.errorCode).toBe("E0000007");
  });

  it("a suspended user's session no longer counts", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const { sid } = await browserSignIn(ctx, user.profile.login);
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/suspend`);
    expect((await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid}` })).status).toBe(404);
  });

  it("/login/sessionCookieRedirect turns a sessionToken into the cookie, only towards trusted places", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const token = (await authn(ctx, user.profile.login)).body.sessionToken;
    const evil = await anon(ctx, "GET", `/login/sessionCookieRedirect?token=${token}&redirectUrl=${encodeURIComponent("https://evil.example/x")}`);
    expect(evil.status).toBe(400);
    expect(cookiesOf(evil).sid).toBeUndefined();
    await ctx.req("POST", "/api/v1/trustedOrigins", { name: "SPA", origin: "https://spa.example", scopes: [{ type: "REDIRECT" }] });
    const target = "https://spa.example/after";
    const ok = await anon(ctx, "GET", `/login/sessionCookieRedirect?token=${token}&redirectUrl=${encodeURIComponent(target)}`);
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(target);
    const sid = cookiesOf(ok).sid!.value;
    expect((await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid}` })).status).toBe(200);
    const reused = await anon(ctx, "GET", `/login/sessionCookieRedirect?token=${token}&redirectUrl=${encodeURIComponent(target)}`);
    expect(reused.status).toBe(302);
    expect(reused.headers.get("location")).toContain("/login/login.htm");
    expect(cookiesOf(reused).sid).toBeUndefined();
  });
});

describe("pages: CSRF and escaping", () => {
  it("refuses a form post from another origin, and one without the CSRF token", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const page = await anon(ctx, "GET", "/login/login.htm");
    const csrf = cookiesOf(page).edgeorg_csrf!.value;
    const form = (token: string) => new URLSearchParams({ _csrf: token, username: user.profile.login, password: "x" }).toString();
    const headers = { "Content-Type": "application/x-www-form-urlencoded", Cookie: `edgeorg_csrf=${csrf}` };
    const crossSite = await anon(ctx, "POST", "/login/login.htm", form(csrf), { ...headers, Origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).toContain("Request refused");
    const noOrigin = await anon(ctx, "POST", "/login/login.htm", form(csrf), headers);
    expect(noOrigin.status).toBe(403);
    const noToken = await anon(ctx, "POST", "/login/login.htm", form("X".repeat(32)), { ...headers, Origin: originOf(ctx) });
    expect(noToken.status).toBe(403);
    expect(cookiesOf(noToken).sid).toBeUndefined();
  });

  it("echoes a typed username escaped, never as markup", async () => {
    const ctx = await newCtx();
    const { reply } = await browserSignIn(ctx, `<script>alert("x")</script>@example.com`, "whatever");
    expect(reply.status).toBe(401);
    expect(reply.text).toContain("Unable to sign in");
    expect(reply.text).not.toContain("<script>alert");
    expect(reply.text).toContain("&lt;script&gt;");
  });

  it("fromURI must be same-origin: another origin falls back to the home page", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const page = await anon(ctx, "GET", `/login/login.htm?fromURI=${encodeURIComponent("https://evil.example/")}`);
    expect(page.text).not.toContain("evil.example");
    const inside = `${ctx.org.orgUrl}/app/UserHome?x=1`;
    const csrf = cookiesOf(page).edgeorg_csrf!.value;
    const reply = await call("POST", `${ctx.org.orgUrl}/login/login.htm?fromURI=${encodeURIComponent(inside)}`, {
      auth: null,
      body: new URLSearchParams({ _csrf: csrf, username: user.profile.login, password: "Tr0ub4dor&3x" }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `edgeorg_csrf=${csrf}`, Origin: originOf(ctx) },
      redirect: "manual",
    });
    expect(reply.status).toBe(302);
    expect(reply.headers.get("location")).toBe(inside);
  });

  it("an expired password on the sign-in page leads to the change-password form, which signs in", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/expire_password`);
    const { reply, csrf, sid } = await browserSignIn(ctx, user.profile.login);
    expect(reply.status).toBe(200);
    expect(sid).toBeUndefined();
    expect(reply.text).toContain("Your password has expired");
    const stateToken = /name="stateToken" value="([^"]+)"/.exec(reply.text)![1]!;
    const headers = { "Content-Type": "application/x-www-form-urlencoded", Origin: originOf(ctx), Cookie: `edgeorg_csrf=${csrf}` };
    const post = (fields: Record<string, string>) =>
      anon(ctx, "POST", "/login/change-password", new URLSearchParams({ _csrf: csrf, stateToken, ...fields }).toString(), headers);
    const mismatch = await post({ oldPassword: "Tr0ub4dor&3x", newPassword: "Another-pass9", confirmPassword: "Another-pass8" });
    expect(mismatch.status).toBe(403);
    expect(mismatch.text).toContain("The passwords do not match.");
    const done = await post({ oldPassword: "Tr0ub4dor&3x", newPassword: "Another-pass9", confirmPassword: "Another-pass9" });
    expect(done.status, done.text).toBe(302);
    expect(cookiesOf(done).sid).toBeDefined();
    expect((await ctx.req("GET", `/api/v1/users/${user.id}`)).body.status).toBe("ACTIVE");
  });
});
