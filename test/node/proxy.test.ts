import { Client } from "@okta/okta-sdk-nodejs";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
// @ts-expect-error plain ESM module (no type declarations)
import { requestAccessToken, serviceAppBody } from "../../scripts/lib/oauth-client.mjs";
import { sswsRequest } from "./support/org";

/**
 * Proxy orgs against a real upstream: a second edgeorg worker started by the
 * Node suite's global setup plays the real Okta org. Okta's SDK is pointed at
 * the proxy org; what the upstream received is read from its own request log.
 */
const operatorToken = () => inject("operatorToken");
const operator = () => ({ Authorization: `Bearer ${operatorToken()}`, "Content-Type": "application/json", Accept: "application/json" });

interface Org {
  slug: string;
  orgUrl: string;
  apiToken: string;
}

async function makeOrg(worker: string, body: Record<string, unknown>): Promise<Org & Record<string, unknown>> {
  const reply = await fetch(`${worker}/_edgeorg/orgs`, { method: "POST", headers: operator(), body: JSON.stringify({ ttlSeconds: 3600, ...body }) });
  const text = await reply.text();
  if (reply.status !== 201) throw new Error(`org creation failed: ${reply.status} ${text}`);
  return JSON.parse(text);
}

async function removeOrg(worker: string, slug: string) {
  await fetch(`${worker}/_edgeorg/orgs/${slug}`, { method: "DELETE", headers: operator() });
}

