import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, type Reply, type TestOrg } from "../support/http";
import { getAccessToken, requestToken, type Token } from "../support/oauth";

/**
 * What one warm request costs in storage round trips, per route family,
 * read from the operator-only counters (DEBUG_STORAGE_COUNTS, set for the
 * test workers in vitest.config.ts). Warm: the same call was made once
 * before, so the isolate caches (org, API token, key material, revocation
 * list) hold what cannot change under a request.
 */
interface Cost {
  d1: number;
  writes: number;
  kv: number;
}

function costOf(reply: Reply): Cost {
  const read = (name: string) => {
    const value = reply.headers.get(name);
    if (value === null) throw new Error(`${name} missing: is DEBUG_STORAGE_COUNTS set?`);
    return Number(value);
  };
  return { d1: read("x-edgeorg-d1-statements"), writes: read("x-edgeorg-d1-writes"), kv: read("x-edgeorg-kv-reads") };
}

/** The second of two identical calls (the first warms the isolate's caches). */
async function warm(method: string, path: string, auth: string | null, orgUrl: string): Promise<{ reply: Reply; cost: Cost }> {
  const first = await call(method, path, { auth, orgUrl });
  expect(first.status, `${method} ${path}: ${first.text}`).toBe(200);
  const reply = await call(method, path, { auth, orgUrl });
  expect(reply.status).toBe(200);
  return { reply, cost: costOf(reply) };
}

let org: TestOrg;
let ids: { user: string; group: string; app: string };
let bearer: Token;

