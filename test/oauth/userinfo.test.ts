import { beforeAll, describe, expect, it } from "vitest";
import { dpopProof, getAccessToken, jwtPayload, newKeyPair, postForm } from "../support/oauth";
import { call, type Reply } from "../support/http";
import { addClaim, addScope, passwordGrant, passwordServer } from "../support/user-grants";
import { activeUser } from "../signin/helpers";
import { newCtx, type Ctx } from "../users/helpers";
import { passwordApp, userAccessToken } from "../access/user-token";
import { assign, newUserApp, USER_PASSWORD } from "../support/user-grants";

/**
 * /userinfo (REFERENCE-SIGNIN §6.3) on both server kinds: the claims of the
 * granted scopes, the same ones the ID token carries; every refusal with
 * its WWW-Authenticate challenge and no body.
 */
let ctx: Ctx;
let user: any;
let server: string;

beforeAll(async () => {
  ctx = await newCtx();
  user = await activeUser(ctx, { nickName: "Countess", locale: "en_GB", mobilePhone: "+44 20 7946 0000", city: "London", countryCode: "GB" });
  server = await passwordServer(ctx.org);
  await addScope(ctx.org, server, { name: "orders:read", description: "d" });
});

const userinfo = (base: string, token: string, method = "GET", scheme = "Bearer"): Promise<Reply> =>
  call(method, `${base}/v1/userinfo`, { orgUrl: ctx.org.orgUrl, auth: `${scheme} ${token}` });

function expectChallenge(reply: Reply, status: number, challenge: string) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.text).toBe("");
  expect(reply.headers.get("www-authenticate")).toBe(challenge);
}

const INVALID = 'Bearer error="invalid_token", error_description="The access token is invalid"';

for (const [kind, base] of [
  ["org server", "/oauth2"],
  ["custom server", "custom"],
] as const) {
  describe(`/userinfo on the ${kind}`, () => {
    const where = () => (base === "custom" ? `/oauth2/${server}` : base);
    const options = () => (base === "custom" ? { server } : {});

    it("answers sub and the claims of the granted scopes — the ID token's, from the same mapping", async () => {
      const app = await passwordApp(ctx);
      await assign(ctx.org, app, user.id);
      const granted = await passwordGrant(ctx.org, where(), app, user.profile.login, "openid profile email phone address");
      expect(granted.status, granted.text).toBe(200);
      const reply = await userinfo(where(), granted.body.access_token);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get("content-type")).toContain("application/json");
      expect(reply.body).toMatchObject({
        sub: user.id,
        name: `${user.profile.firstName} ${user.profile.lastName}`,
        preferred_username: user.profile.login,
        nickname: "Countess",
        given_name: user.profile.firstName,
        family_name: user.profile.lastName,
        locale: "en-GB",
        email: user.profile.email,
        email_verified: true,
        phone_number: "+44 20 7946 0000",
        address: { locality: "London", country: "GB" },
      });
      const idToken = jwtPayload(granted.body.id_token);
      for (const [claim, value] of Object.entries(reply.body)) expect(idToken[claim], claim).toEqual(value);
      const posted = await userinfo(where(), granted.body.access_token, "POST");
      expect(posted.body).toEqual(reply.body);
    });

    it("only the granted scopes' claims: email alone gives sub, email, email_verified", async () => {
      const token = await userAccessToken(ctx, user, ["openid", "email"], options());
      const reply = await userinfo(where(), token);
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body).sort()).toEqual(["email", "email_verified", "sub"]);
    });

    it("refusals: none, garbage, wrong scheme → 401 invalid_token; no openid → 403 scope=openid; no claim scope → 403", async () => {
      expectChallenge(await call("GET", `${where()}/v1/userinfo`, { orgUrl: ctx.org.orgUrl, auth: null }), 401, INVALID);
      expectChallenge(await userinfo(where(), "not.a.token"), 401, INVALID);
      // The token endpoint refuses OIDC scopes without openid: a token without it carries other scopes only.
      const noOpenid = await userAccessToken(ctx, user, [base === "custom" ? "orders:read" : "okta.users.read.self"], options());
      expectChallenge(
        await userinfo(where(), noOpenid),
        403,
        'Bearer error="insufficient_scope", error_description="The access token must provide access to the openid scope", scope="openid"',
      );
      const openidOnly = await userAccessToken(ctx, user, ["openid"], options());
      expectChallenge(
        await userinfo(where(), openidOnly),
        403,
        'Bearer error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone"',
      );
      const good = await userAccessToken(ctx, user, ["openid", "profile"], options());
      expect((await userinfo(where(), good, "GET", "DPoP")).status).toBe(401);
    });

    it("a token in the query string → 400 invalid_request", async () => {
      const token = await userAccessToken(ctx, user, ["openid", "profile"], options());
      const reply = await call("GET", `${where()}/v1/userinfo?access_token=${token}`, { orgUrl: ctx.org.orgUrl, auth: null });
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({ error: "invalid_request", error_description: "The access token cannot be presented in a query string." });
    });

    it("a revoked token, and a token of a user since suspended → 401", async () => {
      const app = await passwordApp(ctx);
      const token = await userAccessToken(ctx, user, ["openid", "profile"], options());
      const revoked = await postForm(ctx.org, `${where()}/v1/revoke`, { token, token_type_hint: "access_token" }, { Authorization: app.basic });
      expect(revoked.status).toBe(200);
      expectChallenge(await userinfo(where(), token), 401, INVALID);

      const leaving = await activeUser(ctx);
      const theirs = await userAccessToken(ctx, leaving, ["openid", "profile"], options());
      expect((await userinfo(where(), theirs)).status).toBe(200);
      expect((await ctx.req("POST", `/api/v1/users/${leaving.id}/lifecycle/suspend`)).status).toBe(200);
      expectChallenge(await userinfo(where(), theirs), 401, INVALID);
    });
  });
}

