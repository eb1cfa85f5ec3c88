import { env } from "cloudflare:test";
import { exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { OPERATOR, ORIGIN, call, createOrg } from "../support/http";
import { getAccessToken, newKeyPair, type ServiceClient } from "../support/oauth";

// Nothing listens on port 9 here: every request below is answered at the edge, or the test fails.
const NOWHERE = "http://127.0.0.1:9";
const UPSTREAM_TOKEN = "00upstream-ssws-token-never-shown";

async function proxyOrg(proxy: Record<string, unknown> = { upstreamUrl: NOWHERE, apiToken: UPSTREAM_TOKEN }) {
  const reply = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: { proxy } });
  if (reply.status !== 201) throw new Error(`proxy org creation failed: ${reply.status} ${reply.text}`);
  return { ...reply.body, ssws: `SSWS ${reply.body.apiToken}` };
}

describe("POST /_edgeorg/orgs with proxy", () => {
  it("answers the usual org object with mode proxy and the upstream, never its credential", async () => {
    const reply = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: { slug: "acme-proxy", proxy: { upstreamUrl: `${NOWHERE}/`, apiToken: UPSTREAM_TOKEN } } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      slug: "acme-proxy",
      orgUrl: `${ORIGIN}/orgs/acme-proxy`,
      mode: "proxy",
      proxy: { upstreamUrl: NOWHERE, credential: "apiToken", timeoutMs: 30000 },
    });
    expect(reply.body.apiToken).toMatch(/^00[0-9A-Za-z]{40}$/);
    expect(reply.text).not.toContain(UPSTREAM_TOKEN);
    const listed = await call("GET", "/_edgeorg/orgs", { auth: OPERATOR });
    expect(listed.body.find((o: any) => o.slug === "acme-proxy")).toMatchObject({ mode: "proxy" });
    expect(listed.text).not.toContain(UPSTREAM_TOKEN);
    const patched = await call("PATCH", "/_edgeorg/orgs/acme-proxy", { auth: OPERATOR, body: {} });
    expect(patched.body).toMatchObject({ mode: "proxy", proxy: { upstreamUrl: NOWHERE } });
  });

  it("mock orgs say mode mock", async () => {
    const reply = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: {} });
    expect(reply.body.mode).toBe("mock");
    expect(reply.body.proxy).toBeUndefined();
  });

  it("PUT makes a proxy org when the slug is new", async () => {
    const reply = await call("PUT", "/_edgeorg/orgs/put-proxy", { auth: OPERATOR, body: { proxy: { upstreamUrl: "https://acme.okta.com", apiToken: UPSTREAM_TOKEN } } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ mode: "proxy", proxy: { upstreamUrl: "https://acme.okta.com" } });
  });

  it("keeps the credential encrypted at rest, bound to its org", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const orgs = [await proxyOrg(), await proxyOrg({ upstreamUrl: "https://acme.okta.com", clientId: "0oaupstream", privateJwk })];
    for (const org of orgs) {
      const row = await env.DB.prepare("SELECT * FROM proxy_upstreams WHERE org_id = ?").bind(org.id).first<Record<string, string>>();
      expect(row).toBeTruthy();
      expect(row!.credential_encrypted).not.toContain(UPSTREAM_TOKEN);
      expect(row!.credential_encrypted).not.toContain(privateJwk.d!);
      expect(row!.credential_encrypted).not.toContain(String(privateJwk.d).slice(0, 16));
      expect(row!.encryption_key_id).toBeTruthy();
    }
    expect(orgs[1]).toMatchObject({ proxy: { credential: "privateKey", clientId: "0oaupstream" } });
    expect(JSON.stringify(orgs[1])).not.toContain(privateJwk.d!);
    // Deleting the org deletes its upstream with it.
    expect((await call("DELETE", `/_edgeorg/orgs/${orgs[0].slug}`, { auth: OPERATOR })).status).toBe(204);
    expect(await env.DB.prepare("SELECT org_id FROM proxy_upstreams WHERE org_id = ?").bind(orgs[0].id).first()).toBeNull();
  });

  it("refuses bad input with E0000001, one cause per problem, and makes nothing", async () => {
    const { publicKey } = await generateKeyPair("RS256", { extractable: true });
    const cases: [unknown, string][] = [
      ["https://acme.okta.com", "proxy: Must be an object"],
      [{ upstreamUrl: "http://acme.okta.com", apiToken: "x" }, "proxy.upstreamUrl: Must use https://"],
      [{ upstreamUrl: "http://10.0.0.1", apiToken: "x" }, "proxy.upstreamUrl: Must use https://"],
      [{ upstreamUrl: "ftp://127.0.0.1", apiToken: "x" }, "proxy.upstreamUrl: Must use https://"],
      [{ upstreamUrl: "not a url", apiToken: "x" }, "proxy.upstreamUrl: Must be an absolute URL"],
      [{ upstreamUrl: "https://u:p@acme.okta.com", apiToken: "x" }, "proxy.upstreamUrl: Must not carry credentials"],
      [{ upstreamUrl: "https://acme.okta.com?x=1", apiToken: "x" }, "proxy.upstreamUrl: Must not carry credentials"],
      [{ upstreamUrl: "https://acme.okta.com" }, "proxy: Needs a credential"],
      [{ upstreamUrl: "https://acme.okta.com", apiToken: "x", clientId: "c" }, "proxy: Give either apiToken or clientId"],
      [{ upstreamUrl: "https://acme.okta.com", apiToken: "" }, "proxy.apiToken: Must be 1 to 200"],
      [{ upstreamUrl: "https://acme.okta.com", clientId: "c", privateJwk: await exportJWK(publicKey) }, "proxy.privateJwk: Must be an RSA private key"],
      [{ upstreamUrl: "https://acme.okta.com", clientId: "c", privateJwk: { kty: "RSA", d: "x", n: "y", e: "AQAB" } }, "proxy.privateJwk: Must be an RSA private key"],
      [{ upstreamUrl: "https://acme.okta.com", privateJwk: { kty: "RSA" } }, "proxy.clientId: Must be"],
      [{ upstreamUrl: "https://acme.okta.com", apiToken: "x", timeoutMs: 5 }, "proxy.timeoutMs: Must be an integer"],
      [{ upstreamUrl: "https://acme.okta.com", apiToken: "x", mode: "y" }, "proxy.mode: Unknown field"],
    ];
    const before = (await call("GET", "/_edgeorg/orgs", { auth: OPERATOR })).body.length;
    for (const [proxy, cause] of cases) {
      const reply = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: { proxy } });
      expect(reply.status, JSON.stringify(proxy)).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(reply.body.errorCauses.map((c: any) => c.errorSummary).join("|")).toContain(cause);
    }
    expect((await call("GET", "/_edgeorg/orgs", { auth: OPERATOR })).body.length).toBe(before);
  });

  it("accepts http:// on loopback addresses only", async () => {
    for (const upstreamUrl of ["http://127.0.0.1:8080", "http://localhost:8080/orgs/x", "http://[::1]:8080"]) {
      const org = await proxyOrg({ upstreamUrl, apiToken: "x" });
      expect(org.proxy.upstreamUrl).toBe(upstreamUrl);
    }
  });
});

