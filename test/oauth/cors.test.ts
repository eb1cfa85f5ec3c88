import { beforeAll, describe, expect, it } from "vitest";
import { spaApp } from "../access/user-token";
import { activeUser, anon } from "../signin/helpers";
import { postForm } from "../support/oauth";
import { assign, newUserApp, passwordGrant, USER_PASSWORD, type UserApp } from "../support/user-grants";
import { newCtx, type Ctx } from "../users/helpers";

/**
 * CORS on the OAuth endpoints a SPA calls (issue 11 item 8; REFERENCE-SIGNIN
 * §5.1, §6.3; the spec's `isCorsEnabled`): discovery, keys, token, userinfo,
 * introspect and revoke of both server kinds answer the org's CORS trusted
 * origins and the origins of its apps' redirect URIs; any other origin gets
 * no CORS headers (the browser refuses the answer). Authorize, logout and
 * client registration are not among them.
 */
const TRUSTED = "https://trusted.example";
const SPA = "http://localhost:5173";
const STRANGER = "https://evil.example";

let ctx: Ctx;

beforeAll(async () => {
  ctx = await newCtx();
  const trusted = await ctx.req("POST", "/api/v1/trustedOrigins", { name: "SPA", origin: TRUSTED, scopes: [{ type: "CORS" }] });
  expect(trusted.status).toBe(200);
  await spaApp(ctx, { redirect_uris: [`${SPA}/login/callback`] });
});

const ENDPOINTS: [string, string][] = [
  ["GET", "/.well-known/openid-configuration"],
  ["GET", "/.well-known/oauth-authorization-server"],
  ["GET", "/oauth2/v1/keys"],
  ["POST", "/oauth2/v1/token"],
  ["GET", "/oauth2/v1/userinfo"],
  ["POST", "/oauth2/v1/introspect"],
  ["POST", "/oauth2/v1/revoke"],
  ["GET", "/oauth2/default/.well-known/openid-configuration"],
  ["GET", "/oauth2/default/v1/keys"],
  ["POST", "/oauth2/default/v1/token"],
  ["POST", "/oauth2/default/v1/userinfo"],
  ["POST", "/oauth2/default/v1/introspect"],
  ["POST", "/oauth2/default/v1/revoke"],
];

const preflight = (path: string, method: string, origin: string) =>
  anon(ctx, "OPTIONS", path, undefined, {
    Origin: origin,
    "Access-Control-Request-Method": method,
    "Access-Control-Request-Headers": "authorization,content-type,dpop",
  });

describe("preflights", () => {
  for (const [method, path] of ENDPOINTS) {
    it(`${method} ${path}: trusted and redirect-URI origins allowed, others not`, async () => {
      for (const origin of [TRUSTED, SPA]) {
        const reply = await preflight(path, method, origin);
        expect(reply.status, origin).toBe(204);
        expect(reply.headers.get("access-control-allow-origin"), origin).toBe(origin);
        expect(reply.headers.get("access-control-allow-methods")).toContain(method);
        expect(reply.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
        expect(reply.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("dpop");
        expect(reply.headers.get("vary")).toContain("Origin");
      }
      const refused = await preflight(path, method, STRANGER);
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    });
  }
});

describe("actual requests", () => {
  it("discovery and keys echo an allowed origin", async () => {
    for (const path of ["/.well-known/openid-configuration", "/oauth2/v1/keys", "/oauth2/default/v1/keys"]) {
      const reply = await anon(ctx, "GET", path, undefined, { Origin: SPA });
      expect(reply.status, path).toBe(200);
      expect(reply.headers.get("access-control-allow-origin"), path).toBe(SPA);
      const other = await anon(ctx, "GET", path, undefined, { Origin: STRANGER });
      expect(other.status).toBe(200);
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("refusals carry the CORS headers too, so the SPA can read Okta's error (token, userinfo challenge)", async () => {
    const token = await anon(ctx, "POST", "/oauth2/v1/token", "grant_type=client_credentials", {
      Origin: TRUSTED,
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expect(token.status).toBe(401);
    expect(token.body.error).toBe("invalid_client");
    expect(token.headers.get("access-control-allow-origin")).toBe(TRUSTED);
    const userinfo = await anon(ctx, "GET", "/oauth2/v1/userinfo", undefined, { Origin: SPA, Authorization: "Bearer nope" });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get("access-control-allow-origin")).toBe(SPA);
    expect(userinfo.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
  });

  it("an inactive app's redirect origin and a REDIRECT-only trusted origin are not allowed", async () => {
    const inactive = await spaApp(ctx, { redirect_uris: ["https://gone.example/cb"] });
    expect((await ctx.req("POST", `/api/v1/apps/${inactive.id}/lifecycle/deactivate`)).status).toBe(200);
    await ctx.req("POST", "/api/v1/trustedOrigins", { name: "r", origin: "https://redirect-only.example", scopes: [{ type: "REDIRECT" }] });
    for (const origin of ["https://gone.example", "https://redirect-only.example"]) {
      const reply = await anon(ctx, "GET", "/oauth2/v1/keys", undefined, { Origin: origin });
      expect(reply.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("authorize, logout and client registration get no CORS headers", async () => {
    for (const path of ["/oauth2/v1/logout", "/oauth2/v1/authorize", "/oauth2/v1/clients"]) {
      const reply = await preflight(path, "GET", SPA);
      expect(reply.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });
});

/** A refresh_token grant sent from a browser at `origin` (the Origin header a browser adds). */
const refreshFrom = (app: UserApp, refreshToken: string, origin: string) =>
  postForm(ctx.org, "/oauth2/v1/token", { grant_type: "refresh_token", refresh_token: refreshToken }, { Authorization: app.basic, Origin: origin });

describe("browser requests to /token (REFERENCE-SIGNIN §5.1)", () => {
  it("a refresh from the origin of one of the client's redirect URIs passes with CORS; any other origin → 400 invalid_request", async () => {
    const app = await newUserApp(ctx.org, { redirect_uris: [`${SPA}/login/callback`] });
    const user = await activeUser(ctx);
    await assign(ctx.org, app, user.id);
    const first = await passwordGrant(ctx.org, "/oauth2", app, user.profile.login, "openid offline_access");
    expect(first.status, first.text).toBe(200);

    const refused = await refreshFrom(app, first.body.refresh_token, TRUSTED);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: "invalid_request",
      error_description: "Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.",
    });
    // A trusted origin gets CORS headers (it can read the refusal) but is not one of this client's redirect origins.
    expect(refused.headers.get("access-control-allow-origin")).toBe(TRUSTED);

    const refreshed = await refreshFrom(app, first.body.refresh_token, SPA);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.headers.get("access-control-allow-origin")).toBe(SPA);
    expect(refreshed.body.access_token).toBeTruthy();
  });

  it("grants that are not browser flows are left alone: a password grant with an Origin still answers", async () => {
    const app = await newUserApp(ctx.org);
    const user = await activeUser(ctx);
    await assign(ctx.org, app, user.id);
    const form = { grant_type: "password", username: user.profile.login, password: USER_PASSWORD, scope: "openid" };
    const reply = await postForm(ctx.org, "/oauth2/v1/token", form, { Authorization: app.basic, Origin: STRANGER });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get("access-control-allow-origin")).toBeNull();
  });
});
