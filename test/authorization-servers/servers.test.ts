import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, createOrg, links, ORIGIN } from "../support/http";
import { getAccessToken } from "../support/oauth";
import { expectOktaSchema } from "../support/okta-schema";

const AS = "/api/v1/authorizationServers";

async function newServer(orgAuth: { orgUrl?: string; auth?: string } = {}, body: Record<string, unknown> = {}) {
  const reply = await call("POST", AS, {
    ...orgAuth,
    body: { name: `as-${crypto.randomUUID().slice(0, 8)}`, description: "Test server", audiences: ["api://test"], ...body },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

describe("the default server", () => {
  it("exists in every org with id default, issuer <org URL>/oauth2/default and audience api://default", async () => {
    const org = await createOrg();
    const reply = await call("GET", `${AS}/default`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "AuthorizationServer");
    expect(reply.body).toMatchObject({
      id: "default",
      name: "default",
      audiences: ["api://default"],
      issuer: `${org.orgUrl}/oauth2/default`,
      issuerMode: "ORG_URL",
      status: "ACTIVE",
      credentials: { signing: { rotationMode: "AUTO", use: "sig" } },
    });
    expect(reply.body.credentials.signing.kid).toMatch(/\S+/);
    expect(reply.body._links.metadata[0].href).toBe(`${org.orgUrl}/oauth2/default/.well-known/oauth-authorization-server`);

    const root = await call("GET", `${AS}/default`);
    expect(root.body.issuer).toBe(`${ORIGIN}/oauth2/default`);
  });

  it("has the system scopes, not deletable, and a Default Policy with one rule that allows client_credentials", async () => {
    const scopes = await call("GET", `${AS}/default/scopes`);
    expect(scopes.status).toBe(200);
    const system = scopes.body.filter((s: any) => s.system).map((s: any) => s.name).sort();
    expect(system).toEqual(["address", "device_sso", "email", "offline_access", "openid", "phone", "profile"]);
    for (const s of scopes.body) expectOktaSchema(s, "OAuth2Scope");
    const openid = scopes.body.find((s: any) => s.name === "openid");
    const del = await call("DELETE", `${AS}/default/scopes/${openid.id}`);
    expect(del.status).toBe(400);
    expect(del.body.errorCode).toBe("E0000001");

    const policies = await call("GET", `${AS}/default/policies`);
    expect(policies.body).toHaveLength(1);
    expectOktaSchema(policies.body[0], "AuthorizationServerPolicy");
    expect(policies.body[0]).toMatchObject({ name: "Default Policy", priority: 1, status: "ACTIVE", conditions: { clients: { include: ["ALL_CLIENTS"] } } });
    const rules = await call("GET", `${AS}/default/policies/${policies.body[0].id}/rules`);
    expect(rules.body).toHaveLength(1);
    expectOktaSchema(rules.body[0], "AuthorizationServerPolicyRule");
    expect(rules.body[0].conditions.grantTypes.include).toContain("client_credentials");
    expect(rules.body[0].conditions.scopes.include).toEqual(["*"]);
  });
});

describe("servers CRUD", () => {
  it("creates (201, ACTIVE, system scopes), reads, replaces, lists with q, and deletes only when INACTIVE", async () => {
    const org = await createOrg();
    const o = { orgUrl: org.orgUrl, auth: org.ssws };
    const created = await newServer(o, { name: "Payments API", audiences: ["https://api.example.com/payments"] });
    expectOktaSchema(created, "AuthorizationServer");
    expect(created.id).toMatch(/^aus[0-9A-Za-z]{17}$/);
    expect(created.status).toBe("ACTIVE");
    expect(created.issuer).toBe(`${org.orgUrl}/oauth2/${created.id}`);
    const scopes = await call("GET", `${AS}/${created.id}/scopes`, o);
    expect(scopes.body.map((s: any) => s.name)).toContain("openid");
    const policies = await call("GET", `${AS}/${created.id}/policies`, o);
    expect(policies.body).toEqual([]);

    const put = await call("PUT", `${AS}/${created.id}`, { ...o, body: { name: "Payments", description: "Changed", audiences: ["api://payments"] } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: "Payments", description: "Changed", audiences: ["api://payments"] });

    const byName = await call("GET", `${AS}?q=paym`, o);
    expect(byName.body.map((s: any) => s.id)).toEqual([created.id]);
    const byAudience = await call("GET", `${AS}?q=api://default`, o);
    expect(byAudience.body.map((s: any) => s.id)).toEqual(["default"]);

    const refused = await call("DELETE", `${AS}/${created.id}`, o);
    expect(refused.status).toBe(400);
    expect(refused.body.errorCode).toBe("E0000001");
    expect((await call("POST", `${AS}/${created.id}/lifecycle/deactivate`, o)).status).toBe(204);
    const inactive = await call("GET", `${AS}/${created.id}`, o);
    expect(inactive.body.status).toBe("INACTIVE");
    expect(inactive.body._links.activate).toBeDefined();
    expect((await call("DELETE", `${AS}/${created.id}`, o)).status).toBe(204);
    const gone = await call("GET", `${AS}/${created.id}`, o);
    expect(gone.status).toBe(404);
    expect(gone.body.errorCode).toBe("E0000007");
    expect(gone.body.errorSummary).toBe(`Not found: Resource not found: ${created.id} (AuthorizationServer)`);
  });

  it("validates name, description and exactly one audience (a URI when it has a colon)", async () => {
    const missing = await call("POST", AS, { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.errorCode).toBe("E0000001");
    const fields = missing.body.errorCauses.map((c: any) => c.errorSummary.split(":")[0]);
    expect(fields).toEqual(expect.arrayContaining(["name", "description", "audiences"]));

    const two = await call("POST", AS, { body: { name: "x2", description: "d", audiences: ["api://a", "api://b"] } });
    expect(two.status).toBe(400);
    expect(two.body.errorCauses[0].errorSummary).toMatch(/^audiences: /);
    const none = await call("POST", AS, { body: { name: "x3", description: "d", audiences: [] } });
    expect(none.status).toBe(400);
    const badUri = await call("POST", AS, { body: { name: "x4", description: "d", audiences: ["http://exa mple.com"] } });
    expect(badUri.status).toBe(400);
    const plain = await call("POST", AS, { body: { name: `plain-${crypto.randomUUID()}`, description: "d", audiences: ["my-api"] } });
    expect(plain.status).toBe(201);
    const dup = await call("POST", AS, { body: { name: plain.body.name, description: "d", audiences: ["my-api"] } });
    expect(dup.status).toBe(400);
    expect(dup.body.errorCauses[0].errorSummary).toBe("name: An object with this field already exists in the current organization");
  });

  it("pages with limit and after, following Link next", async () => {
    const org = await createOrg();
    const o = { orgUrl: org.orgUrl, auth: org.ssws };
    for (let i = 0; i < 3; i++) await newServer(o);
    const first = await call("GET", `${AS}?limit=2`, o);
    expect(first.body).toHaveLength(2);
    const l = links(first.headers);
    expect(l.self).toBe(`${org.orgUrl}${AS}?limit=2`);
    expect(l.next).toBeDefined();
    const second = await call("GET", l.next!, { auth: org.ssws });
    expect(second.body).toHaveLength(2);
    expect(links(second.headers).next).toBeUndefined();
    const ids = [...first.body, ...second.body].map((s: any) => s.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toBe("default");
  });

  it("answers 404 E0000007 for unknown servers, policies, rules, scopes, claims, keys and tokens", async () => {
    const cases: [string, string][] = [
      [`${AS}/ausNOPE`, "AuthorizationServer"],
      [`${AS}/ausNOPE/policies`, "AuthorizationServer"],
      [`${AS}/default/policies/00pNOPE`, "AuthorizationServerPolicy"],
      [`${AS}/default/scopes/scpNOPE`, "OAuth2Scope"],
      [`${AS}/default/claims/oclNOPE`, "OAuth2Claim"],
      [`${AS}/default/credentials/keys/NOPE`, "AuthorizationServerJsonWebKey"],
      [`${AS}/default/clients/0oaNOPE/tokens/AT.NOPE`, "PublicClientApp"],
      [`${AS}/default/clients/0oaNOPE/tokens`, "PublicClientApp"],
    ];
    for (const [path, type] of cases) {
      const reply = await call("GET", path);
      expect(reply.status, path).toBe(404);
      expect(reply.body.errorCode).toBe("E0000007");
      expect(reply.body.errorSummary).toMatch(new RegExp(`\\(${type}\\)$`));
    }
    const policies = await call("GET", `${AS}/default/policies`);
    const rule = await call("GET", `${AS}/default/policies/${policies.body[0].id}/rules/0prNOPE`);
    expect(rule.status).toBe(404);
    expect(rule.body.errorSummary).toMatch(/\(AuthorizationServerPolicyRule\)$/);
  });
});

describe("keys", () => {
  it("lists ACTIVE and NEXT keys, rotates with {use: sig}, and refuses another use with Okta's error", async () => {
    const org = await createOrg();
    const o = { orgUrl: org.orgUrl, auth: org.ssws };
    const before = await call("GET", `${AS}/default/credentials/keys`, o);
    expect(before.status).toBe(200);
    for (const k of before.body) expectOktaSchema(k, "AuthorizationServerJsonWebKey");
    expect(before.body.map((k: any) => k.status)).toEqual(["ACTIVE", "NEXT"]);
    const [active, next] = before.body;
    expect(active).toMatchObject({ alg: "RS256", kty: "RSA", use: "sig", e: "AQAB" });

    const bad = await call("POST", `${AS}/default/credentials/lifecycle/keyRotate`, { ...o, body: { use: "enc" } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      errorCode: "E0000001",
      errorSummary: "Api validation failed: rotateKeys",
      errorCauses: [{ errorSummary: "Invalid value specified for key 'use' parameter" }],
    });
    const empty = await call("POST", `${AS}/default/credentials/lifecycle/keyRotate`, o);
    expect(empty.status).toBe(400);

    const rotated = await call("POST", `${AS}/default/credentials/lifecycle/keyRotate`, { ...o, body: { use: "sig" } });
    expect(rotated.status).toBe(200);
    const byStatus = Object.fromEntries(rotated.body.map((k: any) => [k.status, k.kid]));
    expect(byStatus.ACTIVE).toBe(next.kid);
    expect(byStatus.EXPIRED).toBe(active.kid);
    expect(byStatus.NEXT).toBeDefined();
    const server = await call("GET", `${AS}/default`, o);
    expect(server.body.credentials.signing.kid).toBe(next.kid);
    const one = await call("GET", `${AS}/default/credentials/keys/${active.kid}`, o);
    expect(one.body.status).toBe("EXPIRED");
  });
});

describe("access and deletion", () => {
  it("lets an access token with okta.authorizationServers.read read but not write; .manage writes", async () => {
    const read = await getAccessToken(["okta.authorizationServers.read"]);
    const get = await call("GET", `${AS}/default`, { auth: `Bearer ${read.accessToken}` });
    expect(get.status).toBe(200);
    const post = await call("POST", AS, { auth: `Bearer ${read.accessToken}`, body: { name: "nope", description: "d", audiences: ["api://nope"] } });
    expect(post.status).toBe(403);
    expect(post.headers.get("www-authenticate")).toContain('scope="okta.authorizationServers.manage"');
    const manage = await getAccessToken(["okta.authorizationServers.manage"]);
    const created = await call("POST", AS, {
      auth: `Bearer ${manage.accessToken}`,
      body: { name: `by-token-${crypto.randomUUID().slice(0, 6)}`, description: "d", audiences: ["api://token"] },
    });
    expect(created.status).toBe(201);
    expect((await call("GET", `${AS}/default/policies`, { auth: `Bearer ${manage.accessToken}` })).status).toBe(200);
  });

  it("deletes a server with everything it owns, its signing keys included", async () => {
    const org = await createOrg();
    const o = { orgUrl: org.orgUrl, auth: org.ssws };
    const created = await newServer(o);
    await call("POST", `${AS}/${created.id}/scopes`, { ...o, body: { name: "s" } });
    const policy = await call("POST", `${AS}/${created.id}/policies`, { ...o, body: { name: "p", description: "d", conditions: { clients: { include: ["ALL_CLIENTS"] } } } });
    await call("POST", `${AS}/${created.id}/policies/${policy.body.id}/rules`, {
      ...o,
      body: { type: "RESOURCE_ACCESS", name: "r", conditions: { grantTypes: { include: ["client_credentials"] }, scopes: { include: ["*"] } } },
    });
    const keys = () => env.DB.prepare("select count(*) as n from oauth_signing_keys where key_set = ?").bind(created.id).first<{ n: number }>();
    expect((await keys())!.n).toBe(2);
    await call("POST", `${AS}/${created.id}/lifecycle/deactivate`, o);
    expect((await call("DELETE", `${AS}/${created.id}`, o)).status).toBe(204);
    expect((await keys())!.n).toBe(0);
    for (const table of ["authorization_server_policies", "authorization_server_rules", "authorization_server_scopes"]) {
      const left = await env.DB.prepare(`select count(*) as n from ${table} where auth_server_id = ?`).bind(created.id).first<{ n: number }>();
      expect(left!.n, table).toBe(0);
    }
    // The default server can be deleted too, once INACTIVE.
    await call("POST", `${AS}/default/lifecycle/deactivate`, o);
    expect((await call("DELETE", `${AS}/default`, o)).status).toBe(204);
    expect((await call("GET", `${AS}/default`, o)).status).toBe(404);
    expect((await call("GET", "/oauth2/default/v1/keys", { orgUrl: org.orgUrl, auth: null })).status).toBe(404);
  });
});
