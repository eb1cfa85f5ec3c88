// Proxy orgs: what the proxy hop adds, and how much of a mixed load the edge
// refuses before it reaches the upstream. The upstream ("real Okta") is a
// second throw-away worker, as in the Node-side suite.
import { randomBytes } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { requestAccessToken, serviceAppBody } from "../scripts/lib/oauth-client.mjs";
import { startIsolatedWorker } from "../scripts/lib/worker.mjs";

async function json(url, init) {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${init?.method ?? "GET"} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function bench({ orgUrl, operatorToken, autocannon, report }) {
  if (!report.selected("proxy")) return;
  const secrets = { BOOTSTRAP_API_TOKEN: randomBytes(24).toString("base64url"), OPERATOR_TOKEN: randomBytes(24).toString("base64url"), KEY_ENCRYPTION_SECRET: randomBytes(24).toString("base64url") };
  console.log("  proxy: starting the upstream worker…");
  const upstreamWorker = await startIsolatedWorker({ secrets, label: "edgeorg-bench-upstream", logLevel: "error" });
  try {
    const operator = (token) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" });
    const upstream = await json(`${upstreamWorker.url}/_edgeorg/orgs`, { method: "POST", headers: operator(secrets.OPERATOR_TOKEN), body: "{}" });
    const ssws = { Authorization: `SSWS ${upstream.apiToken}`, "Content-Type": "application/json", Accept: "application/json" };
    const user = await json(`${upstream.orgUrl}/api/v1/users?activate=false`, {
      method: "POST",
      headers: ssws,
      body: JSON.stringify({ profile: { firstName: "Bench", lastName: "Proxy", email: "bench@example.com", login: "bench@example.com" } }),
    });
    const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const app = await json(`${upstream.orgUrl}/api/v1/apps`, { method: "POST", headers: ssws, body: JSON.stringify(serviceAppBody({ label: "bench", publicJwk, kid })) });
    await json(`${upstream.orgUrl}/api/v1/apps/${app.id}/grants`, { method: "POST", headers: ssws, body: JSON.stringify({ scopeId: "okta.users.read", issuer: upstream.orgUrl }) });
    const client = { clientId: app.credentials.oauthClient.client_id, privateJwk: { ...(await exportJWK(privateKey)), kid } };
    const { access_token } = await requestAccessToken(upstream.orgUrl, client, ["okta.users.read"]);
    const proxy = await json(`${orgUrl}/_edgeorg/orgs`, {
      method: "POST",
      headers: operator(operatorToken),
      body: JSON.stringify({ proxy: { upstreamUrl: upstream.orgUrl, apiToken: upstream.apiToken } }),
    });

    const path = `/api/v1/users/${user.id}`;
    const one = { connections: 1 };
    const direct = await report.run("GET /users/{id} SSWS, straight to the upstream, 1 connection", { url: upstream.orgUrl + path, headers: { authorization: ssws.Authorization }, ...one });
    const passSsws = await report.run("GET /users/{id} SSWS through the proxy org, 1 connection", { url: proxy.orgUrl + path, headers: { authorization: ssws.Authorization }, ...one });
    const passBearer = await report.run("GET /users/{id} upstream Bearer, verified at the edge, 1 connection", { url: proxy.orgUrl + path, headers: { authorization: `Bearer ${access_token}` }, ...one });
    if (direct && passSsws) report.ratio("proxy hop, SSWS: added p50 latency (ms)", passSsws.p50 - direct.p50);
    if (direct && passBearer) report.ratio("proxy hop, Bearer verified at the edge: added p50 latency (ms)", passBearer.p50 - direct.p50);

    // A mixed load: a third of the calls lack their scope (groups with an okta.users.read token).
    if (report.selected("mixed")) {
      const bearer = { authorization: `Bearer ${access_token}` };
      const result = await autocannon({
        url: proxy.orgUrl,
        connections: 10,
        duration: 5,
        requests: [
          { method: "GET", path: new URL(proxy.orgUrl + path).pathname, headers: bearer },
          { method: "GET", path: new URL(`${proxy.orgUrl}/api/v1/groups`).pathname, headers: bearer },
          { method: "GET", path: new URL(proxy.orgUrl + path).pathname, headers: { authorization: ssws.Authorization } },
        ],
      });
      report.record("mixed: users read (Bearer), groups read without its scope, users read (SSWS)", result);
      const stats = result.statusCodeStats ?? {};
      const total = Object.values(stats).reduce((n, { count }) => n + count, 0);
      report.ratio("mixed run: share refused at the edge (403, never forwarded)", total ? (stats["403"]?.count ?? 0) / total : undefined);
    }
  } finally {
    await upstreamWorker.stop();
  }
}
