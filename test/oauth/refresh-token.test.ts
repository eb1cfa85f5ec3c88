import { env } from "cloudflare:test";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { postForm } from "../support/oauth";
import {
  addPolicy,
  addRule,
  api,
  assign,
  newUserApp,
  passwordGrant,
  passwordServer,
  refreshGrant,
  userSetup,
  type UserApp,
} from "../support/user-grants";
import type { TestOrg } from "../support/http";

const INVALID = { error: "invalid_grant", error_description: "The refresh token is invalid or expired." };

function introspect(org: TestOrg, base: string, app: UserApp, token: string) {
  return postForm(org, `${base}/v1/introspect`, { token }, { Authorization: app.basic });
}

function revoke(org: TestOrg, base: string, app: UserApp, token: string, hint?: string) {
  return postForm(org, `${base}/v1/revoke`, { token, ...(hint ? { token_type_hint: hint } : {}) }, { Authorization: app.basic });
}

async function signIn(org: TestOrg, base: string, app: UserApp, login: string, scope = "openid offline_access profile") {
  const reply = await passwordGrant(org, base, app, login, scope);
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body.refresh_token).toBeDefined();
  return reply.body;
}

describe("refresh_token grant (§5.3)", () => {
  it("STATIC (the default for native and web apps): new access and ID tokens, the same refresh token, 90 days at the org server", async () => {
    const { org, user, app } = await userSetup();
    const first = await signIn(org, "/oauth2", app, user.profile.login);
    const seen = await introspect(org, "/oauth2", app, first.refresh_token);
    expect(seen.body).toEqual({
      active: true,
      token_type: "Bearer",
      scope: "openid offline_access profile",
      client_id: app.clientId,
      username: user.profile.login,
      exp: expect.any(Number),
      sub: user.profile.login,
    });
    expect(Math.abs(seen.body.exp - (Date.now() / 1000 + 90 * 86400))).toBeLessThan(120);

    const again = await refreshGrant(org, "/oauth2", app, first.refresh_token);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "openid offline_access profile", refresh_token: first.refresh_token });
    expect(again.body.access_token).not.toBe(first.access_token);
    const id = decodeJwt(again.body.id_token);
    const original = decodeJwt(first.id_token);
    expect(id).toMatchObject({ sub: user.id, aud: app.clientId, auth_time: original.auth_time, amr: ["pwd"], preferred_username: user.profile.login });
    expect(decodeJwt(again.body.access_token)).toMatchObject({ uid: user.id, sub: user.profile.login, auth_time: original.auth_time });

    // A narrower scope is fine, without openid no ID token; a wider one is refused by name.
    const narrower = await refreshGrant(org, "/oauth2", app, first.refresh_token, { scope: "offline_access" });
    expect(narrower.status, narrower.text).toBe(200);
    expect(narrower.body.scope).toBe("offline_access");
    expect(narrower.body.id_token).toBeUndefined();
    expect((await refreshGrant(org, "/oauth2", app, first.refresh_token, { scope: "openid email phone" })).body).toEqual({
      error: "access_denied",
      error_description:
        "Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: [email, phone]",
    });
  });

  it("refuses unknown values, another client's token and another server's token with the same invalid_grant", async () => {
    const { org, user, app } = await userSetup();
    const other = await newUserApp(org);
    await assign(org, other, user.id);
    const server = await passwordServer(org);
    const tokens = await signIn(org, "/oauth2", app, user.profile.login);
    expect((await refreshGrant(org, "/oauth2", app, "not-a-refresh-token")).body).toEqual(INVALID);
    expect((await refreshGrant(org, "/oauth2", other, tokens.refresh_token)).body).toEqual(INVALID);
    expect((await refreshGrant(org, `/oauth2/${server}`, app, tokens.refresh_token)).body).toEqual(INVALID);
    expect((await introspect(org, "/oauth2", other, tokens.refresh_token)).body).toEqual({ active: false });
    expect((await introspect(org, `/oauth2/${server}`, app, tokens.refresh_token)).body).toEqual({ active: false });
    // The access token is not a refresh token.
    expect((await refreshGrant(org, "/oauth2", app, tokens.access_token)).body).toEqual(INVALID);
    const missing = await postForm(org, "/oauth2/v1/token", { grant_type: "refresh_token" }, { Authorization: app.basic });
    expect(missing.body.error).toBe("invalid_request");
    const noGrant = await newUserApp(org, { grant_types: ["authorization_code", "password"] });
    expect((await refreshGrant(org, "/oauth2", noGrant, tokens.refresh_token)).body.error).toBe("unauthorized_client");
  });

  it("ROTATE: a new value each use, the replaced one works for the leeway, and reuse after it kills the grant and its access tokens", async () => {
    const { org, user, app } = await userSetup({}, { refresh_token: { rotation_type: "ROTATE", leeway: 0 } });
    expect((await api(org, "GET", `/api/v1/apps/${app.appId}`)).body.settings.oauthClient.refresh_token).toEqual({ rotation_type: "ROTATE", leeway: 0 });
    const first = await signIn(org, "/oauth2", app, user.profile.login);
    const second = await refreshGrant(org, "/oauth2", app, first.refresh_token);
    expect(second.status, second.text).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    const third = await refreshGrant(org, "/oauth2", app, second.body.refresh_token);
    expect(third.status).toBe(200);
    expect((await introspect(org, "/oauth2", app, third.body.access_token)).body.active).toBe(true);

    // Reuse of the first value, rotated out with no leeway.
    await new Promise((r) => setTimeout(r, 5));
    expect((await refreshGrant(org, "/oauth2", app, first.refresh_token)).body).toEqual(INVALID);
    expect((await refreshGrant(org, "/oauth2", app, third.body.refresh_token)).body).toEqual(INVALID);
    for (const token of [first.access_token, second.body.access_token, third.body.access_token]) {
      expect((await introspect(org, "/oauth2", app, token)).body).toEqual({ active: false });
    }
  });

  it("ROTATE with the default 30-second leeway: the replaced value still refreshes (a retry after a lost response)", async () => {
    const { org, user, app } = await userSetup({}, { refresh_token: { rotation_type: "ROTATE" } });
    const first = await signIn(org, "/oauth2", app, user.profile.login);
    const second = await refreshGrant(org, "/oauth2", app, first.refresh_token);
    const retry = await refreshGrant(org, "/oauth2", app, first.refresh_token);
    expect(retry.status, retry.text).toBe(200);
    expect(new Set([first.refresh_token, second.body.refresh_token, retry.body.refresh_token]).size).toBe(3);
    expect((await refreshGrant(org, "/oauth2", app, retry.body.refresh_token)).status).toBe(200);
  });

  it("refuses bad rotation settings on the app", async () => {
    const { org } = await userSetup();
    const reply = await api(org, "POST", "/api/v1/apps", {
      name: "oidc_client",
      label: "bad rotation",
      signOnMode: "OPENID_CONNECT",
      settings: { oauthClient: { grant_types: ["authorization_code", "refresh_token"], redirect_uris: ["https://a.example/cb"], refresh_token: { rotation_type: "SOMETIMES", leeway: 90 } } },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errorCauses).toEqual([{ errorSummary: "refresh_token.rotation_type: Must be one of ROTATE, STATIC" }]);
  });

  it("custom server: the rule's lifetimes captured at issue, the idle window, and the original expiry", async () => {
    const { org, user, app } = await userSetup();
    const server = await passwordServer(org, { token: { accessTokenLifetimeMinutes: 10, refreshTokenLifetimeMinutes: 120, refreshTokenWindowMinutes: 30 } });
    const base = `/oauth2/${server}`;
    const tokens = await signIn(org, base, app, user.profile.login);
    expect(tokens.expires_in).toBe(600);
    const seen = await introspect(org, base, app, tokens.refresh_token);
    expect(Math.abs(seen.body.exp - (Date.now() / 1000 + 30 * 60))).toBeLessThan(60);

    // A later policy change does not reach a refresh (the rule captured at issue decides).
    const policy = await addPolicy(org, server, [app.clientId], { priority: 1 });
    await addRule(org, server, policy, { token: { accessTokenLifetimeMinutes: 5 } });
    const refreshed = await refreshGrant(org, base, app, tokens.refresh_token);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.body.expires_in).toBe(600);
    expect(decodeJwt(refreshed.body.access_token).aud).toBe("api://users");

    // Idle past the window: dead. (The clock is moved in D1, where the grant keeps its last use.)
    await env.DB.prepare("UPDATE oauth_refresh_tokens SET last_used_at = last_used_at - 31 * 60000 WHERE org_id = ?").bind(org.id).run();
    expect((await refreshGrant(org, base, app, tokens.refresh_token)).body).toEqual(INVALID);
    expect((await introspect(org, base, app, tokens.refresh_token)).body).toEqual({ active: false });

    // Past the original expiry, however recently used.
    const later = await signIn(org, base, app, user.profile.login);
    await env.DB.prepare("UPDATE oauth_refresh_tokens SET expires_at = ? WHERE org_id = ?").bind(Date.now() - 1000, org.id).run();
    expect((await refreshGrant(org, base, app, later.refresh_token)).body).toEqual(INVALID);
  });
});

