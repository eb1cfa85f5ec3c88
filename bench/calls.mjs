// The calls a user's integration suite makes most (issue 15), measured against
// the do-nothing Worker served the way `npm start` serves the org (the ceiling),
// beside the same do-nothing Worker under `wrangler dev`, and — with
// `--peer <url> --peer-token <SSWS token>` — against another Okta-compatible
// server. Each side gets 200 users made through its own API first; both sides
// run the same requests. run.mjs prints the comparison as one table.
//
// The machine is shared, and its load moves within a minute: a call and the
// figure it is compared with (the ceiling, or the org's no-op route) are
// measured in alternating slices, so that both see the same load.
import { randomUUID } from "node:crypto";
import { startDoNothingWorker } from "../scripts/lib/worker.mjs";
import { createBenchOrg, deleteBenchOrg } from "./lib/orgs.mjs";
import { arrange as arrangeTokenClient } from "./oauth.mjs";

const USERS = 200;

function userBody(tag, i) {
  const login = `calls-${tag}-${String(i).padStart(4, "0")}@example.com`;
  return { profile: { firstName: "Calls", lastName: `Calls${tag}${String(i).padStart(4, "0")}`, email: login, login } };
}

const SEED_CONCURRENCY = 10;

/** 200 users through POST /api/v1/users?activate=false (10 at a time); returns one of them. */
async function seedUsers(orgUrl, headers, tag) {
  let sample;
  for (let i = 0; i < USERS; i += SEED_CONCURRENCY) {
    const made = await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async (_, k) => {
        const response = await fetch(`${orgUrl}/api/v1/users?activate=false`, { method: "POST", headers, body: JSON.stringify(userBody(tag, i + k)) });
        if (response.status !== 200) throw new Error(`seeding users at ${orgUrl} failed: ${response.status} ${await response.text()}`);
        return response.json();
      }),
    );
    if (i === 100) sample = made[0];
  }
  return sample;
}

/** The calls, as [name, connections, autocannon options, target as a share of the ceiling]. */
function cases(orgUrl, headers, sample, tag) {
  let next = 0;
  const create = {
    url: `${orgUrl}/api/v1/users?activate=false`,
    method: "POST",
    headers,
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(userBody(`${tag}x${randomUUID().slice(0, 6)}`, next++)) }) }],
  };
  const search = encodeURIComponent(`profile.lastName eq "${sample.profile.lastName}"`);
  const user = `${orgUrl}/api/v1/users/${sample.id}`;
  const discovery = `${orgUrl}/.well-known/openid-configuration`;
  return [
    ["GET /api/v1/users/{id} SSWS", 1, { url: user, headers }, 0.7],
    ["GET /api/v1/users/{id} SSWS", 10, { url: user, headers }, 0.7],
    ["GET /api/v1/users?limit=20", 10, { url: `${orgUrl}/api/v1/users?limit=20`, headers }, 0.5],
    ["GET /api/v1/users?search=…", 10, { url: `${orgUrl}/api/v1/users?search=${search}`, headers }, 0.5],
    ["POST /api/v1/users", 10, create, 0.5],
    ["GET /.well-known/openid-configuration", 1, { url: discovery }, 0.9],
    ["GET /.well-known/openid-configuration", 10, { url: discovery }, 0.9],
  ];
}

/** Several autocannon runs of one call as one result (requests summed over the time they took). */
function merged(results) {
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const seconds = results.reduce((n, r) => n + r.duration, 0);
  const codes = {};
  for (const r of results) for (const [code, { count }] of Object.entries(r.statusCodeStats ?? {})) codes[code] = { count: (codes[code]?.count ?? 0) + count };
  return {
    requests: { average: total / seconds, total },
    latency: { p50: Math.max(...results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)) },
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
    statusCodeStats: codes,
  };
}

const SLICES = 2;
const warmed = new Set();

/**
 * `options` and `base` (autocannon options, same connections) in alternating
 * slices after a warm-up of each; records the call's row and returns both
 * figures, or undefined when --only leaves the case out.
 */