describe("a proxy org refuses at the edge what would fail upstream (the request never leaves)", () => {
  it("no credential: 403 E0000005; an unknown scheme too", async () => {
    const org = await proxyOrg();
    for (const auth of [null, "Basic Zm9vOmJhcg=="]) {
      const reply = await call("GET", "/api/v1/users", { orgUrl: org.orgUrl, auth });
      expect(reply.status).toBe(403);
      expect(reply.body.errorCode).toBe("E0000005");
    }
  });

  it("an empty SSWS token, a malformed Bearer token or one of another issuer: 401 E0000011 with the challenge", async () => {
    const org = await proxyOrg();
    const foreign = await getAccessToken(["okta.users.read"]);
    for (const auth of ["SSWS ", "Bearer not.a.jwt", `Bearer ${foreign.accessToken}`]) {
      const reply = await call("GET", "/api/v1/users", { orgUrl: org.orgUrl, auth });
      expect(reply.status, auth).toBe(401);
      expect(reply.body.errorCode).toBe("E0000011");
    }
    const reply = await call("GET", "/api/v1/users", { orgUrl: org.orgUrl, auth: `Bearer ${foreign.accessToken}` });
    expect(reply.headers.get("www-authenticate")).toContain('error="invalid_token", error_description="The access token provided has an invalid issuer."');
  });

  it("gateway: a token of the proxy org's own server without the route's scope gets 403 and the insufficient_scope challenge", async () => {
    const org = await proxyOrg();
    const key = await newKeyPair();
    const made = await call("POST", `/_edgeorg/orgs/${org.slug}/serviceApps`, { auth: OPERATOR, body: { jwks: { keys: [key.publicJwk] }, scopes: ["okta.users.read"] } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ application_type: "service", token_endpoint_auth_method: "private_key_jwt", scopes: ["okta.users.read"] });
    const client: ServiceClient = { org: { orgUrl: org.orgUrl, ssws: org.ssws }, clientId: made.body.client_id, key, app: { settings: { oauthClient: { dpop_bound_access_tokens: false } } } };
    const token = await getAccessToken(["okta.users.read"], { client });
    const reply = await call("GET", "/api/v1/groups", { orgUrl: org.orgUrl, auth: `Bearer ${token.accessToken}` });
    expect(reply.status).toBe(403);
    expect(reply.text).toBe("");
    expect(reply.headers.get("www-authenticate")).toContain('scope="okta.groups.read", error="insufficient_scope"');
    // Its own credential reaches the edge's forwarding step, and only the unreachable upstream stops it.
    const forwarded = await call("GET", "/api/v1/users", { orgUrl: org.orgUrl, auth: `Bearer ${token.accessToken}` });
    expect(forwarded.status).toBe(502);
    expect(forwarded.body).toMatchObject({ errorCode: "E0000009", errorSummary: "Bad Gateway: the upstream org could not be reached" });
  });

  it("serviceApps refuses scopes that are not okta.* ones", async () => {
    const org = await proxyOrg();
    const key = await newKeyPair();
    const reply = await call("POST", `/_edgeorg/orgs/${org.slug}/serviceApps`, { auth: OPERATOR, body: { jwks: { keys: [key.publicJwk] }, scopes: ["openid"] } });
    expect(reply.status).toBe(400);
    expect(reply.body.errorCode).toBe("E0000001");
  });

  it("a path outside the route table is not forwarded: 404 E0000008", async () => {
    const org = await proxyOrg();
    const reply = await call("GET", "/api/v1/users/00u1/factors", { orgUrl: org.orgUrl, auth: `SSWS ${UPSTREAM_TOKEN}` });
    expect(reply.status).toBe(404);
    expect(reply.body.errorCode).toBe("E0000008");
  });
});

