// Groups at scale (issue 5): a group with 10k members — its first page and a
// deep page (keyset: a deep page should cost about what the first does),
// /users/{id}/groups for a user in 200 groups, and activating a group rule
// over 10k users (wall clock of the one request that does it).
// Arranged in a fresh org through the public API; users are made 10k times
// over POST /api/v1/users, which dominates the module's run time (~1–2 min).
import { createBenchOrg, deleteBenchOrg } from "./lib/orgs.mjs";

const USERS = Number(process.env.BENCH_GROUP_USERS ?? 10_000);
const GROUPS_OF_ONE_USER = 200;
const CONCURRENCY = 24;

async function pool(count, worker) {
  let next = 0;
  const runners = Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await worker(next++);
  });
  await Promise.all(runners);
}

function nextLink(headers) {
  const part = (headers.get("link") ?? "").split(/,(?=\s*<)/).find((l) => /rel="next"/.test(l));
  return part ? /<([^>]+)>/.exec(part)[1] : undefined;
}

const CASES = ["GET /groups/{10k}/users", "GET /users/{id}/groups", "activate rule"];

export async function bench({ orgUrl, operatorToken, report }) {
  // The arrangement takes minutes: skip it when --only selects none of these cases.
  if (!CASES.some((name) => report.selected(name))) return;
  const org = await createBenchOrg(orgUrl, operatorToken, { ttlSeconds: 3600 });
  const headers = { authorization: `SSWS ${org.apiToken}`, accept: "application/json", "content-type": "application/json" };
  const api = async (method, path, body) => {
    const response = await fetch(path.startsWith("http") ? path : org.orgUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return { body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };

  let started = performance.now();
  const userIds = [];
  await pool(USERS, async (i) => {
    const login = `bench-${String(i).padStart(5, "0")}@example.com`;
    const { body } = await api("POST", "/api/v1/users?activate=false", {
      profile: { firstName: "Bench", lastName: `User${i}`, email: login, login, department: i % 2 ? "Odd" : "Even" },
    });
    userIds[i] = body.id;
  });
  console.log(`  groups › arranged ${USERS} users in ${Math.round(performance.now() - started)} ms`);

  // The 10k-member group is filled by a rule: its activation is itself a measured figure.
  const big = (await api("POST", "/api/v1/groups", { profile: { name: "Ten thousand" } })).body;
  const everyone = (
    await api("POST", "/api/v1/groups/rules", {
      type: "group_rule",
      name: "Every bench user",
      conditions: { expression: { type: "urn:okta:expression:1.0", value: 'user.firstName == "Bench"' } },
      actions: { assignUserToGroups: { groupIds: [big.id] } },
    })
  ).body;
  started = performance.now();
  await api("POST", `/api/v1/groups/rules/${everyone.id}/lifecycle/activate`);
  const activateAll = performance.now() - started;

  const half = (await api("POST", "/api/v1/groups", { profile: { name: "Even half" } })).body;
  const evenRule = (
    await api("POST", "/api/v1/groups/rules", {
      type: "group_rule",
      name: "Even bench users",
      conditions: { expression: { type: "urn:okta:expression:1.0", value: 'user.department == "Even" && String.startsWith(user.login, "bench-")' } },
      actions: { assignUserToGroups: { groupIds: [half.id] } },
    })
  ).body;
  started = performance.now();
  await api("POST", `/api/v1/groups/rules/${evenRule.id}/lifecycle/activate`);
  const activateHalf = performance.now() - started;

  const stats = (await api("GET", `/api/v1/groups?q=Ten%20thousand&expand=stats`)).body[0]._embedded.stats;
  if (stats.usersCount < USERS) throw new Error(`expected ${USERS} members, got ${stats.usersCount}`);

  // Deep pages: follow the Link headers to the last page of each page size.
  const deepest = async (first) => {
    let url = first;
    for (;;) {
      const { headers: h } = await api("GET", url);
      const next = nextLink(h);
      if (!next) return url;
      url = next;
    }
  };
  const first1000 = `${org.orgUrl}/api/v1/groups/${big.id}/users`;
  const deep1000 = await deepest(first1000);
  const first200 = `${org.orgUrl}/api/v1/groups/${big.id}/users?limit=200`;
  const deep200 = await deepest(first200);

  // One user in 200 groups (plus Everyone and the two rule groups).
  const member = userIds[0];
  const groupIds = [];
  await pool(GROUPS_OF_ONE_USER, async (i) => {
    groupIds[i] = (await api("POST", "/api/v1/groups", { profile: { name: `Bench group ${String(i).padStart(3, "0")}` } })).body.id;
  });
  await pool(GROUPS_OF_ONE_USER, async (i) => {
    await api("PUT", `/api/v1/groups/${groupIds[i]}/users/${member}`);
  });
  const ofUser = (await api("GET", `/api/v1/users/${member}/groups`)).body;
  if (ofUser.length < GROUPS_OF_ONE_USER) throw new Error(`expected ≥ ${GROUPS_OF_ONE_USER} groups, got ${ofUser.length}`);

  const sswsOnly = { authorization: headers.authorization, accept: "application/json" };
  const p1000 = await report.run("GET /groups/{10k}/users first page (limit 1000)", { url: first1000, headers: sswsOnly });
  const d1000 = await report.run("GET /groups/{10k}/users last page (limit 1000, after=…)", { url: deep1000, headers: sswsOnly });
  const p200 = await report.run("GET /groups/{10k}/users first page (limit 200)", { url: first200, headers: sswsOnly });
  const d200 = await report.run("GET /groups/{10k}/users last page (limit 200, after=…)", { url: deep200, headers: sswsOnly });
  const ug = await report.run(`GET /users/{id}/groups (user in ${ofUser.length} groups)`, {
    url: `${org.orgUrl}/api/v1/users/${member}/groups`,
    headers: sswsOnly,
  });
  await report.run("GET /groups/{10k}?expand=stats (count over 10k memberships)", {
    url: `${org.orgUrl}/api/v1/groups/${big.id}?expand=stats`,
    headers: sswsOnly,
  });
  if (p1000 && d1000) report.ratio("members deep page / first page, limit 1000 (latency p50)", d1000.p50 / p1000.p50);
  if (p200 && d200) report.ratio("members deep page / first page, limit 200 (latency p50)", d200.p50 / p200.p50);
  if (ug) report.ratio(`/users/{id}/groups over ${ofUser.length} groups: p50 ms`, ug.p50);
  if (report.selected("activate rule")) {
    report.ratio(`activate rule over ${USERS} users, all match (ms, one request)`, Math.round(activateAll));
    report.ratio(`activate rule over ${USERS} users, half match (ms, one request)`, Math.round(activateHalf));
  }

  await deleteBenchOrg(orgUrl, operatorToken, org.slug);
}
