// The calls a user's integration suite makes most (issue 15), measured against
// the do-nothing Worker served the same way (the ceiling) and, with
// `--peer <url> --peer-token <SSWS token>`, against another Okta-compatible
// server, with the ratios printed under the table. Each side gets 200 users
// made through its own API first; both sides run the same requests.
import { randomUUID } from "node:crypto";
import { startDoNothingWorker } from "../scripts/lib/worker.mjs";
import { createBenchOrg, deleteBenchOrg } from "./lib/orgs.mjs";
import { arrange as arrangeTokenClient } from "./oauth.mjs";

const USERS = 200;

function userBody(tag, i) {
  const login = `calls-${tag}-${String(i).padStart(4, "0")}@example.com`;
  return { profile: { firstName: "Calls", lastName: `Calls${tag}${String(i).padStart(4, "0")}`, email: login, login } };
}

/** 200 users through POST /api/v1/users?activate=false (4 at a time); returns one of them. */
async function seedUsers(orgUrl, headers, tag) {
  let sample;
  for (let i = 0; i < USERS; i += 4) {
    const made = await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        const response = await fetch(`${orgUrl}/api/v1/users?activate=false`, { method: "POST", headers, body: JSON.stringify(userBody(tag, i + k)) });
        if (response.status !== 200) throw new Error(`seeding users at ${orgUrl} failed: ${response.status} ${await response.text()}`);
        return response.json();
      }),
    );
    if (i === 100) sample = made[0];
  }
  return sample;
}

/** The cases of the table, as [name, connections, autocannon options]. */
function cases(orgUrl, headers, sample, tag) {
  let next = 0;
  const create = {
    url: `${orgUrl}/api/v1/users?activate=false`,
    method: "POST",
    headers,
    requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(userBody(`${tag}x${randomUUID().slice(0, 6)}`, next++)) }) }],
  };
  const search = encodeURIComponent(`profile.lastName eq "${sample.profile.lastName}"`);
  return [
    ["GET /api/v1/users/{id} SSWS, 1 connection", 1, { url: `${orgUrl}/api/v1/users/${sample.id}`, headers }],
    ["GET /api/v1/users/{id} SSWS", 10, { url: `${orgUrl}/api/v1/users/${sample.id}`, headers }],
    ["GET /api/v1/users?limit=20", 10, { url: `${orgUrl}/api/v1/users?limit=20`, headers }],
    ["GET /api/v1/users?search=…", 10, { url: `${orgUrl}/api/v1/users?search=${search}`, headers }],
    ["POST /api/v1/users", 10, create],
    ["GET /.well-known/openid-configuration, 1 connection", 1, { url: `${orgUrl}/.well-known/openid-configuration` }],
    ["GET /.well-known/openid-configuration", 10, { url: `${orgUrl}/.well-known/openid-configuration` }],
  ];
}

const ssws = (token) => ({ authorization: `SSWS ${token}`, "content-type": "application/json", accept: "application/json" });

export async function bench({ orgUrl: baseUrl, operatorToken, report, peer }) {
  const ceilingWorker = await startDoNothingWorker();
  const ceiling = {};
  try {
    ceiling[1] = await report.run("do-nothing Worker, same runtime, 1 connection (the ceiling)", { url: ceilingWorker.url, connections: 1 });
    ceiling[10] = await report.run("do-nothing Worker, same runtime (the ceiling)", { url: ceilingWorker.url });
  } finally {
    await ceilingWorker.stop();
  }
  const health = await report.run("GET /_edgeorg/health (no auth, no storage)", { url: `${baseUrl}/_edgeorg/health` });

  const org = await createBenchOrg(baseUrl, operatorToken, { slug: `bench-calls-${randomUUID().slice(0, 8)}`, ttlSeconds: 3600 });
  const ours = {};
  try {
    const headers = ssws(org.apiToken);
    const sample = await seedUsers(org.orgUrl, headers, "e");
    for (const [name, connections, options] of cases(org.orgUrl, headers, sample, "e")) {
      ours[name] = await report.run(name, { ...options, connections });
      const ceil = ceiling[connections];
      if (ours[name] && ceil) report.ratio(`${name} / ceiling`, ours[name].reqPerSec / ceil.reqPerSec);
    }
    const token = await arrangeTokenClient(baseUrl, operatorToken);
    const tokens = await report.run("POST /oauth2/v1/token (private_key_jwt, RS256)", {
      url: `${token.org.orgUrl}/oauth2/v1/token`,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: token.tokenForm,
    });
    if (tokens && health) report.ratio("token endpoint / health (target ≥ 0.5, or ≥ 500 tokens/s)", tokens.reqPerSec / health.reqPerSec);
    await deleteBenchOrg(baseUrl, operatorToken, token.org.slug);
  } finally {
    await deleteBenchOrg(baseUrl, operatorToken, org.slug);
  }
  if (health && ceiling[10]) report.ratio("health / ceiling", health.reqPerSec / ceiling[10].reqPerSec);

  if (!peer) return;
  const headers = ssws(peer.token);
  const sample = await seedUsers(peer.url, headers, "p");
  for (const [name, connections, options] of cases(peer.url, headers, sample, "p")) {
    const theirs = await report.run(`peer: ${name}`, { ...options, connections });
    if (theirs && ours[name]) report.ratio(`edgeorg / peer: ${name} (target ≥ 0.1)`, ours[name].reqPerSec / theirs.reqPerSec);
  }
}