describe("what a proxy org serves itself", () => {
  it("its own org authorization server: discovery and keys, with the proxy org as issuer", async () => {
    const org = await proxyOrg();
    const discovery = await call("GET", "/.well-known/openid-configuration", { orgUrl: org.orgUrl, auth: null });
    expect(discovery.status).toBe(200);
    expect(discovery.body.issuer).toBe(org.orgUrl);
    const keys = await call("GET", "/oauth2/v1/keys", { orgUrl: org.orgUrl, auth: null });
    expect(keys.status).toBe(200);
    expect(keys.body.keys.length).toBeGreaterThan(0);
  });

  it("its client registry, with its own API token", async () => {
    const org = await proxyOrg();
    const reply = await call("GET", "/oauth2/v1/clients", { orgUrl: org.orgUrl, auth: org.ssws });
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.body)).toBe(true);
  });
});

describe("re-encrypting after KEY_ENCRYPTION_SECRET was rotated", () => {
  it("re-encrypts a proxy org's upstream credential too, once", async () => {
    const { app } = await import("../../src/app");
    const { createExecutionContext } = await import("cloudflare:test");
    const org = await proxyOrg();
    const before = await env.DB.prepare("SELECT credential_encrypted, encryption_key_id FROM proxy_upstreams WHERE org_id = ?").bind(org.id).first<Record<string, string>>();
    const rotated = { ...env, KEY_ENCRYPTION_SECRET: "the-new-secret", KEY_ENCRYPTION_SECRET_PREVIOUS: env.KEY_ENCRYPTION_SECRET };
    const reencrypt = () => app.fetch(new Request(`${ORIGIN}/_edgeorg/keys/reencrypt`, { method: "POST", headers: { Authorization: OPERATOR } }), rotated, createExecutionContext());
    expect((await reencrypt()).status).toBe(200);
    const after = await env.DB.prepare("SELECT credential_encrypted, encryption_key_id FROM proxy_upstreams WHERE org_id = ?").bind(org.id).first<Record<string, string>>();
    expect(after!.encryption_key_id).not.toBe(before!.encryption_key_id);
    expect(after!.credential_encrypted).not.toBe(before!.credential_encrypted);
    const { decryptSecret } = await import("../../src/oauth/crypto/key-encryption");
    expect(await decryptSecret(rotated, `${org.id}/proxy/upstream`, after!.credential_encrypted!, after!.encryption_key_id!)).toEqual({ apiToken: UPSTREAM_TOKEN });
    expect(await (await reencrypt()).json()).toEqual({ reencrypted: 0 });
  });
});
