import { describe, expect, it } from "vitest";
import { OPERATOR, call, createOrg, type TestOrg } from "../support/http";
import { fetchWithFailure } from "../support/failing-d1";
import { registerServiceClient } from "../support/oauth";
import { differences, snapshot } from "../support/snapshot";

/**
 * Every multi-row write is one D1 batch (issue 14): with its Nth write
 * statement failing inside D1, for every N, the request answers 500
 * E0000009 and every table of the org is as it was; with no failure it
 * succeeds. Returns how many write statements the request ran.
 */
async function expectAtomic(orgId: string, request: () => Request): Promise<number> {
  for (let failAt = 1; failAt <= 100; failAt++) {
    const before = await snapshot(orgId);
    const { response, injector } = await fetchWithFailure(request(), failAt);
    const text = await response.text();
    if (injector.failed === undefined) {
      expect(response.status, text).toBeLessThan(300);
      return failAt - 1;
    }
    expect(response.status, `write ${failAt} (${injector.failed.slice(0, 80)}): ${text}`).toBe(500);
    expect(JSON.parse(text).errorCode).toBe("E0000009");
    expect(differences(before, await snapshot(orgId)), `write ${failAt} failed: ${injector.failed.slice(0, 120)}`).toEqual([]);
  }
  throw new Error("more than 100 writes");
}

