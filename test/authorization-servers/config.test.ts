import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, links, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";

const AS = "/api/v1/authorizationServers";
let org: TestOrg;
let server: string;

const req = (method: string, path: string, body?: unknown) => call(method, path, { orgUrl: org.orgUrl, auth: org.ssws, body });
const causes = (reply: { body: any }) => reply.body.errorCauses.map((c: any) => c.errorSummary);

beforeAll(async () => {
  org = await createOrg();
  const reply = await req("POST", AS, { name: "Config", description: "d", audiences: ["api://config"] });
  server = reply.body.id;
});

const policyBody = (extra: Record<string, unknown> = {}) => ({
  type: "OAUTH_AUTHORIZATION_POLICY",
  name: `p-${crypto.randomUUID().slice(0, 6)}`,
  description: "d",
  conditions: { clients: { include: ["ALL_CLIENTS"] } },
  ...extra,
});

const ruleBody = (extra: Record<string, unknown> = {}) => ({
  type: "RESOURCE_ACCESS",
  name: `r-${crypto.randomUUID().slice(0, 6)}`,
  conditions: { grantTypes: { include: ["client_credentials"] }, scopes: { include: ["*"] } },
  ...extra,
});

describe("policies", () => {
  it("creates (201), keeps priorities contiguous on insert, move and delete, and toggles status (204)", async () => {
    const s = (await req("POST", AS, { name: "Prio", description: "d", audiences: ["api://prio"] })).body.id;
    const a = await req("POST", `${AS}/${s}/policies`, policyBody({ name: "A" }));
    expect(a.status).toBe(201);
    expectOktaSchema(a.body, "AuthorizationServerPolicy");
    expect(a.body).toMatchObject({ priority: 1, status: "ACTIVE", system: false, type: "OAUTH_AUTHORIZATION_POLICY" });
    expect(a.body._links.rules.href).toBe(`${org.orgUrl}${AS}/${s}/policies/${a.body.id}/rules`);
    const b = await req("POST", `${AS}/${s}/policies`, policyBody({ name: "B" }));
    const c = await req("POST", `${AS}/${s}/policies`, policyBody({ name: "C", priority: 1 }));
    const d = await req("POST", `${AS}/${s}/policies`, policyBody({ name: "D", priority: 99 }));
    expect(d.body.priority).toBe(4);
    const order = async () => (await req("GET", `${AS}/${s}/policies`)).body.map((p: any) => `${p.name}${p.priority}`);
    expect(await order()).toEqual(["C1", "A2", "B3", "D4"]);

    const moved = await req("PUT", `${AS}/${s}/policies/${d.body.id}`, policyBody({ name: "D", priority: 2 }));
    expect(moved.status).toBe(200);
    expect(await order()).toEqual(["C1", "D2", "A3", "B4"]);
    expect((await req("DELETE", `${AS}/${s}/policies/${c.body.id}`)).status).toBe(204);
    expect(await order()).toEqual(["D1", "A2", "B3"]);

    expect((await req("POST", `${AS}/${s}/policies/${a.body.id}/lifecycle/deactivate`)).status).toBe(204);
    const inactive = await req("GET", `${AS}/${s}/policies/${a.body.id}`);
    expect(inactive.body.status).toBe("INACTIVE");
    expect(inactive.body._links.activate).toBeDefined();
    expect((await req("POST", `${AS}/${s}/policies/${a.body.id}/lifecycle/activate`)).status).toBe(204);
    expect((await req("GET", `${AS}/${s}/policies/${a.body.id}`)).body.status).toBe("ACTIVE");
    void b;
  });

  it("validates name, description, clients (ALL_CLIENTS or existing client ids)", async () => {
    const missing = await req("POST", `${AS}/${server}/policies`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errorCode).toBe("E0000001");
    expect(causes(missing).map((c: string) => c.split(":")[0])).toEqual(expect.arrayContaining(["name", "description", "conditions"]));
    const unknownClient = await req("POST", `${AS}/${server}/policies`, policyBody({ conditions: { clients: { include: ["0oaNOPE"] } } }));
    expect(unknownClient.status).toBe(400);
    expect(causes(unknownClient)[0]).toMatch(/^conditions\.clients\.include: /);
    const longName = await req("POST", `${AS}/${server}/policies`, policyBody({ name: "x".repeat(101) }));
    expect(longName.status).toBe(400);
    const wrongType = await req("POST", `${AS}/${server}/policies`, policyBody({ type: "OKTA_SIGN_ON" }));
    expect(wrongType.status).toBe(400);
  });
});

