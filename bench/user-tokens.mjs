// User tokens: what the password grant (password check + policy + access, ID and refresh tokens) and a
// refresh cost at the org server and a custom server, against client_credentials on the same server.
import { randomUUID } from "node:crypto";
import { createBenchOrg, deleteBenchOrg } from "./lib/orgs.mjs";

const PASSWORD = "Tr0ub4dor&3x";

async function json(response, what) {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function bench({ orgUrl: baseUrl, operatorToken, report }) {
  const org = await createBenchOrg(baseUrl, operatorToken, { slug: `bench-users-${randomUUID().slice(0, 8)}`, ttlSeconds: 3600 });
  const ssws = { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" };
  const post = async (path, body, what) => json(await fetch(`${org.orgUrl}${path}`, { method: "POST", headers: ssws, body: JSON.stringify(body) }), what);
  try {
    const login = `bench.${randomUUID().slice(0, 8)}@example.com`;
    const user = await post("/api/v1/users?activate=true", { profile: { firstName: "Bench", lastName: "User", email: login, login }, credentials: { password: { value: PASSWORD } } }, "creating the user");
    const app = await post(
      "/api/v1/apps",
      {
        name: "oidc_client",
        label: "bench native app",
        signOnMode: "OPENID_CONNECT",
        credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic" } },
        settings: { oauthClient: { application_type: "native", grant_types: ["authorization_code", "password", "refresh_token"], redirect_uris: ["com.example.bench:/cb"] } },
      },
      "creating the app",
    );
    await post(`/api/v1/apps/${app.id}/users`, { id: user.id }, "assigning the user");
    const server = "default";
    const policies = await json(await fetch(`${org.orgUrl}/api/v1/authorizationServers/${server}/policies`, { headers: ssws }), "reading policies");
    await post(
      `/api/v1/authorizationServers/${server}/policies/${policies[0].id}/rules`,
      { type: "RESOURCE_ACCESS", name: "bench password", priority: 1, conditions: { people: { groups: { include: ["EVERYONE"] } }, grantTypes: { include: ["password"] }, scopes: { include: ["*"] } } },
      "adding a password rule",
    );
    const basic = `Basic ${Buffer.from(`${app.credentials.oauthClient.client_id}:${app.credentials.oauthClient.client_secret}`).toString("base64")}`;
    const headers = { "content-type": "application/x-www-form-urlencoded", authorization: basic };
    const passwordForm = new URLSearchParams({ grant_type: "password", username: login, password: PASSWORD, scope: "openid profile email offline_access" }).toString();
    const rows = {};
    for (const [name, base] of [["org server", "/oauth2/v1"], ["custom server", `/oauth2/${server}/v1`]]) {
      const url = `${org.orgUrl}${base}/token`;
      const first = await json(await fetch(url, { method: "POST", headers, body: passwordForm }), `password grant at the ${name}`);
      rows[`password ${name}`] = await report.run(`POST ${base}/token password (access + ID + refresh token), ${name}`, { url, method: "POST", headers, body: passwordForm });
      // STATIC (a native app's default): the same refresh token serves every request.
      const refreshForm = new URLSearchParams({ grant_type: "refresh_token", refresh_token: first.refresh_token }).toString();
      rows[`refresh ${name}`] = await report.run(`POST ${base}/token refresh_token (STATIC), ${name}`, { url, method: "POST", headers, body: refreshForm });
    }
    for (const name of ["org server", "custom server"]) {
      const password = rows[`password ${name}`];
      const refresh = rows[`refresh ${name}`];
      if (password && refresh) report.ratio(`password grant / refresh (latency p50), ${name}`, password.p50 / refresh.p50);
    }
  } finally {
    await deleteBenchOrg(baseUrl, operatorToken, org.slug);
  }
}
