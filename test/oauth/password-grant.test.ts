import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { call, createOrg } from "../support/http";
import { grantScopes } from "../support/oauth";
import { expectOktaSchema } from "../support/okta-schema";
import {
  addClaim,
  addScope,
  api,
  assign,
  newUser,
  newUserApp,
  passwordGrant,
  passwordServer,
  USER_PASSWORD,
  userSetup,
} from "../support/user-grants";

async function leftHalfHash(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
  return btoa(String.fromCharCode(...digest.slice(0, 16))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function verifyWith(orgUrl: string, keysPath: string, token: string, issuer: string, audience: string) {
  const keys = await call("GET", keysPath, { orgUrl, auth: null });
  return (await jwtVerify(token, createLocalJWKSet(keys.body), { issuer, audience, algorithms: ["RS256"] })).payload;
}

describe("password grant at the org authorization server", () => {
  it("issues a user access token, a fat ID token and a refresh token, with Okta's claims", async () => {
    const { org, user, app } = await userSetup({
      displayName: "Ada L.",
      nickName: "ada",
      middleName: "Byron",
      locale: "en_GB",
      timezone: "Europe/London",
      mobilePhone: "+44 20 7946 0000",
      streetAddress: "12 St James's Square",
      city: "London",
      state: "LDN",
      zipCode: "SW1Y 4LB",
      countryCode: "GB",
    });
    await grantScopes({ org, clientId: app.clientId }, ["okta.users.read.self"]);
    const login = user.profile.login;
    const reply = await passwordGrant(org, "/oauth2", app, login, "openid profile email address phone offline_access okta.users.read.self okta.groups.read");
    expect(reply.status, reply.text).toBe(200);
    expectOktaSchema(reply.body, "TokenResponseOrgAs");
    expect(reply.headers.get("cache-control")).toBe("no-store");
    // okta.groups.read was not granted to the app: dropped silently.
    expect(reply.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "openid profile email address phone offline_access okta.users.read.self" });
    expect(reply.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const at = await verifyWith(org.orgUrl, "/oauth2/v1/keys", reply.body.access_token, org.orgUrl, org.orgUrl);
    expect(at).toEqual({
      ver: 1,
      jti: expect.stringMatching(/^AT\./),
      iss: org.orgUrl,
      aud: org.orgUrl,
      iat: expect.any(Number),
      exp: at.iat! + 3600,
      cid: app.clientId,
      uid: user.id,
      scp: ["openid", "profile", "email", "address", "phone", "offline_access", "okta.users.read.self"],
      auth_time: expect.any(Number),
      sub: login,
    });

    const id = await verifyWith(org.orgUrl, "/oauth2/v1/keys", reply.body.id_token, org.orgUrl, app.clientId);
    expect(id).toEqual({
      sub: user.id,
      ver: 1,
      iss: org.orgUrl,
      aud: app.clientId,
      iat: expect.any(Number),
      exp: id.iat! + 3600,
      jti: expect.stringMatching(/^ID\./),
      amr: ["pwd"],
      idp: org.id,
      auth_time: at.auth_time,
      at_hash: await leftHalfHash(reply.body.access_token),
      name: "Ada L.",
      preferred_username: login,
      nickname: "ada",
      given_name: "Ada",
      middle_name: "Byron",
      family_name: "Lovelace",
      zoneinfo: "Europe/London",
      locale: "en-GB",
      updated_at: expect.any(Number),
      email: login,
      email_verified: true,
      address: { street_address: "12 St James's Square", locality: "London", region: "LDN", postal_code: "SW1Y 4LB", country: "GB" },
      phone_number: "+44 20 7946 0000",
    });
    const now = (await api(org, "GET", `/api/v1/users/${user.id}`)).body;
    expect(id.updated_at).toBe(Math.floor(Date.parse(now.lastUpdated) / 1000));
  });

  it("gives scope claims only for the scopes granted, and no refresh token without offline_access or the app's refresh_token grant", async () => {
    const { org, user, app } = await userSetup();
    const plain = await passwordGrant(org, "/oauth2", app, user.profile.login, "openid");
    expect(plain.status, plain.text).toBe(200);
    expect(plain.body.refresh_token).toBeUndefined();
    const id = decodeJwt(plain.body.id_token);
    expect(Object.keys(id).sort()).toEqual(["amr", "at_hash", "aud", "auth_time", "exp", "iat", "idp", "iss", "jti", "sub", "ver"]);

    const noRefreshGrant = await newUserApp(org, { grant_types: ["authorization_code", "password"] });
    await assign(org, noRefreshGrant, user.id);
    const offline = await passwordGrant(org, "/oauth2", noRefreshGrant, user.profile.login, "openid offline_access");
    expect(offline.status, offline.text).toBe(200);
    expect(offline.body.refresh_token).toBeUndefined();

    const noOpenid = await passwordGrant(org, "/oauth2", app, user.profile.login, "offline_access");
    expect(noOpenid.status, noOpenid.text).toBe(200);
    expect(noOpenid.body.id_token).toBeUndefined();
    expect(noOpenid.body.refresh_token).toBeDefined();
  });

  it("refuses scopes as Okta does: unknown, claim scopes without openid, only ungranted okta scopes", async () => {
    const { org, user, app } = await userSetup();
    const login = user.profile.login;
    expect((await passwordGrant(org, "/oauth2", app, login, "openid orders:read")).body).toEqual({
      error: "invalid_scope",
      error_description: "One or more scopes are not configured for the authorization server resource.",
    });
    expect((await passwordGrant(org, "/oauth2", app, login, "profile email")).body).toEqual({
      error: "invalid_scope",
      error_description: "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.",
    });
    expect((await passwordGrant(org, "/oauth2", app, login, "okta.users.read")).body).toEqual({
      error: "consent_required",
      error_description: "You are not allowed any of the requested scopes.",
    });
    const none = await passwordGrant(org, "/oauth2", app, login, "");
    expect(none.status).toBe(400);
    expect(none.body).toEqual({ error: "invalid_scope", error_description: "No scopes were requested." });
  });

  it("refuses bad credentials, users who may not sign in, unassigned users and apps without the grant", async () => {
    const { org, user, app } = await userSetup();
    const login = user.profile.login;
    const invalid = { error: "invalid_grant", error_description: "The credentials provided were invalid." };
    expect((await passwordGrant(org, "/oauth2", app, login, "openid", { password: "wrong" })).body).toEqual(invalid);
    const unknown = await passwordGrant(org, "/oauth2", app, "nobody@example.com", "openid");
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(invalid);
    expect((await passwordGrant(org, "/oauth2", app, login, "openid", { username: "" })).body.error).toBe("invalid_request");

    const stranger = await newUser(org);
    expect((await passwordGrant(org, "/oauth2", app, stranger.profile.login, "openid")).body).toEqual({
      error: "access_denied",
      error_description: "User is not assigned to the client application.",
    });

    const codeOnly = await newUserApp(org, { grant_types: ["authorization_code"], response_types: ["code"] });
    await assign(org, codeOnly, user.id);
    expect((await passwordGrant(org, "/oauth2", codeOnly, login, "openid")).body).toEqual({
      error: "unauthorized_client",
      error_description: "The client isn't authorized to use the provided grant type. Configured grant types: [authorization_code].",
    });

    expect((await api(org, "POST", `/api/v1/users/${user.id}/lifecycle/expire_password`)).status).toBe(200);
    expect((await passwordGrant(org, "/oauth2", app, login, "openid")).body).toEqual({
      error: "invalid_grant",
      error_description: "Password has expired.",
    });

    const suspended = await newUser(org);
    await assign(org, app, suspended.id);
    expect((await api(org, "POST", `/api/v1/users/${suspended.id}/lifecycle/suspend`)).status).toBe(200);
    expect((await passwordGrant(org, "/oauth2", app, suspended.profile.login, "openid")).body).toEqual(invalid);
  });

  it("counts failed passwords toward lockout, shared with /api/v1/authn; a locked user gets invalid credentials", async () => {
    const { org, user, app } = await userSetup();
    const login = user.profile.login;
    for (let i = 0; i < 9; i++) {
      expect((await passwordGrant(org, "/oauth2", app, login, "openid", { password: `wrong-${i}` })).body.error).toBe("invalid_grant");
    }
    expect((await api(org, "GET", `/api/v1/users/${user.id}`)).body.status).toBe("ACTIVE");
    const authn = await call("POST", "/api/v1/authn", { orgUrl: org.orgUrl, auth: null, body: { username: login, password: "wrong" } });
    expect(authn.status).toBe(401);
    expect((await api(org, "GET", `/api/v1/users/${user.id}`)).body.status).toBe("LOCKED_OUT");
    expect((await passwordGrant(org, "/oauth2", app, login, "openid")).body).toEqual({
      error: "invalid_grant",
      error_description: "The credentials provided were invalid.",
    });
    expect((await api(org, "POST", `/api/v1/users/${user.id}/lifecycle/unlock`)).status).toBe(200);
    expect((await passwordGrant(org, "/oauth2", app, login, "openid")).status).toBe(200);
  });

  it("signs one user in many times at once: every concurrent grant succeeds", async () => {
    const { org, user, app } = await userSetup();
    const replies = await Promise.all(Array.from({ length: 8 }, () => passwordGrant(org, "/oauth2", app, user.profile.login, "openid")));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
  });

  it("a success ends the run of failures and creates no session", async () => {
    const { org, user, app } = await userSetup();
    const login = user.profile.login;
    for (let i = 0; i < 9; i++) await passwordGrant(org, "/oauth2", app, login, "openid", { password: "wrong" });
    const ok = await passwordGrant(org, "/oauth2", app, login, "openid");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toBeNull();
    for (let i = 0; i < 9; i++) await passwordGrant(org, "/oauth2", app, login, "openid", { password: "wrong" });
    const after = await api(org, "GET", `/api/v1/users/${user.id}`);
    expect(after.body.status).toBe("ACTIVE");
    expect(after.body.lastLogin).not.toBeNull();
  });
});

describe("password grant at a custom authorization server", () => {
  it("issues access tokens with the server's audience, sub = login, and RESOURCE claims in the user dialect", async () => {
    const { org, user, app } = await userSetup({ department: "Engineering" });
    const group = await api(org, "POST", "/api/v1/groups", { profile: { name: "Admins-EU" } });
    expect((await api(org, "PUT", `/api/v1/groups/${group.body.id}/users/${user.id}`)).status).toBe(204);
    const server = await passwordServer(org, {}, "api://orders");
    await addScope(org, server, { name: "orders:read" });
    await addClaim(org, server, { name: "dept", claimType: "RESOURCE", valueType: "EXPRESSION", value: "user.department" });
    await addClaim(org, server, { name: "who", claimType: "RESOURCE", valueType: "EXPRESSION", value: 'user.firstName + " " + user.lastName' });
    await addClaim(org, server, { name: "eu_admin", claimType: "RESOURCE", valueType: "EXPRESSION", value: 'isMemberOfGroupNameStartsWith("Admins")' });
    await addScope(org, server, { name: "orders:write" });
    await addClaim(org, server, { name: "with_openid", claimType: "RESOURCE", valueType: "EXPRESSION", value: '"x"', conditions: { scopes: ["openid"] } });
    await addClaim(org, server, { name: "with_write", claimType: "RESOURCE", valueType: "EXPRESSION", value: '"y"', conditions: { scopes: ["orders:write"] } });
    await addClaim(org, server, { name: "groups", claimType: "IDENTITY", valueType: "GROUPS", group_filter_type: "STARTS_WITH", value: "Admins" });
    await addClaim(org, server, { name: "dept", claimType: "IDENTITY", valueType: "EXPRESSION", value: "user.department", alwaysIncludeInToken: false });

    const base = `/oauth2/${server}`;
    const reply = await passwordGrant(org, base, app, user.profile.login, "orders:read openid email");
    expect(reply.status, reply.text).toBe(200);
    expectOktaSchema(reply.body, "TokenResponseCustomAs");
    const issuer = `${org.orgUrl}/oauth2/${server}`;
    const at = await verifyWith(org.orgUrl, `${base}/v1/keys`, reply.body.access_token, issuer, "api://orders");
    expect(at).toMatchObject({
      iss: issuer,
      aud: "api://orders",
      cid: app.clientId,
      uid: user.id,
      sub: user.profile.login,
      scp: ["orders:read", "openid", "email"],
      dept: "Engineering",
      who: `Ada ${user.profile.lastName}`,
      eu_admin: true,
      with_openid: "x",
    });
    expect(at.with_write).toBeUndefined();
    expect(at.exp! - at.iat!).toBe(3600);
    const id = await verifyWith(org.orgUrl, `${base}/v1/keys`, reply.body.id_token, issuer, app.clientId);
    expect(id).toMatchObject({ sub: user.id, email: user.profile.login, groups: ["Admins-EU"], dept: "Engineering" });

    const introspect = await call("POST", `${base}/v1/introspect`, {
      orgUrl: org.orgUrl,
      auth: null,
      body: new URLSearchParams({ token: reply.body.access_token }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: app.basic },
    });
    expect(introspect.body).toMatchObject({ active: true, sub: user.profile.login, username: user.profile.login, uid: user.id });
  });

  it("refuses unknown scopes, okta scopes, and consent scopes for an app that asks users (no user is there to consent)", async () => {
    const { org, user, app } = await userSetup();
    const server = await passwordServer(org);
    await addScope(org, server, { name: "orders:read" });
    await addScope(org, server, { name: "orders:write", consent: "REQUIRED" });
    const base = `/oauth2/${server}`;
    const login = user.profile.login;
    for (const scope of ["orders:delete", "okta.users.read"]) {
      expect((await passwordGrant(org, base, app, login, scope)).body).toEqual({
        error: "invalid_scope",
        error_description: "One or more scopes are not configured for the authorization server resource.",
      });
    }
    // The apps API makes TRUSTED apps: no prompt, the scope is granted.
    expect((await passwordGrant(org, base, app, login, "orders:write")).status).toBe(200);
    const asking = await newUserApp(org, { consent_method: "REQUIRED" });
    await assign(org, asking, user.id);
    expect((await passwordGrant(org, base, asking, login, "orders:read orders:write")).body).toEqual({
      error: "consent_required",
      error_description: "The following scopes require user consent: [orders:write]",
    });
    expect((await passwordGrant(org, base, asking, login, "orders:read")).status).toBe(200);
  });
});