describe("rules", () => {
  let policy: string;
  beforeAll(async () => {
    policy = (await req("POST", `${AS}/${server}/policies`, policyBody())).body.id;
  });

  it("creates with defaults (lifetimes 60/0/10080), orders by priority, replaces and deletes", async () => {
    const r1 = await req("POST", `${AS}/${server}/policies/${policy}/rules`, ruleBody({ name: "one" }));
    expect(r1.status).toBe(201);
    expectOktaSchema(r1.body, "AuthorizationServerPolicyRule");
    expect(r1.body).toMatchObject({
      type: "RESOURCE_ACCESS",
      priority: 1,
      status: "ACTIVE",
      system: false,
      conditions: {
        people: { users: { include: [], exclude: [] }, groups: { include: [], exclude: [] } },
        grantTypes: { include: ["client_credentials"] },
        scopes: { include: ["*"] },
      },
      actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
    });
    const r2 = await req("POST", `${AS}/${server}/policies/${policy}/rules`, ruleBody({ name: "two", priority: 1 }));
    expect(r2.body.priority).toBe(1);
    expect((await req("GET", `${AS}/${server}/policies/${policy}/rules/${r1.body.id}`)).body.priority).toBe(2);
    const put = await req("PUT", `${AS}/${server}/policies/${policy}/rules/${r1.body.id}`, ruleBody({ name: "one!", priority: 1, actions: { token: { accessTokenLifetimeMinutes: 5 } } }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: "one!", priority: 1, actions: { token: { accessTokenLifetimeMinutes: 5 } } });
    const list = await req("GET", `${AS}/${server}/policies/${policy}/rules`);
    expect(list.body.map((r: any) => [r.name, r.priority])).toEqual([["one!", 1], ["two", 2]]);
    expect((await req("POST", `${AS}/${server}/policies/${policy}/rules/${r2.body.id}/lifecycle/deactivate`)).status).toBe(204);
    expect((await req("GET", `${AS}/${server}/policies/${policy}/rules/${r2.body.id}`)).body.status).toBe("INACTIVE");
    expect((await req("DELETE", `${AS}/${server}/policies/${policy}/rules/${r1.body.id}`)).status).toBe(204);
    expect((await req("GET", `${AS}/${server}/policies/${policy}/rules`)).body.map((r: any) => [r.name, r.priority])).toEqual([["two", 1]]);
  });

  it("requires a person when the grant types include authorization_code, implicit or password (exact message)", async () => {
    const reply = await req(
      "POST",
      `${AS}/${server}/policies/${policy}/rules`,
      ruleBody({ conditions: { grantTypes: { include: ["client_credentials", "authorization_code"] }, scopes: { include: ["*"] } } }),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.errorCode).toBe("E0000001");
    expect(reply.body.errorSummary).toBe("Api validation failed: conditions.people");
    expect(causes(reply)).toEqual([
      "conditions.people: At least one of ''conditions.people.users.include'' or ''conditions.people.groups.include'' must contain a valid user or group when ''conditions.grantTypes'' contains one or more of [authorization_code, implicit, password].",
    ]);
    const ok = await req(
      "POST",
      `${AS}/${server}/policies/${policy}/rules`,
      ruleBody({ conditions: { people: { groups: { include: ["EVERYONE"] } }, grantTypes: { include: ["password"] }, scopes: { include: ["*"] } } }),
    );
    expect(ok.status).toBe(201);
  });

  it("refuses unknown grant types, undefined scopes and lifetimes out of bounds", async () => {
    const post = (body: unknown) => req("POST", `${AS}/${server}/policies/${policy}/rules`, body);
    const grant = await post(ruleBody({ conditions: { grantTypes: { include: ["magic"] }, scopes: { include: ["*"] } } }));
    expect(grant.status).toBe(400);
    expect(causes(grant)[0]).toMatch(/^conditions\.grantTypes\.include: /);
    const scope = await post(ruleBody({ conditions: { grantTypes: { include: ["client_credentials"] }, scopes: { include: ["undefined-scope"] } } }));
    expect(scope.status).toBe(400);
    expect(causes(scope)[0]).toMatch(/^conditions\.scopes\.include: /);
    for (const token of [
      { accessTokenLifetimeMinutes: 4 },
      { accessTokenLifetimeMinutes: 1441 },
      { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 30 },
      { refreshTokenWindowMinutes: 9 },
      { refreshTokenWindowMinutes: 2_628_001 },
    ]) {
      const reply = await post(ruleBody({ actions: { token } }));
      expect(reply.status, JSON.stringify(token)).toBe(400);
      expect(causes(reply)[0]).toMatch(/^actions\.token\./);
    }
    for (const token of [{ accessTokenLifetimeMinutes: 5 }, { accessTokenLifetimeMinutes: 1440 }, { refreshTokenLifetimeMinutes: 120, refreshTokenWindowMinutes: 60 }]) {
      expect((await post(ruleBody({ actions: { token } }))).status, JSON.stringify(token)).toBe(201);
    }
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(causes(missing).map((c: string) => c.split(":")[0])).toEqual(expect.arrayContaining(["type", "name", "conditions"]));
  });

  it("deleting a policy deletes its rules", async () => {
    const p = (await req("POST", `${AS}/${server}/policies`, policyBody())).body.id;
    const r = (await req("POST", `${AS}/${server}/policies/${p}/rules`, ruleBody())).body.id;
    expect((await req("DELETE", `${AS}/${server}/policies/${p}`)).status).toBe(204);
    expect((await req("GET", `${AS}/${server}/policies/${p}/rules/${r}`)).status).toBe(404);
  });
});