beforeAll(async () => {
  org = await createOrg();
  const as = { auth: org.ssws, orgUrl: org.orgUrl };
  const made = async (path: string, body: unknown) => {
    const reply = await call("POST", path, { ...as, body });
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${reply.text}`);
    return reply.body.id as string;
  };
  for (let i = 0; i < 3; i++) {
    await made("/api/v1/users?activate=false", { profile: { firstName: "B", lastName: `Budget${i}`, email: `budget${i}@example.com`, login: `budget${i}@example.com` } });
    await made("/api/v1/groups", { profile: { name: `budget-${i}` } });
  }
  ids = {
    user: (await call("GET", "/api/v1/users?limit=1", as)).body[0].id,
    group: (await call("GET", "/api/v1/groups?limit=1", as)).body[0].id,
    app: "",
  };
  bearer = await getAccessToken(["okta.users.read", "okta.groups.read", "okta.apps.read"], { org });
  ids.app = bearer.client.app.id;
});

describe("storage round trips per warm request", () => {
  // The admin-role step reads the actor's role assignments once, then keeps them per isolate
  // (access/roles/holdings-cache.ts): warm, it costs no statement.
  it("a read by id costs one D1 statement, and writes nothing (SSWS and Bearer)", async () => {
    for (const path of [`/api/v1/users/${ids.user}`, `/api/v1/groups/${ids.group}`, `/api/v1/apps/${ids.app}`]) {
      for (const auth of [org.ssws, `Bearer ${bearer.accessToken}`]) {
        const { cost } = await warm("GET", path, auth, org.orgUrl);
        expect(cost, `${path} with ${auth.split(" ")[0]}`).toEqual({ d1: 1, writes: 0, kv: 0 });
      }
    }
  });

  it("a list costs one D1 statement, Link included, and writes nothing", async () => {
    for (const path of ["/api/v1/users?limit=2", "/api/v1/users?limit=20", "/api/v1/groups?limit=2", "/api/v1/apps?limit=2"]) {
      const { reply, cost } = await warm("GET", path, org.ssws, org.orgUrl);
      expect(reply.headers.get("link"), path).toContain('rel="self"');
      expect(cost, path).toEqual({ d1: 1, writes: 0, kv: 0 });
    }
  });

  it("a search costs one D1 statement", async () => {
    const search = encodeURIComponent('profile.lastName eq "Budget1"');
    const { reply, cost } = await warm("GET", `/api/v1/users?search=${search}`, org.ssws, org.orgUrl);
    expect(reply.body).toHaveLength(1);
    expect(cost).toEqual({ d1: 1, writes: 0, kv: 0 });
  });

  it("storage-free routes cost nothing: health and discovery", async () => {
    for (const path of ["/_edgeorg/health", "/.well-known/openid-configuration"]) {
      const { cost } = await warm("GET", path, null, org.orgUrl);
      expect(cost, path).toEqual({ d1: 0, writes: 0, kv: 0 });
    }
  });

  it("the published JWKS reads its key rows once (no isolate cache: a rotation elsewhere shows at once)", async () => {
    const { cost } = await warm("GET", "/oauth2/v1/keys", null, org.orgUrl);
    expect(cost).toEqual({ d1: 1, writes: 0, kv: 0 });
  });

  it("the token endpoint reads no row for a warm client (kept with its grants per isolate); an assertion's jti costs its one write", async () => {
    const asked = { scopes: ["okta.users.read"] };
    expect((await requestToken(bearer.client, asked)).status).toBe(200);
    const withoutJti = await requestToken(bearer.client, { ...asked, claims: { jti: undefined } });
    expect(withoutJti.status, withoutJti.text).toBe(200);
    expect(costOf(withoutJti)).toEqual({ d1: 0, writes: 0, kv: 0 });
    const withJti = await requestToken(bearer.client, asked);
    expect(withJti.status, withJti.text).toBe(200);
    // The jti insert is a replay guard across isolates; an org's expired jtis are swept on ~2 % of inserts (one more statement).
    expect([1, 2]).toContain(costOf(withJti).d1);
    expect(costOf(withJti).writes).toBe(costOf(withJti).d1);
  });

  it("a cold token request reads the client and its grants in one statement", async () => {
    // A management write voids the isolate's cached clients of the org.
    expect((await call("POST", `/api/v1/groups`, { auth: org.ssws, orgUrl: org.orgUrl, body: { profile: { name: "budget-cold" } } })).status).toBe(200);
    const cold = await requestToken(bearer.client, { scopes: ["okta.users.read"], claims: { jti: undefined } });
    expect(cold.status, cold.text).toBe(200);
    expect(costOf(cold)).toEqual({ d1: 1, writes: 0, kv: 0 });
  });

  it("a write through the management API voids the cached roles (one more statement), a user's creation does not", async () => {
    const read = () => call("GET", `/api/v1/users/${ids.user}`, { auth: org.ssws, orgUrl: org.orgUrl });
    await read();
    const made = await call("POST", "/api/v1/users?activate=false", {
      auth: org.ssws,
      orgUrl: org.orgUrl,
      body: { profile: { firstName: "B", lastName: "Budget8", email: "budget8@example.com", login: "budget8@example.com" } },
    });
    expect(made.status).toBe(200);
    expect(costOf(await read()).d1).toBe(1);
    expect((await call("POST", `/api/v1/users/${made.body.id}`, { auth: org.ssws, orgUrl: org.orgUrl, body: { profile: { nickName: "b" } } })).status).toBe(200);
    expect(costOf(await read()).d1).toBe(2);
    expect(costOf(await read()).d1).toBe(1);
  });

  it("a warm user creation is one D1 batch: no login pre-check (the UNIQUE index decides), the ACTIVE group rules kept per isolate", async () => {
    const create = (n: number) =>
      call("POST", "/api/v1/users?activate=false", {
        auth: org.ssws,
        orgUrl: org.orgUrl,
        body: { profile: { firstName: "B", lastName: `Budget${n}`, email: `budget${n}@example.com`, login: `budget${n}@example.com` } },
      });
    expect((await create(9)).status).toBe(200); // warms the org's rules (a write before voided them)
    const reply = await create(10);
    expect(reply.status, reply.text).toBe(200);
    // The user, its Everyone membership, Everyone's lastMembershipUpdated.
    expect(costOf(reply)).toEqual({ d1: 3, writes: 3, kv: 0 });
    expect(reply.headers.get("x-edgeorg-d1-batches")).toBe("1");
  });

  it("with an ACTIVE group rule that matches, the rule's membership joins that one batch", async () => {
    const as = { auth: org.ssws, orgUrl: org.orgUrl };
    const group = await call("POST", "/api/v1/groups", { ...as, body: { profile: { name: "budget-ruled" } } });
    const rule = await call("POST", "/api/v1/groups/rules", {
      ...as,
      body: {
        type: "group_rule",
        name: "budget rule",
        conditions: { expression: { type: "urn:okta:expression:1.0", value: 'user.lastName == "Ruled"' } },
        actions: { assignUserToGroups: { groupIds: [group.body.id] } },
      },
    });
    expect(rule.status, rule.text).toBe(200);
    expect((await call("POST", `/api/v1/groups/rules/${rule.body.id}/lifecycle/activate`, as)).status).toBe(204);
    const create = (n: number) =>
      call("POST", "/api/v1/users?activate=false", {
        ...as,
        body: { profile: { firstName: "B", lastName: "Ruled", email: `ruled${n}@example.com`, login: `ruled${n}@example.com` } },
      });
    expect((await create(1)).status).toBe(200); // the activation voided the cached rules: this create reads them again
    const reply = await create(2);
    expect(reply.status, reply.text).toBe(200);
    // + the rule's membership and the target group's lastMembershipUpdated.
    expect(costOf(reply)).toEqual({ d1: 5, writes: 5, kv: 0 });
    expect(reply.headers.get("x-edgeorg-d1-batches")).toBe("1");
    const members = await call("GET", `/api/v1/groups/${group.body.id}/users`, as);
    expect(members.body.map((u: { id: string }) => u.id)).toContain(reply.body.id);
  });
});