async function api(org: Org, method: string, path: string, body?: unknown) {
  const reply = await sswsRequest(org, method, path, body);
  if (reply.status >= 300) throw new Error(`${method} ${path} failed: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** The requests an org received, oldest first ("method path" each). */
async function received(worker: string, slug: string): Promise<{ method: string; path: string; status: number; requestId: string }[]> {
  // The log is written after each answer (waitUntil): give the last write a moment.
  await new Promise((r) => setTimeout(r, 300));
  const reply = await fetch(`${worker}/_edgeorg/orgs/${slug}/requests?limit=200`, { headers: operator() });
  expect(reply.status).toBe(200);
  return ((await reply.json()) as { method: string; path: string; status: number; requestId: string }[]).reverse();
}

/** A service app of `org` with a fresh key and the scopes granted: what a client (or the proxy) signs in with. */
async function serviceApp(org: Org, scopes: string[]) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const app = await api(org, "POST", "/api/v1/apps", serviceAppBody({ label: `proxy test ${kid.slice(0, 6)}`, publicJwk, kid }));
  for (const scopeId of scopes) await api(org, "POST", `/api/v1/apps/${app.id}/grants`, { scopeId, issuer: org.orgUrl });
  return { clientId: app.credentials.oauthClient.client_id as string, privateJwk: { ...(await exportJWK(privateKey)), kid }, publicJwk: { ...publicJwk, kid, use: "sig", alg: "RS256" } };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { status?: number; errorCode?: string; headers?: { get(name: string): string | null } }) => error,
  );

let upstreamWorker: string;
let proxyWorker: string;
let upstream: Org;
let proxy: Org & Record<string, unknown>;
const made: [string, string][] = [];

beforeAll(async () => {
  upstreamWorker = inject("upstreamWorkerUrl");
  proxyWorker = inject("orgUrl");
  upstream = await makeOrg(upstreamWorker, {});
  made.push([upstreamWorker, upstream.slug]);
  for (let i = 0; i < 5; i++) {
    await api(upstream, "POST", "/api/v1/users?activate=false", { profile: { firstName: "U", lastName: `${i}`, email: `u${i}@example.com`, login: `u${i}@example.com` } });
  }
  proxy = await makeOrg(proxyWorker, { proxy: { upstreamUrl: upstream.orgUrl, apiToken: upstream.apiToken } });
  made.push([proxyWorker, proxy.slug]);
});

afterAll(async () => {
  for (const [worker, slug] of made) await removeOrg(worker, slug);
});

describe("a proxy org made through the operator API", () => {
  it("is the usual org object with mode proxy, and never shows the upstream credential", async () => {
    expect(proxy).toMatchObject({ mode: "proxy", orgUrl: `${proxyWorker}/orgs/${proxy.slug}`, proxy: { upstreamUrl: upstream.orgUrl, credential: "apiToken" } });
    expect(JSON.stringify(proxy)).not.toContain(upstream.apiToken);
    const listed = await (await fetch(`${proxyWorker}/_edgeorg/orgs`, { headers: operator() })).text();
    expect(listed).toContain(proxy.slug);
    expect(listed).not.toContain(upstream.apiToken);
  });
});

describe("pass-through mode: SSWS forwarded as is, with @okta/okta-sdk-nodejs", () => {
  it("lists with paging through Link headers rewritten to the proxy org", async () => {
    const client = new Client({ orgUrl: proxy.orgUrl, token: upstream.apiToken });
    const logins: string[] = [];
    for await (const user of await client.userApi.listUsers({ limit: 2 })) logins.push(user!.profile!.login!);
    expect(logins.filter((l) => l.startsWith("u")).sort()).toEqual(["u0@example.com", "u1@example.com", "u2@example.com", "u3@example.com", "u4@example.com"]);
    const page = await fetch(`${proxy.orgUrl}/api/v1/users?limit=2`, { headers: { Authorization: `SSWS ${upstream.apiToken}`, Accept: "application/json" } });
    const link = page.headers.get("link")!;
    expect(link).toContain(`<${proxy.orgUrl}/api/v1/users?limit=2`);
    expect(link).toContain('rel="next"');
    expect(link).not.toContain(upstream.orgUrl);
    const users = (await page.json()) as { _links: { self: { href: string } } }[];
    expect(users[0]!._links.self.href.startsWith(`${proxy.orgUrl}/api/v1/users/`)).toBe(true);
  });

  it("creates, runs the lifecycle and deletes, all reaching the upstream", async () => {
    const client = new Client({ orgUrl: proxy.orgUrl, token: upstream.apiToken });
    const user = await client.userApi.createUser({ activate: false, body: { profile: { firstName: "Grace", lastName: "Hopper", email: "grace@example.com", login: "grace@example.com" } } });
    expect(user.status).toBe("STAGED");
    await client.userApi.activateUser({ userId: user.id!, sendEmail: false });
    await client.userApi.deactivateUser({ userId: user.id! });
    const there = await sswsRequest(upstream, "GET", `/api/v1/users/${user.id}`);
    expect(there.body.status).toBe("DEPROVISIONED");
    await client.userApi.deleteUser({ userId: user.id! });
    expect((await sswsRequest(upstream, "GET", `/api/v1/users/${user.id}`)).status).toBe(404);
  });

  it("passes the upstream's X-Okta-Request-Id and X-Rate-Limit-* through, and its errors as they are", async () => {
    const reply = await fetch(`${proxy.orgUrl}/api/v1/users/00unothere`, { headers: { Authorization: `SSWS ${upstream.apiToken}`, Accept: "application/json" } });
    expect(reply.status).toBe(404);
    expect(((await reply.json()) as { errorCode: string }).errorCode).toBe("E0000007");
    const requestId = reply.headers.get("x-okta-request-id");
    expect(reply.headers.get("x-rate-limit-limit")).toBeTruthy();
    const log = await received(upstreamWorker, upstream.slug);
    expect(log.map((e) => e.requestId)).toContain(requestId);
  });

  it("an SSWS token the upstream does not know is refused by the upstream (401 E0000011)", async () => {
    const reply = await fetch(`${proxy.orgUrl}/api/v1/users`, { headers: { Authorization: "SSWS 00nottherealtoken", Accept: "application/json" } });
    expect(reply.status).toBe(401);
    expect(((await reply.json()) as { errorCode: string }).errorCode).toBe("E0000011");
  });
});

describe("pass-through mode: Bearer tokens of the upstream, verified at the edge", () => {
  let client: Awaited<ReturnType<typeof serviceApp>>;
  let edgeOrg: Org;

  beforeAll(async () => {
    client = await serviceApp(upstream, ["okta.users.read"]);
    // A proxy org of its own, so that its JWKS cache starts empty.
    edgeOrg = await makeOrg(proxyWorker, { proxy: { upstreamUrl: upstream.orgUrl, apiToken: upstream.apiToken } });
    made.push([proxyWorker, edgeOrg.slug]);
  });

  it("forwards a token with the route's scope; the upstream JWKS is fetched once, then cached", async () => {
    const before = (await received(upstreamWorker, upstream.slug)).filter((e) => e.path === "/oauth2/v1/keys").length;
    for (let i = 0; i < 3; i++) {
      const { access_token } = await requestAccessToken(upstream.orgUrl, client, ["okta.users.read"]);
      const reply = await fetch(`${edgeOrg.orgUrl}/api/v1/users?limit=1`, { headers: { Authorization: `Bearer ${access_token}`, Accept: "application/json" } });
      expect(reply.status).toBe(200);
    }
    const after = (await received(upstreamWorker, upstream.slug)).filter((e) => e.path === "/oauth2/v1/keys").length;
    expect(after - before).toBe(1);
  });

  it("refuses a token without the route's scope at the edge (403, insufficient_scope): the upstream never sees it", async () => {
    const { access_token } = await requestAccessToken(upstream.orgUrl, client, ["okta.users.read"]);
    const reply = await fetch(`${edgeOrg.orgUrl}/api/v1/groups?limit=7`, { headers: { Authorization: `Bearer ${access_token}`, Accept: "application/json" } });
    expect(reply.status).toBe(403);
    expect(reply.headers.get("www-authenticate")).toContain('scope="okta.groups.read", error="insufficient_scope"');
    const log = await received(upstreamWorker, upstream.slug);
    expect(log.some((e) => e.path.startsWith("/api/v1/groups"))).toBe(false);
    const edgeLog = await received(proxyWorker, edgeOrg.slug);
    expect(edgeLog.at(-1)).toMatchObject({ method: "GET", status: 403 });
  });

  it("refuses a forged token (another key, same claims) at the edge with 401 E0000011", async () => {
    const other = await serviceApp(upstream, ["okta.users.read"]);
    const { access_token } = await requestAccessToken(upstream.orgUrl, other, ["okta.users.read"]);
    const [header, payload] = access_token.split(".");
    const forged = `${header}.${payload}.${Buffer.from("not the signature").toString("base64url")}`;
    const reply = await fetch(`${edgeOrg.orgUrl}/api/v1/users`, { headers: { Authorization: `Bearer ${forged}`, Accept: "application/json" } });
    expect(reply.status).toBe(401);
    expect(((await reply.json()) as { errorCode: string }).errorCode).toBe("E0000011");
  });
});

describe("gateway mode: @okta/okta-sdk-nodejs in PrivateKey mode against the proxy org", () => {
  let gateway: Org & Record<string, unknown>;
  let upstreamApp: Awaited<ReturnType<typeof serviceApp>>;

  beforeAll(async () => {
    // The proxy's own credential at the upstream: a service app there (OAuth for Okta).
    upstreamApp = await serviceApp(upstream, ["okta.users.read", "okta.users.manage", "okta.groups.read"]);
    gateway = await makeOrg(proxyWorker, { proxy: { upstreamUrl: upstream.orgUrl, clientId: upstreamApp.clientId, privateJwk: upstreamApp.privateJwk } });
    made.push([proxyWorker, gateway.slug]);
  });

  async function gatewayClient(scopes: string[]) {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
    const reply = await fetch(`${proxyWorker}/_edgeorg/orgs/${gateway.slug}/serviceApps`, {
      method: "POST",
      headers: operator(),
      body: JSON.stringify({ client_name: "gateway caller", jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" }] }, scopes }),
    });
    expect(reply.status, await reply.clone().text()).toBe(201);
    const { client_id } = (await reply.json()) as { client_id: string };
    return new Client({ orgUrl: gateway.orgUrl, authorizationMode: "PrivateKey", clientId: client_id, scopes, privateKey: JSON.stringify({ ...(await exportJWK(privateKey)), kid }), keyId: kid });
  }

  it("never shows the private key, and says the credential is a private key", () => {
    expect(gateway).toMatchObject({ mode: "proxy", proxy: { credential: "privateKey", clientId: upstreamApp.clientId } });
    expect(JSON.stringify(gateway)).not.toContain(upstreamApp.privateJwk.d);
  });

  it("the SDK gets its token from the proxy org and lists the upstream's users; the upstream sees the proxy's own client", async () => {
    const client = await gatewayClient(["okta.users.read"]);
    const logins: string[] = [];
    for await (const user of await client.userApi.listUsers({ limit: 2 })) logins.push(user!.profile!.login!);
    expect(logins).toEqual(expect.arrayContaining(["u0@example.com", "u4@example.com"]));
    const log = await fetch(`${upstreamWorker}/_edgeorg/orgs/${upstream.slug}/requests?limit=20`, { headers: operator() });
    const entries = (await log.json()) as { method: string; path: string; actor: { kind: string; id: string } }[];
    expect(entries.find((e) => e.path.startsWith("/api/v1/users"))).toMatchObject({ actor: { kind: "client", id: upstreamApp.clientId } });
  });

  it("creates through the proxy with the manage scope", async () => {
    const client = await gatewayClient(["okta.users.manage"]);
    const user = await client.userApi.createUser({ activate: false, body: { profile: { firstName: "Gate", lastName: "Way", email: "gate@example.com", login: "gate@example.com" } } });
    expect((await sswsRequest(upstream, "GET", `/api/v1/users/${user.id}`)).body.profile.login).toBe("gate@example.com");
  });

  it("refuses a route outside the caller's scopes at the edge, though the proxy's own credential holds it", async () => {
    const client = await gatewayClient(["okta.users.read"]);
    const error = await failure((async () => {
      for await (const group of await client.groupApi.listGroups()) void group;
    })());
    expect(error?.status).toBe(403);
    expect(error?.headers?.get("www-authenticate")).toContain('scope="okta.groups.read", error="insufficient_scope"');
  });

  it("the proxy org's own API token acts in gateway mode too", async () => {
    const reply = await sswsRequest(gateway, "GET", "/api/v1/users?limit=1");
    expect(reply.status).toBe(200);
    expect(reply.body[0]._links.self.href.startsWith(gateway.orgUrl)).toBe(true);
  });
});

describe("an upstream that fails", () => {
  it("unreachable: Okta-shaped 502", async () => {
    const closed = `http://127.0.0.1:9`;
    const org = await makeOrg(proxyWorker, { proxy: { upstreamUrl: closed, apiToken: "00whatever" } });
    made.push([proxyWorker, org.slug]);
    const reply = await fetch(`${org.orgUrl}/api/v1/users`, { headers: { Authorization: "SSWS 00whatever", Accept: "application/json" } });
    expect(reply.status).toBe(502);
    const body = (await reply.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ errorCode: "E0000009", errorCauses: [] });
    expect(JSON.stringify(body)).not.toContain("00whatever");
  });

  it("too slow: Okta-shaped 504 after the org's timeout", async () => {
    const slow = await makeOrg(upstreamWorker, {});
    made.push([upstreamWorker, slow.slug]);
    const rule = await fetch(`${upstreamWorker}/_edgeorg/orgs/${slow.slug}/faults`, {
      method: "POST",
      headers: operator(),
      body: JSON.stringify({ method: "GET", path: "/api/v1/users", fault: "latency", latencyMs: 3000 }),
    });
    expect(rule.status).toBe(201);
    const org = await makeOrg(proxyWorker, { proxy: { upstreamUrl: slow.orgUrl, apiToken: slow.apiToken, timeoutMs: 300 } });
    made.push([proxyWorker, org.slug]);
    const reply = await fetch(`${org.orgUrl}/api/v1/users`, { headers: { Authorization: `SSWS ${slow.apiToken}`, Accept: "application/json" } });
    expect(reply.status).toBe(504);
    expect(await reply.json()).toMatchObject({ errorCode: "E0000009" });
  });
});