describe("scopes", () => {
  it("creates with Okta's defaults, replaces, deletes, and refuses duplicates", async () => {
    const created = await req("POST", `${AS}/${server}/scopes`, { name: "car:drive", description: "Drive car" });
    expect(created.status).toBe(201);
    expectOktaSchema(created.body, "OAuth2Scope");
    expect(created.body).toMatchObject({ name: "car:drive", consent: "IMPLICIT", default: false, optional: false, metadataPublish: "NO_CLIENTS", system: false });
    expect(created.body.id).toMatch(/^scp/);
    const dup = await req("POST", `${AS}/${server}/scopes`, { name: "car:drive" });
    expect(dup.status).toBe(400);
    const put = await req("PUT", `${AS}/${server}/scopes/${created.body.id}`, { name: "car:park", consent: "REQUIRED", default: true, metadataPublish: "ALL_CLIENTS" });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: "car:park", consent: "REQUIRED", default: true, metadataPublish: "ALL_CLIENTS" });
    expect((await req("DELETE", `${AS}/${server}/scopes/${created.body.id}`)).status).toBe(204);
    expect((await req("GET", `${AS}/${server}/scopes/${created.body.id}`)).status).toBe(404);
  });

  it("applies the name rules: no okta.* / okta: / okta / *, no spaces, quotes or backslashes, not both < and >", async () => {
    for (const name of ["okta.users.read", "okta:x", "okta", "OKTA.x", "*", "has space", 'q"uote', "back\\slash", "a<b>", "", "tab\there", "é"]) {
      const reply = await req("POST", `${AS}/${server}/scopes`, { name });
      expect(reply.status, name).toBe(400);
      expect(causes(reply)[0], name).toMatch(/^name: /);
    }
    for (const name of ["oktaish", "a<b", "b>c", "api://things.read", "x.okta.y"]) {
      expect((await req("POST", `${AS}/${server}/scopes`, { name })).status, name).toBe(201);
    }
  });

  it("keeps system scopes: renaming and deleting refused, other settings editable", async () => {
    const scopes = (await req("GET", `${AS}/${server}/scopes`)).body;
    const email = scopes.find((s: any) => s.name === "email");
    expect((await req("PUT", `${AS}/${server}/scopes/${email.id}`, { name: "mail" })).status).toBe(400);
    expect((await req("DELETE", `${AS}/${server}/scopes/${email.id}`)).status).toBe(400);
    const edit = await req("PUT", `${AS}/${server}/scopes/${email.id}`, { name: "email", description: "Mail", metadataPublish: "ALL_CLIENTS" });
    expect(edit.status).toBe(200);
    expect(edit.body.system).toBe(true);
  });

  it("lists with q and pages with limit/after", async () => {
    const s = (await req("POST", AS, { name: "Paging", description: "d", audiences: ["api://paging"] })).body.id;
    for (const name of ["zz:one", "zz:two", "zz:three"]) await req("POST", `${AS}/${s}/scopes`, { name });
    const q = await req("GET", `${AS}/${s}/scopes?q=ZZ:`);
    expect(q.body.map((x: any) => x.name)).toEqual(["zz:one", "zz:three", "zz:two"]);
    const first = await req("GET", `${AS}/${s}/scopes?limit=4`);
    expect(first.body).toHaveLength(4);
    const names = first.body.map((x: any) => x.name);
    let next = links(first.headers).next;
    let pages = 1;
    while (next) {
      const page = await call("GET", next, { auth: org.ssws });
      expect(page.body.length).toBeLessThanOrEqual(4);
      names.push(...page.body.map((x: any) => x.name));
      next = links(page.headers).next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(names).toEqual([...names].sort());

    const filtered = await req("GET", `${AS}/${s}/scopes?filter=${encodeURIComponent('name sw "zz:t" and system eq false')}`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.map((x: any) => x.name)).toEqual(["zz:three", "zz:two"]);
    const system = await req("GET", `${AS}/${s}/scopes?filter=${encodeURIComponent("system eq true")}`);
    expect(system.body).toHaveLength(7);
    const bad = await req("GET", `${AS}/${s}/scopes?filter=${encodeURIComponent('description eq "x"')}`);
    expect(bad.status).toBe(400);
    const both = await req("GET", `${AS}/${s}/scopes?q=zz&filter=${encodeURIComponent("system eq true")}`);
    expect(both.status).toBe(400);
    expect(both.body.errorCode).toBe("E0000033");
    expect(new Set(names).size).toBe(10);
  });
});

