import { Client } from "@okta/okta-sdk-nodejs";
import OktaJwtVerifier from "@okta/jwt-verifier";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM seed module (no type declarations)
import { seed } from "../../scripts/seed/authorization-servers.mjs";
// @ts-expect-error plain ESM seed runner (no type declarations)
import { seedApi } from "../../scripts/seed/index.mjs";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

// A service protected by @okta/jwt-verifier, in front of an edgeorg custom authorization server
// configured with the Okta Node SDK's authorizationServerApi.
let org: NodeTestOrg;
let sdk: Client;

beforeAll(async () => {
  org = await createOrg();
  sdk = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
});
afterAll(async () => {
  if (org) await deleteOrg(org.slug);
});

async function json(method: string, path: string, body?: unknown) {
  const response = await fetch(`${org.orgUrl}${path}`, {
    method,
    headers: { Authorization: `SSWS ${org.apiToken}`, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function confidentialClient() {
  const reply = await json("POST", "/oauth2/v1/clients", {
    client_name: `svc-${Math.random().toString(36).slice(2, 8)}`,
    application_type: "service",
    grant_types: ["client_credentials"],
    response_types: ["token"],
    token_endpoint_auth_method: "client_secret_basic",
  });
  expect(reply.status).toBe(201);
  return { id: reply.body.client_id as string, secret: reply.body.client_secret as string };
}

async function form(path: string, client: { id: string; secret: string }, fields: Record<string, string>) {
  const response = await fetch(`${org.orgUrl}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
    },
    body: new URLSearchParams(fields),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe("a custom authorization server configured with the Okta SDK", () => {
  let serverId: string;
  let issuer: string;
  const audience = "https://orders.example.com";
  let client: { id: string; secret: string };

  beforeAll(async () => {
    const api = sdk.authorizationServerApi;
    const server = await api.createAuthorizationServer({
      authorizationServer: { name: "Orders", description: "Orders API", audiences: [audience] },
    });
    serverId = server.id!;
    issuer = server.issuer!;
    expect(issuer).toBe(`${org.orgUrl}/oauth2/${serverId}`);
    await api.createOAuth2Scope({ authServerId: serverId, oAuth2Scope: { name: "orders:read" } });
    await api.createOAuth2Claim({
      authServerId: serverId,
      oAuth2Claim: { name: "tier", claimType: "RESOURCE", valueType: "EXPRESSION", value: "'gold'", conditions: { scopes: [] } },
    });
    client = await confidentialClient();
    const policy = await api.createAuthorizationServerPolicy({
      authServerId: serverId,
      policy: { type: "OAUTH_AUTHORIZATION_POLICY", name: "Orders clients", description: "Only the orders client", priority: 1, conditions: { clients: { include: [client.id] } } },
    });
    await api.createAuthorizationServerPolicyRule({
      authServerId: serverId,
      policyId: policy.id!,
      policyRule: {
        type: "RESOURCE_ACCESS",
        name: "client credentials",
        conditions: { grantTypes: { include: ["client_credentials"] }, scopes: { include: ["orders:read"] } },
        actions: { token: { accessTokenLifetimeMinutes: 10 } },
      } as never,
    });
  });

  it("lists and reads what was configured through the SDK", async () => {
    const api = sdk.authorizationServerApi;
    const ids: string[] = [];
    for await (const s of await api.listAuthorizationServers()) ids.push(s!.id!);
    expect(ids).toEqual(expect.arrayContaining(["default", serverId]));
    const scopes: string[] = [];
    for await (const s of await api.listOAuth2Scopes({ authServerId: serverId })) scopes.push(s!.name!);
    expect(scopes).toContain("orders:read");
    const policies = [];
    for await (const p of await api.listAuthorizationServerPolicies({ authServerId: serverId })) policies.push(p);
    expect(policies).toHaveLength(1);
    const keys = [];
    for await (const k of await api.listAuthorizationServerKeys({ authServerId: serverId })) keys.push(k!.status);
    expect(keys).toEqual(["ACTIVE", "NEXT"]);
    const error = await api.getAuthorizationServer({ authServerId: "ausNOPE" }).catch((e: { status?: number; errorCode?: string }) => e);
    expect(error).toMatchObject({ status: 404, errorCode: "E0000007" });
  });

  it("mints tokens that @okta/jwt-verifier accepts; revoked ones fail introspection; the policy denies other clients", async () => {
    const verifier = new OktaJwtVerifier({ issuer, testing: { disableHttpsCheck: true } });
    const reply = await form(`/oauth2/${serverId}/v1/token`, client, { grant_type: "client_credentials", scope: "orders:read" });
    expect(reply.status).toBe(200);
    expect(reply.body.expires_in).toBe(600);
    const jwt = await verifier.verifyAccessToken(reply.body.access_token, audience);
    expect(jwt.claims).toMatchObject({ iss: issuer, aud: audience, cid: client.id, sub: client.id, scp: ["orders:read"], tier: "gold" });
    await expect(verifier.verifyAccessToken(reply.body.access_token, "api://default")).rejects.toThrow();

    const live = await form(`/oauth2/${serverId}/v1/introspect`, client, { token: reply.body.access_token });
    expect(live.body.active).toBe(true);
    const revoked = await form(`/oauth2/${serverId}/v1/revoke`, client, { token: reply.body.access_token });
    expect(revoked.status).toBe(200);
    const dead = await form(`/oauth2/${serverId}/v1/introspect`, client, { token: reply.body.access_token });
    expect(dead.body).toEqual({ active: false });

    const stranger = await confidentialClient();
    const denied = await form(`/oauth2/${serverId}/v1/token`, stranger, { grant_type: "client_credentials", scope: "orders:read" });
    expect(denied.status).toBe(400);
    expect(denied.body.error).toBe("access_denied");
  });

  it("keeps verifying a token signed before a key rotation, and verifies the new key's tokens", async () => {
    const verifier = new OktaJwtVerifier({ issuer, testing: { disableHttpsCheck: true } });
    const before = (await form(`/oauth2/${serverId}/v1/token`, client, { grant_type: "client_credentials", scope: "orders:read" })).body.access_token;
    await verifier.verifyAccessToken(before, audience);
    const keys = [];
    for await (const k of await sdk.authorizationServerApi.rotateAuthorizationServerKeys({ authServerId: serverId, use: { use: "sig" } })) keys.push(k);
    expect(keys.map((k) => k!.status).sort()).toEqual(["ACTIVE", "EXPIRED", "NEXT"]);
    const after = (await form(`/oauth2/${serverId}/v1/token`, client, { grant_type: "client_credentials", scope: "orders:read" })).body.access_token;
    // A fresh verifier (no cached JWKS) and the one that cached the keys before the rotation both accept both tokens.
    for (const v of [verifier, new OktaJwtVerifier({ issuer, testing: { disableHttpsCheck: true } })]) {
      await expect(v.verifyAccessToken(before, audience)).resolves.toBeDefined();
      await expect(v.verifyAccessToken(after, audience)).resolves.toBeDefined();
    }
  });

  it("lists a client's tokens and revokes them through the SDK", async () => {
    const token = (await form(`/oauth2/${serverId}/v1/token`, client, { grant_type: "client_credentials", scope: "orders:read" })).body.access_token;
    const listed = [];
    for await (const t of await sdk.authorizationServerApi.listRefreshTokensForAuthorizationServerAndClient({ authServerId: serverId, clientId: client.id })) listed.push(t!.id);
    expect(listed.length).toBeGreaterThan(0);
    await sdk.authorizationServerApi.revokeRefreshTokensForAuthorizationServerAndClient({ authServerId: serverId, clientId: client.id });
    expect((await form(`/oauth2/${serverId}/v1/introspect`, client, { token })).body).toEqual({ active: false });
  });

  it("deactivates (token endpoint then 404) and deletes the server through the SDK", async () => {
    const api = sdk.authorizationServerApi;
    await api.deactivateAuthorizationServer({ authServerId: serverId });
    const refused = await form(`/oauth2/${serverId}/v1/token`, client, { grant_type: "client_credentials", scope: "orders:read" });
    expect(refused.status).toBe(404);
    await api.deleteAuthorizationServer({ authServerId: serverId });
    const error = await api.getAuthorizationServer({ authServerId: serverId }).catch((e: { status?: number }) => e);
    expect(error).toMatchObject({ status: 404 });
  });
});

describe("the authorization-servers demo seed", () => {
  it("configures the default server and prints a curl line that gets a token; a second run adds nothing", async () => {
    const api = seedApi({ orgUrl: org.orgUrl, ssws: `SSWS ${org.apiToken}`, log: () => {} });
    const lines: string[] = await seed(api);
    const curl = lines.find((l) => l.startsWith("Token: curl"))!;
    const match = /-u '([^:]+):([^']+)'/.exec(curl)!;
    const reply = await form("/oauth2/default/v1/token", { id: match[1]!, secret: match[2]! }, { grant_type: "client_credentials", scope: "demo:read" });
    expect(reply.status).toBe(200);
    const verifier = new OktaJwtVerifier({ issuer: `${org.orgUrl}/oauth2/default`, testing: { disableHttpsCheck: true } });
    const jwt = await verifier.verifyAccessToken(reply.body.access_token, "api://default");
    expect(jwt.claims.tenant).toBe("edgeorg-demo");

    const again: string[] = await seed(api);
    expect(again.join("\n")).toContain(match[1]!);
    const scopes = await json("GET", "/api/v1/authorizationServers/default/scopes?q=demo");
    expect(scopes.body).toHaveLength(1);
    const clients = await json("GET", "/oauth2/v1/clients?limit=200");
    expect(clients.body.filter((c: { client_id: string }) => c.client_id === match[1])).toHaveLength(1);
  });
});