async function paired(autocannon, report, name, options, base) {
  if (!report.selected(name)) return undefined;
  console.log(`  calls › ${name}`);
  const seconds = Math.max(1, Math.floor(report.durationSeconds / SLICES));
  if (report.warmupSeconds > 0) {
    // A base already measured in this run is warm.
    if (!warmed.has(base.url + base.connections)) await autocannon({ ...base, duration: report.warmupSeconds });
    warmed.add(base.url + base.connections);
    await autocannon({ ...options, duration: report.warmupSeconds });
  }
  const ours = [];
  const theirs = [];
  for (let i = 0; i < SLICES; i++) {
    theirs.push(await autocannon({ ...base, duration: seconds }));
    ours.push(await autocannon({ ...options, duration: seconds }));
  }
  return { ours: report.record(name, merged(ours)), base: { reqPerSec: merged(theirs).requests.average } };
}

const ssws = (token) => ({ authorization: `SSWS ${token}`, "content-type": "application/json", accept: "application/json" });
const label = (name, connections) => `${name}, ${connections} conn`;

export async function bench({ orgUrl: baseUrl, operatorToken, autocannon, report, peer }) {
  const ceilingWorker = await startDoNothingWorker({ runtime: "lean" });
  const ceilingOf = (connections) => ({ url: ceilingWorker.url, connections });
  const ours = {};
  try {
    await report.run(label("do-nothing Worker, as npm start serves it (the ceiling)", 10), ceilingOf(10));
    warmed.add(ceilingWorker.url + 10);
    const wranglerCase = label("do-nothing Worker, wrangler dev", 10);
    if (report.selected(wranglerCase)) {
      const wranglerWorker = await startDoNothingWorker({ runtime: "wrangler" });
      try {
        // Here the base is the lean ceiling: the ratio printed is lean / wrangler dev.
        const pair = await paired(autocannon, report, wranglerCase, { url: wranglerWorker.url, connections: 10 }, ceilingOf(10));
        if (pair) report.compare("do-nothing Worker: npm start / wrangler dev, 10 conn", { ours: pair.base, base: pair.ours, target: 2, of: "wrangler dev" });
      } finally {
        await wranglerWorker.stop();
      }
    }
    const healthCase = label("GET /_edgeorg/health (no auth, no storage)", 10);
    const healthOptions = { url: `${baseUrl}/_edgeorg/health`, connections: 10 };
    const health = await paired(autocannon, report, healthCase, healthOptions, ceilingOf(10));
    if (health) report.compare(healthCase, { ...health, target: 0.9 });

    const org = await createBenchOrg(baseUrl, operatorToken, { slug: `bench-calls-${randomUUID().slice(0, 8)}`, ttlSeconds: 3600 });
    try {
      const headers = ssws(org.apiToken);
      const sample = await seedUsers(org.orgUrl, headers, "e");
      for (const [name, connections, options, target] of cases(org.orgUrl, headers, sample, "e")) {
        const key = label(name, connections);
        const pair = await paired(autocannon, report, key, { ...options, connections }, ceilingOf(connections));
        if (!pair) continue;
        ours[key] = pair.ours;
        report.compare(key, { ...pair, target });
      }
      // Target: ≥ 500 tokens/s, or ≥ 0.5× the org's own no-op route in the same run.
      const token = await arrangeTokenClient(baseUrl, operatorToken);
      const tokenCase = label("POST /oauth2/v1/token (private_key_jwt, RS256)", 10);
      const tokenOptions = {
        url: `${token.org.orgUrl}/oauth2/v1/token`,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: token.tokenForm,
        connections: 10,
      };
      const tokens = await paired(autocannon, report, tokenCase, tokenOptions, healthOptions);
      if (tokens) report.compare(tokenCase, { ...tokens, target: 0.5, of: "health", orAtLeast: 500 });
      await deleteBenchOrg(baseUrl, operatorToken, token.org.slug);
    } finally {
      await deleteBenchOrg(baseUrl, operatorToken, org.slug);
    }
  } finally {
    await ceilingWorker.stop();
  }

  if (!peer) return;
  const headers = ssws(peer.token);
  const sample = await seedUsers(peer.url, headers, "p");
  for (const [name, connections, options] of cases(peer.url, headers, sample, "p")) {
    const key = label(name, connections);
    const theirs = await report.run(`peer: ${key}`, { ...options, connections });
    if (theirs && ours[key]) report.compare(key, { ours: ours[key], base: theirs, target: 0.1, of: "peer" });
  }
}
