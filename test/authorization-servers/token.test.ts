import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { clientAssertion, dpopProof, JWT_BEARER, postForm, registerServiceClient, type OrgRef } from "../support/oauth";

const AS = "/api/v1/authorizationServers";

interface SecretClient {
  clientId: string;
  secret: string;
}

async function secretClient(org: OrgRef, method = "client_secret_basic", grantTypes = ["client_credentials"]): Promise<SecretClient> {
  const reply = await call("POST", "/oauth2/v1/clients", {
    orgUrl: org.orgUrl,
    auth: org.ssws,
    body: {
      client_name: `conf-${crypto.randomUUID().slice(0, 8)}`,
      application_type: "service",
      grant_types: grantTypes,
      response_types: ["token"],
      token_endpoint_auth_method: method,
    },
  });
  if (reply.status !== 201) throw new Error(`${reply.status} ${reply.text}`);
  return { clientId: reply.body.client_id, secret: reply.body.client_secret };
}

const basic = (c: SecretClient) => `Basic ${btoa(`${c.clientId}:${c.secret}`)}`;

function tokenWithBasic(org: OrgRef, server: string, client: SecretClient, form: Record<string, string>) {
  return postForm(org, `/oauth2/${server}/v1/token`, { grant_type: "client_credentials", ...form }, { Authorization: basic(client) });
}

async function jwksOf(org: OrgRef, server: string) {
  const reply = await call("GET", `/oauth2/${server}/v1/keys`, { orgUrl: org.orgUrl, auth: null });
  expect(reply.status).toBe(200);
  return createLocalJWKSet(reply.body);
}