describe("/userinfo across servers and clients", () => {
  it("a token of another server of the org → 401 (the same server only)", async () => {
    const orgToken = await userAccessToken(ctx, user, ["openid", "profile"]);
    expectChallenge(await userinfo(`/oauth2/${server}`, orgToken), 401, INVALID);
    const customToken = await userAccessToken(ctx, user, ["openid", "profile"], { server });
    expectChallenge(await userinfo("/oauth2", customToken), 401, INVALID);
  });

  it("a client_credentials token has no user and no openid → 403 insufficient_scope", async () => {
    const token = await getAccessToken(["okta.users.read"], { org: ctx.org });
    const reply = await userinfo("/oauth2", token.accessToken);
    expect(reply.status).toBe(403);
    expect(reply.headers.get("www-authenticate")).toContain('scope="openid"');
  });

  it("custom server: its IDENTITY claims are in /userinfo too, RESOURCE claims are not", async () => {
    await addClaim(ctx.org, server, { name: "department_id", claimType: "IDENTITY", valueType: "EXPRESSION", value: "user.lastName", conditions: { scopes: ["profile"] } });
    await addClaim(ctx.org, server, { name: "tenant", claimType: "RESOURCE", valueType: "EXPRESSION", value: '"acme"' });
    const token = await userAccessToken(ctx, user, ["openid", "profile"], { server });
    const reply = await userinfo(`/oauth2/${server}`, token);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.department_id).toBe(user.profile.lastName);
    expect(reply.body.tenant).toBeUndefined();
  });
});

describe("/userinfo's storage cost (DEBUG_STORAGE_COUNTS)", () => {
  it("a warm call on the org server reads the user and the client, and writes nothing", async () => {
    const token = await userAccessToken(ctx, user, ["openid", "profile", "email"]);
    await userinfo("/oauth2", token);
    const reply = await userinfo("/oauth2", token);
    expect(reply.status).toBe(200);
    const count = (name: string) => Number(reply.headers.get(name));
    expect({ d1: count("x-edgeorg-d1-statements"), writes: count("x-edgeorg-d1-writes"), kv: count("x-edgeorg-kv-reads") }).toEqual({ d1: 2, writes: 0, kv: 0 });
  });
});

describe("/userinfo with a DPoP-bound token (REFERENCE §6.6)", () => {
  it("answers the DPoP scheme with a proof bound to the token; Bearer, or no proof, → 401", async () => {
    const key = await newKeyPair();
    const app = await newUserApp(ctx.org, { dpop_bound_access_tokens: true });
    await assign(ctx.org, app, user.id);
    const htu = `${ctx.org.orgUrl}/oauth2/v1/token`;
    const form = { grant_type: "password", username: user.profile.login, password: USER_PASSWORD, scope: "openid profile" };
    const first = await postForm(ctx.org, "/oauth2/v1/token", form, { Authorization: app.basic, DPoP: await dpopProof(key, { htm: "POST", htu }) });
    const nonce = first.headers.get("dpop-nonce");
    expect(first.status, first.text).toBe(400);
    const granted = await postForm(ctx.org, "/oauth2/v1/token", form, { Authorization: app.basic, DPoP: await dpopProof(key, { htm: "POST", htu, nonce: nonce! }) });
    expect(granted.status, granted.text).toBe(200);
    expect(granted.body.token_type).toBe("DPoP");
    const token = granted.body.access_token;

    const url = `${ctx.org.orgUrl}/oauth2/v1/userinfo`;
    const proof = await dpopProof(key, { htm: "GET", htu: url, accessToken: token });
    const reply = await call("GET", "/oauth2/v1/userinfo", { orgUrl: ctx.org.orgUrl, auth: `DPoP ${token}`, headers: { DPoP: proof } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.sub).toBe(user.id);

    expectChallenge(await userinfo("/oauth2", token), 401, INVALID);
    const noProof = await call("GET", "/oauth2/v1/userinfo", { orgUrl: ctx.org.orgUrl, auth: `DPoP ${token}` });
    expect(noProof.status).toBe(401);
    expect(noProof.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_dpop_proof"/);
  });
});