describe("a grant refreshed in a tight loop", () => {
  it("keeps the 100 newest access tokens for its revocation and revokes older ones at once", async () => {
    const { org, user, app } = await userSetup();
    const first = await signIn(org, "/oauth2", app, user.profile.login, "offline_access");
    let last = first;
    for (let i = 0; i < 100; i++) last = (await refreshGrant(org, "/oauth2", app, first.refresh_token)).body;
    const row = await env.DB.prepare("SELECT access_tokens FROM oauth_refresh_tokens WHERE org_id = ?").bind(org.id).first<{ access_tokens: string }>();
    expect(JSON.parse(row!.access_tokens)).toHaveLength(100);
    expect((await introspect(org, "/oauth2", app, first.access_token)).body).toEqual({ active: false });
    expect((await introspect(org, "/oauth2", app, last.access_token)).body.active).toBe(true);
  });
});

describe("revoking and introspecting refresh tokens (§6.5)", () => {
  it("revoking a refresh token revokes its access tokens; revoking an access token leaves the refresh token", async () => {
    const { org, user, app } = await userSetup();
    const server = await passwordServer(org);
    const base = `/oauth2/${server}`;
    const tokens = await signIn(org, base, app, user.profile.login);
    expect((await revoke(org, base, app, tokens.access_token, "access_token")).status).toBe(200);
    expect((await introspect(org, base, app, tokens.access_token)).body.active).toBe(false);
    const refreshed = await refreshGrant(org, base, app, tokens.refresh_token);
    expect(refreshed.status, refreshed.text).toBe(200);

    // Another client cannot revoke it; another server does not know it.
    const other = await newUserApp(org);
    expect((await revoke(org, base, other, tokens.refresh_token)).status).toBe(200);
    expect((await revoke(org, "/oauth2", app, tokens.refresh_token)).status).toBe(200);
    expect((await introspect(org, base, app, tokens.refresh_token)).body.active).toBe(true);

    const revoked = await revoke(org, base, app, tokens.refresh_token, "refresh_token");
    expect(revoked.status).toBe(200);
    expect(revoked.text).toBe("");
    expect((await introspect(org, base, app, tokens.refresh_token)).body).toEqual({ active: false });
    expect((await introspect(org, base, app, refreshed.body.access_token)).body).toEqual({ active: false });
    expect((await refreshGrant(org, base, app, tokens.refresh_token)).body).toEqual(INVALID);
  });
});