function req(org: TestOrg, method: string, path: string, body?: unknown, auth = org.ssws): () => Request {
  return () =>
    new Request(org.orgUrl + path, {
      method,
      headers: { Authorization: auth, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

async function ok(org: TestOrg, method: string, path: string, body?: unknown): Promise<any> {
  const reply = await call(method, path, { auth: org.ssws, orgUrl: org.orgUrl, body });
  expect(reply.status, `${method} ${path}: ${reply.text}`).toBeLessThan(300);
  return reply.body;
}

let n = 0;
const person = () => {
  n += 1;
  return { firstName: "Atomic", lastName: `User${n}`, login: `atomic.${n}.${Date.now()}@example.com`, email: `atomic.${n}@example.com` };
};

describe("multi-row writes are all or nothing (D1 failure injection)", { timeout: 120_000 }, async () => {
  const org = await createOrg();
  const group = (name: string) => ok(org, "POST", "/api/v1/groups", { profile: { name: `${name} ${Date.now()} ${n++}` } });

  it("user create with groups (user, memberships, groups touched, activation token)", async () => {
    const [a, b] = [await group("a"), await group("b")];
    const writes = await expectAtomic(org.id, req(org, "POST", "/api/v1/users?activate=true", { profile: person(), groupIds: [a.id, b.id] }));
    expect(writes).toBeGreaterThan(1);
    expect((await ok(org, "GET", `/api/v1/groups/${a.id}/users`)).length).toBe(1);
  });

  it("user delete (row, tokens, memberships, ownerships)", async () => {
    const g = await group("del");
    const user = await ok(org, "POST", "/api/v1/users?activate=false", { profile: person(), groupIds: [g.id] });
    await ok(org, "POST", `/api/v1/groups/${g.id}/owners`, { id: user.id, type: "USER" });
    await ok(org, "DELETE", `/api/v1/users/${user.id}`);
    expect(await expectAtomic(org.id, req(org, "DELETE", `/api/v1/users/${user.id}`))).toBeGreaterThan(1);
  });

  it("group delete with members, owners and rule targets", async () => {
    const g = await group("members");
    for (let i = 0; i < 2; i++) {
      const user = await ok(org, "POST", "/api/v1/users?activate=false", { profile: person() });
      await ok(org, "PUT", `/api/v1/groups/${g.id}/users/${user.id}`);
      if (i === 0) await ok(org, "POST", `/api/v1/groups/${g.id}/owners`, { id: user.id, type: "USER" });
    }
    await ok(org, "POST", "/api/v1/groups/rules", {
      type: "group_rule",
      name: `rule ${Date.now()}`,
      conditions: { expression: { value: 'user.lastName=="Nobody"', type: "urn:okta:expression:1.0" } },
      actions: { assignUserToGroups: { groupIds: [g.id] } },
    });
    expect(await expectAtomic(org.id, req(org, "DELETE", `/api/v1/groups/${g.id}`))).toBeGreaterThan(1);
  });

  it("group member add (membership and the group's lastMembershipUpdated)", async () => {
    const g = await group("add");
    const user = await ok(org, "POST", "/api/v1/users?activate=false", { profile: person() });
    expect(await expectAtomic(org.id, req(org, "PUT", `/api/v1/groups/${g.id}/users/${user.id}`))).toBeGreaterThan(1);
  });

  it("group rule activation (rule status and every matching user's membership)", async () => {
    const g = await group("rule");
    const lastName = `Ruled${Date.now()}`;
    for (let i = 0; i < 2; i++) await ok(org, "POST", "/api/v1/users?activate=false", { profile: { ...person(), lastName } });
    const rule = await ok(org, "POST", "/api/v1/groups/rules", {
      type: "group_rule",
      name: `activate ${Date.now()}`,
      conditions: { expression: { value: `user.lastName=="${lastName}"`, type: "urn:okta:expression:1.0" } },
      actions: { assignUserToGroups: { groupIds: [g.id] } },
    });
    expect(await expectAtomic(org.id, req(org, "POST", `/api/v1/groups/rules/${rule.id}/lifecycle/activate`))).toBeGreaterThan(1);
    expect((await ok(org, "GET", `/api/v1/groups/${g.id}/users`)).length).toBe(2);
  });

  it("authorization server key rotation (new key, old keys' status)", async () => {
    // The default server's first key set is made on first use, in a batch of its own (oauth/keys.ts ensureKeys).
    await ok(org, "GET", "/api/v1/authorizationServers/default/credentials/keys");
    expect(await expectAtomic(org.id, req(org, "POST", "/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate", { use: "sig" }))).toBeGreaterThan(1);
  });

  it("authorization server create and delete (server, scopes, policies, rules, claims, keys)", async () => {
    const body = { name: `atomic ${Date.now()}`, description: "atomic", audiences: ["api://atomic"] };
    expect(await expectAtomic(org.id, req(org, "POST", "/api/v1/authorizationServers", body))).toBeGreaterThan(1);
    const server = (await ok(org, "GET", `/api/v1/authorizationServers?q=${encodeURIComponent(body.name)}`))[0];
    await ok(org, "POST", `/api/v1/authorizationServers/${server.id}/policies`, {
      type: "OAUTH_AUTHORIZATION_POLICY", name: "p", description: "p", priority: 1, conditions: { clients: { include: ["ALL_CLIENTS"] } },
    });
    await ok(org, "POST", `/api/v1/authorizationServers/${server.id}/lifecycle/deactivate`);
    expect(await expectAtomic(org.id, req(org, "DELETE", `/api/v1/authorizationServers/${server.id}`))).toBeGreaterThan(1);
  });

  it("policy create at a taken priority (the policy and the others' priorities)", async () => {
    const body = { type: "OAUTH_AUTHORIZATION_POLICY", name: `first ${Date.now()}`, description: "p", priority: 1, conditions: { clients: { include: ["ALL_CLIENTS"] } } };
    expect(await expectAtomic(org.id, req(org, "POST", "/api/v1/authorizationServers/default/policies", body))).toBeGreaterThan(1);
  });

  it("app grant (the grant and, with publicClientAppAdmins on, the service client's SUPER_ADMIN role) and app delete with its grants", async () => {
    const client = await registerServiceClient(org);
    const grant = { scopeId: "okta.users.read", issuer: org.orgUrl };
    expect(await expectAtomic(org.id, req(org, "POST", `/api/v1/apps/${client.clientId}/grants`, grant))).toBe(2);
    await ok(org, "POST", `/api/v1/apps/${client.clientId}/lifecycle/deactivate`);
    expect(await expectAtomic(org.id, req(org, "DELETE", `/api/v1/apps/${client.clientId}`))).toBeGreaterThan(1);
  });

  it("org delete (every row the org owns)", async () => {
    const doomed = await createOrg();
    await ok(doomed, "POST", "/api/v1/users?activate=false", { profile: person() });
    await ok(doomed, "POST", "/api/v1/groups", { profile: { name: "doomed" } });
    const writes = await expectAtomic(doomed.id, () => new Request(`https://edgeorg.test/_edgeorg/orgs/${doomed.slug}`, { method: "DELETE", headers: { Authorization: OPERATOR } }));
    expect(writes).toBeGreaterThan(1);
  });
});