describe("claims", () => {
  const claim = (extra: Record<string, unknown> = {}) => ({
    name: `c_${crypto.randomUUID().slice(0, 6)}`,
    claimType: "RESOURCE",
    valueType: "EXPRESSION",
    value: "app.clientId",
    ...extra,
  });

  it("creates RESOURCE and IDENTITY, EXPRESSION and GROUPS claims, replaces and deletes them", async () => {
    await req("POST", `${AS}/${server}/scopes`, { name: "claims:scope" });
    const res = await req("POST", `${AS}/${server}/claims`, claim({ conditions: { scopes: ["claims:scope"] }, alwaysIncludeInToken: false }));
    expect(res.status).toBe(201);
    expectOktaSchema(res.body, "OAuth2Claim");
    expect(res.body).toMatchObject({ status: "ACTIVE", system: false, alwaysIncludeInToken: true, conditions: { scopes: ["claims:scope"] } });
    expect(res.body.id).toMatch(/^ocl/);
    const groups = await req("POST", `${AS}/${server}/claims`, claim({ claimType: "IDENTITY", valueType: "GROUPS", value: "^eng", group_filter_type: "REGEX", alwaysIncludeInToken: false }));
    expect(groups.status).toBe(201);
    expect(groups.body).toMatchObject({ group_filter_type: "REGEX", alwaysIncludeInToken: false });
    const put = await req("PUT", `${AS}/${server}/claims/${res.body.id}`, claim({ name: res.body.name, value: "'fixed'", status: "INACTIVE" }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ value: "'fixed'", status: "INACTIVE", conditions: { scopes: [] } });
    const list = await req("GET", `${AS}/${server}/claims`);
    expect(list.body.map((c: any) => c.id)).toEqual(expect.arrayContaining([res.body.id, groups.body.id]));
    expect((await req("DELETE", `${AS}/${server}/claims/${res.body.id}`)).status).toBe(204);
    expect((await req("GET", `${AS}/${server}/claims/${res.body.id}`)).status).toBe(404);
  });

  it("refuses reserved names, duplicates per claim type, GROUPS without a filter, bad regexes and undefined scopes", async () => {
    for (const name of ["sub", "iss", "aud", "exp", "iat", "jti", "cid", "uid", "scp", "ver", "auth_time", "cnf"]) {
      const reply = await req("POST", `${AS}/${server}/claims`, claim({ name }));
      expect(reply.status, name).toBe(400);
      expect(causes(reply)[0]).toBe(`name: '${name}' is a reserved claim name and cannot be used for a custom claim.`);
    }
    const first = await req("POST", `${AS}/${server}/claims`, claim({ name: "dup" }));
    expect(first.status).toBe(201);
    expect((await req("POST", `${AS}/${server}/claims`, claim({ name: "dup" }))).status).toBe(400);
    expect((await req("POST", `${AS}/${server}/claims`, claim({ name: "dup", claimType: "IDENTITY" }))).status).toBe(201);
    const noFilter = await req("POST", `${AS}/${server}/claims`, claim({ valueType: "GROUPS", value: "x" }));
    expect(causes(noFilter)[0]).toMatch(/^group_filter_type: /);
    const badRegex = await req("POST", `${AS}/${server}/claims`, claim({ valueType: "GROUPS", value: "(", group_filter_type: "REGEX" }));
    expect(causes(badRegex)[0]).toMatch(/^value: /);
    const scope = await req("POST", `${AS}/${server}/claims`, claim({ conditions: { scopes: ["nope:nope"] } }));
    expect(causes(scope)[0]).toMatch(/^conditions\.scopes: /);
    const system = await req("POST", `${AS}/${server}/claims`, claim({ valueType: "SYSTEM" }));
    expect(system.status).toBe(400);
  });

  it("accepts the expression subset and refuses the rest with 400 E0000001 when saved", async () => {
    for (const value of [
      "app.clientId",
      "app.profile.tier",
      "'literal'",
      '"double"',
      "String.toUpperCase(app.clientId)",
      "String.substringAfter('a@b.c', '@')",
      "String.join(',', 'a', app.clientId)",
      "'pre-' + app.clientId",
      "String.len(app.clientId)",
      // The user dialect: user and appuser attributes, conditions and group functions (user grants).
      "user.email",
      "appuser.userName",
      "isMemberOfGroupName('Admins')",
      "user.department == 'Eng'",
    ]) {
      expect((await req("POST", `${AS}/${server}/claims`, claim({ value }))).status, value).toBe(201);
    }
    for (const value of ["user.profile.email", "Groups.startsWith('x')", "app.name", "String.nope('x')", "(appuser != null) ? 'a' : 'b'", "'unterminated", "String.toUpperCase('a', 'b')", "app.profile"]) {
      const reply = await req("POST", `${AS}/${server}/claims`, claim({ value }));
      expect(reply.status, value).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(causes(reply)[0], value).toMatch(/^value: /);
    }
  });
});