describe("what else kills refresh tokens (§5.3)", () => {
  it("user deactivation, unassignment, and DELETE /users/{id}/sessions?oauthTokens=true (which also revokes access tokens)", async () => {
    const { org, user, app } = await userSetup();
    const a = await signIn(org, "/oauth2", app, user.profile.login);
    const b = await signIn(org, "/oauth2", app, user.profile.login);
    expect((await api(org, "DELETE", `/api/v1/users/${user.id}/sessions?oauthTokens=false`)).status).toBe(204);
    expect((await refreshGrant(org, "/oauth2", app, a.refresh_token)).status).toBe(200);
    expect((await api(org, "DELETE", `/api/v1/users/${user.id}/sessions?oauthTokens=true`)).status).toBe(204);
    for (const t of [a, b]) {
      expect((await refreshGrant(org, "/oauth2", app, t.refresh_token)).body).toEqual(INVALID);
      expect((await introspect(org, "/oauth2", app, t.access_token)).body).toEqual({ active: false });
    }
    // Tokens issued afterwards are fine.
    await new Promise((r) => setTimeout(r, 1100));
    const c = await signIn(org, "/oauth2", app, user.profile.login);
    expect((await introspect(org, "/oauth2", app, c.access_token)).body.active).toBe(true);

    expect((await api(org, "DELETE", `/api/v1/apps/${app.appId}/users/${user.id}`)).status).toBe(204);
    expect((await refreshGrant(org, "/oauth2", app, c.refresh_token)).body).toEqual(INVALID);

    await assign(org, app, user.id);
    const d = await signIn(org, "/oauth2", app, user.profile.login);
    expect((await api(org, "POST", `/api/v1/users/${user.id}/lifecycle/deactivate`)).status).toBe(200);
    expect((await refreshGrant(org, "/oauth2", app, d.refresh_token)).body).toEqual(INVALID);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM oauth_refresh_tokens WHERE org_id = ?").bind(org.id).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });

  it("app deactivation, and losing a group assignment", async () => {
    const { org, user, app } = await userSetup();
    const tokens = await signIn(org, "/oauth2", app, user.profile.login);
    expect((await api(org, "POST", `/api/v1/apps/${app.appId}/lifecycle/deactivate`)).status).toBe(200);
    expect((await api(org, "POST", `/api/v1/apps/${app.appId}/lifecycle/activate`)).status).toBe(200);
    expect((await refreshGrant(org, "/oauth2", app, tokens.refresh_token)).body).toEqual(INVALID);

    const group = await api(org, "POST", "/api/v1/groups", { profile: { name: "App users" } });
    await api(org, "PUT", `/api/v1/groups/${group.body.id}/users/${user.id}`);
    expect((await api(org, "PUT", `/api/v1/apps/${app.appId}/groups/${group.body.id}`, {})).status).toBe(200);
    // Direct unassignment keeps the tokens of a user still assigned through a group.
    const viaGroup = await signIn(org, "/oauth2", app, user.profile.login);
    expect((await api(org, "DELETE", `/api/v1/apps/${app.appId}/users/${user.id}`)).status).toBe(204);
    expect((await refreshGrant(org, "/oauth2", app, viaGroup.refresh_token)).status).toBe(200);
    expect((await api(org, "DELETE", `/api/v1/apps/${app.appId}/groups/${group.body.id}`)).status).toBe(204);
    expect((await refreshGrant(org, "/oauth2", app, viaGroup.refresh_token)).body).toEqual(INVALID);
  });
});
