import OktaJwtVerifier from "@okta/jwt-verifier";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeAppBody } from "../support/oidc-app-body";
import { createOrg, deleteOrg, sswsRequest, type NodeTestOrg } from "./support/org";

// User tokens from the password grant, checked by clients nobody here wrote: @okta/jwt-verifier on a custom
// server's user access token, and openid-client v6 running the grant (its generic grant request) and a refresh,
// with its own ID-token checks.
const PASSWORD = "Tr0ub4dor&3x";
let org: NodeTestOrg;
let login: string;
let userId: string;
let app: { clientId: string; secret: string };
let serverId: string;
const audience = "api://orders";

async function ok(method: string, path: string, body?: unknown) {
  const reply = await sswsRequest(org, method, path, body);
  if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as any;
}

beforeAll(async () => {
  org = await createOrg();
  login = `node.user.${Date.now().toString(36)}@example.com`;
  const user = await ok("POST", "/api/v1/users?activate=true", {
    profile: { firstName: "Grace", lastName: "Hopper", email: login, login },
    credentials: { password: { value: PASSWORD } },
  });
  userId = user.id;
  const created = await ok(
    "POST",
    "/api/v1/apps",
    nativeAppBody("Native app", { refresh_token: { rotation_type: "ROTATE", leeway: 0 } }),
  );
  app = { clientId: created.credentials.oauthClient.client_id, secret: created.credentials.oauthClient.client_secret };
  await ok("POST", `/api/v1/apps/${created.id}/users`, { id: userId });
  const server = await ok("POST", "/api/v1/authorizationServers", { name: "Orders", description: "Orders API", audiences: [audience] });
  serverId = server.id;
  await ok("POST", `/api/v1/authorizationServers/${serverId}/scopes`, { name: "orders:read" });
  const policy = await ok("POST", `/api/v1/authorizationServers/${serverId}/policies`, {
    name: "Users",
    description: "Users of the native app",
    conditions: { clients: { include: [app.clientId] } },
  });
  await ok("POST", `/api/v1/authorizationServers/${serverId}/policies/${policy.id}/rules`, {
    type: "RESOURCE_ACCESS",
    name: "Password",
    conditions: { people: { groups: { include: ["EVERYONE"] } }, grantTypes: { include: ["password"] }, scopes: { include: ["*"] } },
    actions: { token: { accessTokenLifetimeMinutes: 15 } },
  });
});
afterAll(async () => {
  if (org) await deleteOrg(org.slug);
});

async function clientConfig(issuer: string) {
  return oidc.discovery(new URL(issuer), app.clientId, undefined, oidc.ClientSecretBasic(app.secret), { execute: [oidc.allowInsecureRequests] });
}

describe("user tokens with real clients", () => {
  it("@okta/jwt-verifier verifies a user access token from a custom server's password grant, and refuses another audience", async () => {
    const config = await clientConfig(`${org.orgUrl}/oauth2/${serverId}`);
    const tokens = await oidc.genericGrantRequest(config, "password", { username: login, password: PASSWORD, scope: "openid orders:read" });
    expect(tokens.expires_in).toBe(900);
    const verifier = new OktaJwtVerifier({ issuer: `${org.orgUrl}/oauth2/${serverId}`, testing: { disableHttpsCheck: true } });
    const jwt = await verifier.verifyAccessToken(tokens.access_token, audience);
    expect(jwt.claims).toMatchObject({ uid: userId, sub: login, cid: app.clientId, scp: ["openid", "orders:read"] });
    await expect(verifier.verifyAccessToken(tokens.access_token, "api://elsewhere")).rejects.toThrow(/audience/i);
  });

  it("openid-client: the password grant at the org server (ID token checked by the client), then a rotating refresh", async () => {
    const config = await clientConfig(org.orgUrl);
    expect(config.serverMetadata().grant_types_supported).toEqual(expect.arrayContaining(["password", "refresh_token"]));
    const tokens = await oidc.genericGrantRequest(config, "password", { username: login, password: PASSWORD, scope: "openid profile offline_access" });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ sub: userId, aud: app.clientId, iss: org.orgUrl, preferred_username: login, name: "Grace Hopper" });
    expect(tokens.refresh_token).toBeDefined();

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()).toMatchObject({ sub: userId, auth_time: claims.auth_time });
    // The rotated-out value (no leeway) is reuse: refused, and the grant is gone.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});