describe("the proxy org's request log and faults", () => {
  it("logs forwarded requests without the credential, and injects faults before forwarding", async () => {
    const rule = await fetch(`${proxyWorker}/_edgeorg/orgs/${proxy.slug}/faults`, {
      method: "POST",
      headers: operator(),
      body: JSON.stringify({ method: "GET", path: "/api/v1/apps", fault: "serverError", status: 503, count: 1 }),
    });
    expect(rule.status).toBe(201);
    const reply = await fetch(`${proxy.orgUrl}/api/v1/apps?secret=${upstream.apiToken}`, { headers: { Authorization: `SSWS ${upstream.apiToken}`, Accept: "application/json" } });
    expect(reply.status).toBe(503);
    expect((await received(upstreamWorker, upstream.slug)).some((e) => e.method === "GET" && e.path.startsWith("/api/v1/apps"))).toBe(false);
    const log = await fetch(`${proxyWorker}/_edgeorg/orgs/${proxy.slug}/requests`, { headers: operator() });
    const text = await log.text();
    expect(text).toContain("/api/v1/users");
    expect(text).not.toContain(upstream.apiToken);
  });
});

describe("import into a mock org (scripts/lib/import-org.mjs), through a proxy org", () => {
  let source: Org;
  let into: Org;

  /** What must come across, read through the API: users by login, groups by name with their members' logins. */
  async function snapshot(org: Org) {
    const out: Record<string, { status: string; profile: unknown }> = {};
    // Okta's list leaves DEPROVISIONED users out unless asked for them.
    const usersOf = async (query: string) => {
      let url: string | null = `${org.orgUrl}/api/v1/users?limit=200${query}`;
      while (url) {
        const reply: Response = await fetch(url, { headers: { Authorization: `SSWS ${org.apiToken}`, Accept: "application/json" } });
        for (const user of (await reply.json()) as { status: string; profile: { login: string } }[]) out[user.profile.login] = { status: user.status, profile: user.profile };
        url = /<([^>]+)>; rel="next"/.exec(reply.headers.get("link") ?? "")?.[1] ?? null;
      }
    };
    await usersOf("");
    await usersOf(`&filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`);
    const users = out;
    const groups: Record<string, { profile: unknown; members: string[] }> = {};
    for (const group of (await api(org, "GET", "/api/v1/groups?limit=200")) as { id: string; type: string; profile: { name: string } }[]) {
      const members = ((await api(org, "GET", `/api/v1/groups/${group.id}/users?limit=200`)) as { profile: { login: string } }[]).map((u) => u.profile.login).sort();
      groups[group.profile.name] = { profile: group.profile, members };
    }
    return { users, groups };
  }

  beforeAll(async () => {
    source = await makeOrg(upstreamWorker, {});
    made.push([upstreamWorker, source.slug]);
    const statuses = ["STAGED", "PROVISIONED", "ACTIVE", "SUSPENDED", "DEPROVISIONED"];
    const ids: string[] = [];
    for (const [i, status] of statuses.entries()) {
      const withPassword = status === "ACTIVE" || status === "SUSPENDED";
      const user = await api(source, "POST", `/api/v1/users?activate=${status !== "STAGED" && status !== "DEPROVISIONED"}`, {
        profile: { firstName: `Imp${i}`, lastName: status, email: `imp${i}@example.com`, login: `imp${i}@example.com`, department: `d${i % 2}` },
        ...(withPassword ? { credentials: { password: { value: "Import-me-1!x" } } } : {}),
      });
      if (status === "SUSPENDED") await api(source, "POST", `/api/v1/users/${user.id}/lifecycle/suspend`);
      if (status === "DEPROVISIONED") await api(source, "POST", `/api/v1/users/${user.id}/lifecycle/deactivate`);
      ids.push(user.id);
    }
    const groups = [];
    for (const name of ["Engineering", "Sales", "Empty"]) groups.push(await api(source, "POST", "/api/v1/groups", { profile: { name, description: `${name} team` } }));
    for (const id of ids.slice(0, 3)) await api(source, "PUT", `/api/v1/groups/${groups[0].id}/users/${id}`);
    for (const id of ids.slice(2)) await api(source, "PUT", `/api/v1/groups/${groups[1].id}/users/${id}`);
    await api(source, "POST", "/api/v1/groups/rules", {
      type: "group_rule",
      name: "department d9",
      conditions: { expression: { value: 'user.department=="d9"', type: "urn:okta:expression:1.0" } },
      actions: { assignUserToGroups: { groupIds: [groups[2].id] } },
    });
    await api(source, "POST", "/api/v1/authorizationServers", { name: "Imported API", description: "for import", audiences: ["api://imported"] });
    into = await makeOrg(proxyWorker, {});
    made.push([proxyWorker, into.slug]);
  });

  it("reproduces users, groups and memberships exactly, resuming after an interruption", async () => {
    const proxyOfSource = await makeOrg(proxyWorker, { proxy: { upstreamUrl: source.orgUrl, apiToken: source.apiToken } });
    made.push([proxyWorker, proxyOfSource.slug]);
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    // @ts-expect-error plain ESM module (no type declarations)
    const { importOrg } = await import("../../scripts/lib/import-org.mjs");
    const dir = mkdtempSync(join(tmpdir(), "edgeorg-import-"));
    try {
      const options = {
        from: { orgUrl: proxyOfSource.orgUrl, ssws: source.apiToken },
        into: { orgUrl: into.orgUrl, ssws: into.apiToken },
        statePath: join(dir, "state.json"),
        pageSize: 2,
      };
      const first = await importOrg({ ...options, stopAfterPages: 3 });
      expect(first.done).toBe(false);
      const second = await importOrg(options);
      expect(second.done).toBe(true);
      expect(second.failures).toEqual([]);
          // Five users and the source's built-in admin, an upstream user like any other.
    expect(second.counts).toMatchObject({ users: 6, groups: 3, groupRules: 1, authorizationServers: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [theirs, ours] = [await snapshot(source), await snapshot(into)];
    // The built-in admin of each org is its own (never imported), so the comparison leaves it out.
    const imported = (s: typeof theirs) => Object.fromEntries(Object.entries(s.users).filter(([login]) => login.startsWith("imp")));
    expect(Object.values(imported(theirs)).map((u) => u.status).sort()).toEqual(["ACTIVE", "DEPROVISIONED", "PROVISIONED", "STAGED", "SUSPENDED"]);
    expect(imported(ours)).toEqual(imported(theirs));
    const groups = (s: typeof theirs) =>
      Object.fromEntries(Object.entries(s.groups).map(([name, g]) => [name, { profile: g.profile, members: g.members.filter((l) => l.startsWith("imp")) }]));
    expect(groups(ours)).toEqual(groups(theirs));
    const rules = (await api(into, "GET", "/api/v1/groups/rules")) as { name: string; actions: { assignUserToGroups: { groupIds: string[] } } }[];
    const empty = ((await api(into, "GET", "/api/v1/groups?q=Empty")) as { id: string }[])[0]!;
    expect(rules.map((r) => [r.name, r.actions.assignUserToGroups.groupIds])).toEqual([["department d9", [empty.id]]]);
    const servers = (await api(into, "GET", "/api/v1/authorizationServers")) as { name: string; audiences: string[] }[];
    expect(servers.find((s) => s.name === "Imported API")?.audiences).toEqual(["api://imported"]);
  });
});