async function addScope(org: OrgRef, server: string, body: Record<string, unknown>) {
  const reply = await call("POST", `${AS}/${server}/scopes`, { orgUrl: org.orgUrl, auth: org.ssws, body });
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

async function newServer(org: OrgRef, audience = "https://api.example.com") {
  const reply = await call("POST", AS, {
    orgUrl: org.orgUrl,
    auth: org.ssws,
    body: { name: `as-${crypto.randomUUID().slice(0, 8)}`, description: "d", audiences: [audience] },
  });
  expect(reply.status).toBe(201);
  return reply.body.id as string;
}

async function addPolicy(org: OrgRef, server: string, include: string[], extra: Record<string, unknown> = {}) {
  const reply = await call("POST", `${AS}/${server}/policies`, {
    orgUrl: org.orgUrl,
    auth: org.ssws,
    body: { name: `p-${crypto.randomUUID().slice(0, 6)}`, description: "d", conditions: { clients: { include } }, ...extra },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
}

async function addRule(org: OrgRef, server: string, policy: string, scopes: string[], extra: Record<string, unknown> = {}) {
  const reply = await call("POST", `${AS}/${server}/policies/${policy}/rules`, {
    orgUrl: org.orgUrl,
    auth: org.ssws,
    body: {
      type: "RESOURCE_ACCESS",
      name: `r-${crypto.randomUUID().slice(0, 6)}`,
      conditions: { grantTypes: { include: ["client_credentials"] }, scopes: { include: scopes } },
      ...extra,
    },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
}

let org: TestOrg;
let conf: SecretClient;

beforeAll(async () => {
  org = await createOrg();
  conf = await secretClient(org);
  await addScope(org, "default", { name: "orders:read", metadataPublish: "ALL_CLIENTS" });
  await addScope(org, "default", { name: "orders:write" });
});

describe("POST /oauth2/default/v1/token (client_credentials)", () => {
  it("mints a token with client_secret_basic that verifies with the server's JWKS (§5.10 claims)", async () => {
    const reply = await tokenWithBasic(org, "default", conf, { scope: "orders:read" });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "orders:read" });
    expectOktaSchema(reply.body, "TokenResponseCustomAs");
    expect(reply.headers.get("cache-control")).toBe("no-store");
    const { payload, protectedHeader } = await jwtVerify(reply.body.access_token, await jwksOf(org, "default"), {
      issuer: `${org.orgUrl}/oauth2/default`,
      audience: "api://default",
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ ver: 1, cid: conf.clientId, sub: conf.clientId, scp: ["orders:read"] });
    expect(payload.jti).toMatch(/^AT\./);
    expect(payload.uid).toBeUndefined();
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it("accepts client_secret_post for a client registered with it", async () => {
    const post = await secretClient(org, "client_secret_post");
    const reply = await postForm(org, "/oauth2/default/v1/token", {
      grant_type: "client_credentials",
      scope: "orders:read",
      client_id: post.clientId,
      client_secret: post.secret,
    });
    expect(reply.status, reply.text).toBe(200);
    // Method other than the registered one.
    const wrong = await postForm(org, "/oauth2/default/v1/token", { grant_type: "client_credentials", scope: "orders:read" }, { Authorization: basic(post) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
  });

  it("accepts private_key_jwt whose aud is the custom token URL as invoked (under /orgs/<slug>), and refuses the org token URL", async () => {
    const svc = await registerServiceClient(org);
    const url = `${org.orgUrl}/oauth2/default/v1/token`;
    const form = async (audience: string) => ({
      grant_type: "client_credentials",
      scope: "orders:read",
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion(svc, { audience }),
    });
    const ok = await postForm(org, "/oauth2/default/v1/token", await form(url));
    expect(ok.status, ok.text).toBe(200);
    expect(decodeJwt(ok.body.access_token).cid).toBe(svc.clientId);
    const orgAud = await postForm(org, "/oauth2/default/v1/token", await form(`${org.orgUrl}/oauth2/v1/token`));
    expect(orgAud.status).toBe(401);
    expect(orgAud.body).toEqual({
      error: "invalid_client",
      error_description: "The audience claim for client_assertion must be the endpoint invoked for the request.",
    });
  });

  it("refuses missing, wrong and multiple credentials", async () => {
    const none = await postForm(org, "/oauth2/default/v1/token", { grant_type: "client_credentials", scope: "orders:read" });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: "invalid_client", error_description: "No client credentials found" });
    const wrong = await tokenWithBasic(org, "default", { ...conf, secret: "nope" }, { scope: "orders:read" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error_description).toBe("The client secret supplied for a confidential client is invalid.");
    const both = await postForm(
      org,
      "/oauth2/default/v1/token",
      { grant_type: "client_credentials", scope: "orders:read", client_id: conf.clientId, client_secret: conf.secret },
      { Authorization: basic(conf) },
    );
    expect(both.status).toBe(400);
    expect(both.body.error).toBe("invalid_request");
    expect(both.body.error_description).toMatch(/^Can't supply multiple client credentials/);
  });

  it("decides grant type first: missing, unsupported, not enabled for the client", async () => {
    const missing = await postForm(org, "/oauth2/default/v1/token", { scope: "orders:read" }, { Authorization: basic(conf) });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("invalid_request");
    expect(missing.body.error_description).toMatch(/^The token request must specify a 'grant_type'/);
    const unknown = await postForm(org, "/oauth2/default/v1/token", { grant_type: "magic" }, { Authorization: basic(conf) });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe("unsupported_grant_type");
    const webReply = await call("POST", "/oauth2/v1/clients", {
      orgUrl: org.orgUrl,
      auth: org.ssws,
      body: {
        client_name: "web",
        application_type: "web",
        grant_types: ["authorization_code"],
        response_types: ["code"],
        redirect_uris: ["https://a.example.com/cb"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    });
    expect(webReply.status, webReply.text).toBe(201);
    const web = { clientId: webReply.body.client_id, secret: webReply.body.client_secret };
    const refused = await tokenWithBasic(org, "default", web, { scope: "orders:read" });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe("unauthorized_client");
  });

  it("checks scopes: defaults when omitted, undefined ones, openid, okta.*, consent REQUIRED", async () => {
    const o = await createOrg();
    const c = await secretClient(o);
    const noDefaults = await tokenWithBasic(o, "default", c, {});
    expect(noDefaults.status).toBe(400);
    expect(noDefaults.body).toEqual({
      error: "invalid_scope",
      error_description: "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
    });
    await addScope(o, "default", { name: "a", default: true });
    await addScope(o, "default", { name: "b", default: true });
    await addScope(o, "default", { name: "needs-consent", consent: "REQUIRED" });
    const defaults = await tokenWithBasic(o, "default", c, {});
    expect(defaults.status).toBe(200);
    expect(defaults.body.scope.split(" ").sort()).toEqual(["a", "b"]);

    const undefinedScope = await tokenWithBasic(o, "default", c, { scope: "a nope" });
    expect(undefinedScope.body).toEqual({ error: "invalid_scope", error_description: "One or more scopes are not configured for the authorization server resource." });
    const okta = await tokenWithBasic(o, "default", c, { scope: "okta.users.read" });
    expect(okta.status).toBe(400);
    expect(okta.body.error).toBe("invalid_scope");
    const openid = await tokenWithBasic(o, "default", c, { scope: "openid a" });
    expect(openid.body).toEqual({ error: "invalid_scope", error_description: "Cannot request 'openid' scopes using client credentials." });
    const consent = await tokenWithBasic(o, "default", c, { scope: "a needs-consent" });
    expect(consent.status).toBe(400);
    expect(consent.body).toEqual({
      error: "consent_required",
      error_description: "The following scopes require user consent and cannot be granted for the client credentials grant type: [needs-consent]",
    });
  });
});

describe("DPoP-bound clients at a custom server", () => {
  it("runs the nonce round trip with htu = the custom token URL and binds the token (cnf.jkt, token_type DPoP)", async () => {
    const svc = await registerServiceClient(org, { dpop: true });
    const url = `${org.orgUrl}/oauth2/default/v1/token`;
    const form = async () => ({
      grant_type: "client_credentials",
      scope: "orders:read",
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion(svc, { audience: url }),
    });
    const noProof = await postForm(org, "/oauth2/default/v1/token", await form());
    expect(noProof.status).toBe(400);
    expect(noProof.body.error).toBe("invalid_dpop_proof");
    const first = await postForm(org, "/oauth2/default/v1/token", await form(), { DPoP: await dpopProof(svc.key, { htm: "POST", htu: url }) });
    expect(first.status).toBe(400);
    expect(first.body.error).toBe("use_dpop_nonce");
    const nonce = first.headers.get("dpop-nonce")!;
    const wrongHtu = await postForm(org, "/oauth2/default/v1/token", await form(), {
      DPoP: await dpopProof(svc.key, { htm: "POST", htu: `${org.orgUrl}/oauth2/v1/token`, nonce }),
    });
    expect(wrongHtu.body.error).toBe("invalid_dpop_proof");
    const ok = await postForm(org, "/oauth2/default/v1/token", await form(), { DPoP: await dpopProof(svc.key, { htm: "POST", htu: url, nonce }) });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.token_type).toBe("DPoP");
    const claims = decodeJwt(ok.body.access_token) as { cnf?: { jkt: string } };
    expect(claims.cnf?.jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const intro = await postForm(org, "/oauth2/default/v1/introspect", {
      token: ok.body.access_token,
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion(svc, { audience: `${org.orgUrl}/oauth2/default/v1/introspect` }),
    });
    expect(intro.body).toMatchObject({ active: true, token_type: "DPoP" });
  });
});

describe("policy and rule evaluation", () => {
  it("denies without a matching policy, takes the first policy naming the client, and its first matching rule", async () => {
    const o = await createOrg();
    const c = await secretClient(o);
    const other = await secretClient(o);
    const server = await newServer(o, "api://orders");
    await addScope(o, server, { name: "read" });
    await addScope(o, server, { name: "write" });
    const denied = await tokenWithBasic(o, server, c, { scope: "read" });
    expect(denied.status).toBe(400);
    expect(denied.body).toEqual({
      error: "access_denied",
      error_description: "Policy evaluation failed for this request, please check the policy configurations.",
    });

    const forOther = await addPolicy(o, server, [other.clientId]);
    await addRule(o, server, forOther, ["*"]);
    expect((await tokenWithBasic(o, server, c, { scope: "read" })).body.error).toBe("access_denied");
    expect((await tokenWithBasic(o, server, other, { scope: "read" })).status).toBe(200);

    // A policy for this client, whose only rule covers "read": "write" is denied, with no fall-through.
    const mine = await addPolicy(o, server, [c.clientId], { priority: 1 });
    await addRule(o, server, mine, ["read"], { actions: { token: { accessTokenLifetimeMinutes: 15 } } });
    const everyone = await addPolicy(o, server, ["ALL_CLIENTS"]);
    await addRule(o, server, everyone, ["*"]);
    const read = await tokenWithBasic(o, server, c, { scope: "read" });
    expect(read.status).toBe(200);
    expect(read.body.expires_in).toBe(900);
    const claims = decodeJwt(read.body.access_token);
    expect(claims.aud).toBe("api://orders");
    expect(claims.iss).toBe(`${o.orgUrl}/oauth2/${server}`);
    expect(claims.exp! - claims.iat!).toBe(900);
    expect((await tokenWithBasic(o, server, c, { scope: "write" })).body.error).toBe("access_denied");

    // A higher-priority rule with another lifetime wins.
    await addRule(o, server, mine, ["*"], { priority: 1, actions: { token: { accessTokenLifetimeMinutes: 5 } } });
    expect((await tokenWithBasic(o, server, c, { scope: "read" })).body.expires_in).toBe(300);
    expect((await tokenWithBasic(o, server, c, { scope: "write" })).status).toBe(200);

    // Deactivated policies are skipped: the ALL_CLIENTS policy decides.
    const off = await call("POST", `${AS}/${server}/policies/${mine}/lifecycle/deactivate`, { orgUrl: o.orgUrl, auth: o.ssws });
    expect(off.status).toBe(204);
    expect((await tokenWithBasic(o, server, c, { scope: "write" })).body.expires_in).toBe(3600);
  });

  it("skips INACTIVE rules and rules without client_credentials", async () => {
    const o = await createOrg();
    const c = await secretClient(o);
    const server = await newServer(o);
    await addScope(o, server, { name: "read" });
    const policy = await addPolicy(o, server, ["ALL_CLIENTS"]);
    const rule = await addRule(o, server, policy, ["*"], {
      conditions: { grantTypes: { include: ["authorization_code"] }, people: { groups: { include: ["EVERYONE"] } }, scopes: { include: ["*"] } },
    });
    expect((await tokenWithBasic(o, server, c, { scope: "read" })).body.error).toBe("access_denied");
    const cc = await addRule(o, server, policy, ["read"]);
    expect((await tokenWithBasic(o, server, c, { scope: "read" })).status).toBe(200);
    await call("POST", `${AS}/${server}/policies/${policy}/rules/${cc}/lifecycle/deactivate`, { orgUrl: o.orgUrl, auth: o.ssws });
    expect((await tokenWithBasic(o, server, c, { scope: "read" })).body.error).toBe("access_denied");
    void rule;
  });
});

describe("claims in access tokens", () => {
  it("adds ACTIVE RESOURCE expression claims whose scope conditions match, never IDENTITY or GROUPS ones", async () => {
    const o = await createOrg();
    const c = await secretClient(o);
    await addScope(o, "default", { name: "read" });
    await addScope(o, "default", { name: "write" });
    const add = async (body: Record<string, unknown>) => {
      const reply = await call("POST", `${AS}/default/claims`, { orgUrl: o.orgUrl, auth: o.ssws, body: { claimType: "RESOURCE", valueType: "EXPRESSION", ...body } });
      expect(reply.status, reply.text).toBe(201);
      expectOktaSchema(reply.body, "OAuth2Claim");
      return reply.body;
    };
    await add({ name: "tenant", value: "'acme'" });
    await add({ name: "client_upper", value: "String.toUpperCase(app.clientId)" });
    await add({ name: "writer", value: "'yes'", conditions: { scopes: ["write"] } });
    await add({ name: "id_only", value: "'x'", claimType: "IDENTITY" });
    await add({ name: "grp", valueType: "GROUPS", value: "Eng", group_filter_type: "STARTS_WITH" });
    const inactive = await add({ name: "off", value: "'x'", status: "INACTIVE" });
    expect(inactive.status).toBe("INACTIVE");

    const read = decodeJwt((await tokenWithBasic(o, "default", c, { scope: "read" })).body.access_token);
    expect(read.tenant).toBe("acme");
    expect(read.client_upper).toBe(c.clientId.toUpperCase());
    expect(read.writer).toBeUndefined();
    expect(read.id_only).toBeUndefined();
    expect(read.grp).toBeUndefined();
    expect(read.off).toBeUndefined();
    const write = decodeJwt((await tokenWithBasic(o, "default", c, { scope: "write" })).body.access_token);
    expect(write.writer).toBe("yes");
  });
});

describe("keys, discovery, introspection, revocation", () => {
  it("publishes the JWKS with Cache-Control, and both metadata documents with published scopes", async () => {
    const keys = await call("GET", "/oauth2/default/v1/keys", { orgUrl: org.orgUrl, auth: null });
    expect(keys.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(keys.body.keys.length).toBeGreaterThanOrEqual(2);
    expectOktaSchema(keys.body, "oauth:OAuthKeys");
    for (const doc of ["oauth-authorization-server", "openid-configuration"]) {
      const reply = await call("GET", `/oauth2/default/.well-known/${doc}`, { orgUrl: org.orgUrl, auth: null });
      expect(reply.status).toBe(200);
      expectOktaSchema(reply.body, doc === "openid-configuration" ? "oauth:OidcMetadata" : "oauth:OAuthMetadata");
      expect(reply.body.issuer).toBe(`${org.orgUrl}/oauth2/default`);
      expect(reply.body.token_endpoint).toBe(`${org.orgUrl}/oauth2/default/v1/token`);
      expect(reply.body.jwks_uri).toBe(`${org.orgUrl}/oauth2/default/v1/keys`);
      expect(reply.body.scopes_supported).toContain("orders:read");
      expect(reply.body.scopes_supported).toContain("openid");
      expect(reply.body.scopes_supported).not.toContain("orders:write");
    }
    const badClient = await call("GET", "/oauth2/default/.well-known/openid-configuration?client_id=nope", { orgUrl: org.orgUrl, auth: null });
    expect(badClient.status).toBe(400);
    expect(badClient.body.errorCode).toBe("invalid_client");
    const ok = await call("GET", `/oauth2/default/.well-known/openid-configuration?client_id=${conf.clientId}`, { orgUrl: org.orgUrl, auth: null });
    expect(ok.status).toBe(200);
  });

  it("answers 404 E0000007 for an unknown server, and for an INACTIVE one", async () => {
    for (const path of ["/oauth2/ausNOPE/v1/keys", "/oauth2/ausNOPE/.well-known/openid-configuration"]) {
      const reply = await call("GET", path, { orgUrl: org.orgUrl, auth: null });
      expect(reply.status).toBe(404);
      expect(reply.body.errorCode).toBe("E0000007");
    }
    const unknownToken = await postForm(org, "/oauth2/ausNOPE/v1/token", { grant_type: "client_credentials" }, { Authorization: basic(conf) });
    expect(unknownToken.status).toBe(404);
    const o = await createOrg();
    const c = await secretClient(o);
    await addScope(o, "default", { name: "x" });
    expect((await tokenWithBasic(o, "default", c, { scope: "x" })).status).toBe(200);
    await call("POST", `${AS}/default/lifecycle/deactivate`, { orgUrl: o.orgUrl, auth: o.ssws });
    const refused = await tokenWithBasic(o, "default", c, { scope: "x" });
    expect(refused.status).toBe(404);
    expect(refused.body.errorSummary).toBe("Not found: Resource not found: default (AuthorizationServer)");
    expect((await call("GET", "/oauth2/default/v1/keys", { orgUrl: o.orgUrl, auth: null })).status).toBe(404);
    await call("POST", `${AS}/default/lifecycle/activate`, { orgUrl: o.orgUrl, auth: o.ssws });
    expect((await tokenWithBasic(o, "default", c, { scope: "x" })).status).toBe(200);
  });

  it("introspects its own tokens, lists them per client, and revokes via /v1/revoke and the management API", async () => {
    const intro = (token: string, client = conf) =>
      postForm(org, "/oauth2/default/v1/introspect", { token, token_type_hint: "access_token" }, { Authorization: basic(client) });
    const t1 = (await tokenWithBasic(org, "default", conf, { scope: "orders:read" })).body.access_token;
    const t2 = (await tokenWithBasic(org, "default", conf, { scope: "orders:write" })).body.access_token;
    const t3 = (await tokenWithBasic(org, "default", conf, { scope: "orders:read" })).body.access_token;
    const live = await intro(t1);
    expect(live.status).toBe(200);
    expectOktaSchema(live.body, "IntrospectionResponse");
    expect(live.body).toMatchObject({ active: true, token_type: "Bearer", scope: "orders:read", client_id: conf.clientId, aud: "api://default", iss: `${org.orgUrl}/oauth2/default` });
    // A token of the org server or of another server is not this server's.
    const other = await secretClient(org);
    expect((await intro(t1, other)).body).toEqual({ active: false });
    const missing = await postForm(org, "/oauth2/default/v1/introspect", {}, { Authorization: basic(conf) });
    expect(missing.body.error).toBe("invalid_request");

    const clients = await call("GET", `${AS}/default/clients`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(clients.status).toBe(200);
    const mine = clients.body.find((x: any) => x.client_id === conf.clientId);
    expect(mine).toMatchObject({ client_name: expect.any(String), client_uri: null, logo_uri: null });
    expect(mine._links.tokens.href).toBe(`${org.orgUrl}${AS}/default/clients/${conf.clientId}/tokens`);
    const list = await call("GET", `${AS}/default/clients/${conf.clientId}/tokens?expand=scope`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(list.status).toBe(200);
    const jtis = [t1, t2, t3].map((t) => decodeJwt(t).jti);
    for (const jti of jtis) expect(list.body.map((x: any) => x.id)).toContain(jti);
    const first = list.body.find((x: any) => x.id === jtis[0]);
    expect(first).toMatchObject({ status: "ACTIVE", clientId: conf.clientId, scopes: ["orders:read"], issuer: `${org.orgUrl}/oauth2/default` });
    expect(first._embedded.scopes[0].name).toBe("orders:read");

    // /v1/revoke: 200 empty, then inactive and no longer listed.
    const revoke = await postForm(org, "/oauth2/default/v1/revoke", { token: t1 }, { Authorization: basic(conf) });
    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe("");
    expect((await intro(t1)).body).toEqual({ active: false });
    expect((await intro(t2)).body.active).toBe(true);

    // Management: revoke one, then all.
    const one = await call("DELETE", `${AS}/default/clients/${conf.clientId}/tokens/${jtis[1]}`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(one.status).toBe(204);
    expect((await intro(t2)).body).toEqual({ active: false });
    expect((await intro(t3)).body.active).toBe(true);
    const all = await call("DELETE", `${AS}/default/clients/${conf.clientId}/tokens`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(all.status).toBe(204);
    expect((await intro(t3)).body).toEqual({ active: false });
    const after = await call("GET", `${AS}/default/clients/${conf.clientId}/tokens`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(after.body).toEqual([]);
    const gone = await call("GET", `${AS}/default/clients/${conf.clientId}/tokens/${jtis[2]}`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(gone.status).toBe(404);
    expect(gone.body.errorSummary).toBe(`Not found: Resource not found: ${jtis[2]} (OAuth2Token)`);
  });

  it("keeps tokens signed by the previous key verifiable after a rotation; new tokens use the new key", async () => {
    const o = await createOrg();
    const c = await secretClient(o);
    await addScope(o, "default", { name: "x" });
    const before = (await tokenWithBasic(o, "default", c, { scope: "x" })).body.access_token;
    const oldKid = decodeProtectedHeader(before).kid;
    const rotate = await call("POST", `${AS}/default/credentials/lifecycle/keyRotate`, { orgUrl: o.orgUrl, auth: o.ssws, body: { use: "sig" } });
    expect(rotate.status).toBe(200);
    const after = (await tokenWithBasic(o, "default", c, { scope: "x" })).body.access_token;
    const newKid = decodeProtectedHeader(after).kid;
    expect(newKid).not.toBe(oldKid);
    expect(rotate.body.find((k: any) => k.status === "ACTIVE").kid).toBe(newKid);
    const jwks = await jwksOf(o, "default");
    for (const token of [before, after]) {
      await expect(jwtVerify(token, jwks, { issuer: `${o.orgUrl}/oauth2/default`, audience: "api://default" })).resolves.toBeDefined();
    }
    const intro = await postForm(o, "/oauth2/default/v1/introspect", { token: before }, { Authorization: basic(c) });
    expect(intro.body.active).toBe(true);
  });

  it("drops a rotated-out key from the JWKS once its publication window is over: its tokens are then refused", async () => {
    const o = await createOrg();
    const c = await secretClient(o);
    await addScope(o, "default", { name: "x" });
    const old = (await tokenWithBasic(o, "default", c, { scope: "x" })).body.access_token;
    const oldKid = decodeProtectedHeader(old).kid!;
    const rotate = () => call("POST", `${AS}/default/credentials/lifecycle/keyRotate`, { orgUrl: o.orgUrl, auth: o.ssws, body: { use: "sig" } });
    await rotate();
    // The window (longest token lifetime + margin) is a day; the test moves its end into the past (a test about the table).
    await env.DB.prepare("update oauth_signing_keys set published_until = ? where kid = ?").bind("2000-01-01T00:00:00.000Z", oldKid).run();
    const second = await rotate();
    expect(second.body.map((k: any) => k.kid)).not.toContain(oldKid);
    const keys = await call("GET", "/oauth2/default/v1/keys", { orgUrl: o.orgUrl, auth: null });
    expect(keys.body.keys.map((k: any) => k.kid)).not.toContain(oldKid);
    await expect(jwtVerify(old, createLocalJWKSet(keys.body), { issuer: `${o.orgUrl}/oauth2/default`, audience: "api://default" })).rejects.toThrow();
  });

  it("does not introspect another server's tokens as its own", async () => {
    const o = await createOrg();
    const c = await secretClient(o);
    await addScope(o, "default", { name: "x" });
    const server = await newServer(o, "api://other");
    await addScope(o, server, { name: "x" });
    const policy = await addPolicy(o, server, ["ALL_CLIENTS"]);
    await addRule(o, server, policy, ["*"]);
    const fromDefault = (await tokenWithBasic(o, "default", c, { scope: "x" })).body.access_token;
    const fromOther = (await tokenWithBasic(o, server, c, { scope: "x" })).body.access_token;
    const at = (path: string, token: string) => postForm(o, `/oauth2/${path}/v1/introspect`, { token }, { Authorization: basic(c) });
    expect((await at(server, fromDefault)).body).toEqual({ active: false });
    expect((await at("default", fromOther)).body).toEqual({ active: false });
    expect((await at(server, fromOther)).body.active).toBe(true);
    // Revoking at the wrong server does nothing.
    await postForm(o, `/oauth2/default/v1/revoke`, { token: fromOther }, { Authorization: basic(c) });
    expect((await at(server, fromOther)).body.active).toBe(true);
  });

  it("keeps custom-server tokens and the org server apart: not a management API credential, not the org server's", async () => {
    const token = (await tokenWithBasic(org, "default", conf, { scope: "orders:read" })).body.access_token;
    const api = await call("GET", `${AS}/default`, { orgUrl: org.orgUrl, auth: `Bearer ${token}` });
    expect(api.status).toBe(401);
    expect(api.body.errorCode).toBe("E0000011");
    const svc = await registerServiceClient(org);
    const orgIntrospect = await postForm(org, "/oauth2/v1/introspect", {
      token,
      client_assertion_type: JWT_BEARER,
      client_assertion: await clientAssertion(svc, { audience: `${org.orgUrl}/oauth2/v1/introspect` }),
    });
    expect(orgIntrospect.body).toEqual({ active: false });
  });
});
