// User tokens: what the password grant (password check + policy + access, ID and refresh tokens) and a
// refresh cost at the org server and a custom server, against client_credentials on the same server.
import { deleteBenchOrg } from "./lib/orgs.mjs";
import { json, orgWithAssignedUser, PASSWORD } from "./lib/signed-in-user.mjs";

export async function bench({ orgUrl: baseUrl, operatorToken, report }) {
  const { org, ssws, post, login, basic } = await orgWithAssignedUser(baseUrl, operatorToken, "bench-users", "bench native app", {
    application_type: "native",
    grant_types: ["authorization_code", "password", "refresh_token"],
    redirect_uris: ["com.example.bench:/cb"],
  });
  try {
    const server = "default";
    const policies = await json(await fetch(`${org.orgUrl}/api/v1/authorizationServers/${server}/policies`, { headers: ssws }), "reading policies");
    await post(
      `/api/v1/authorizationServers/${server}/policies/${policies[0].id}/rules`,
      { type: "RESOURCE_ACCESS", name: "bench password", priority: 1, conditions: { people: { groups: { include: ["EVERYONE"] } }, grantTypes: { include: ["password"] }, scopes: { include: ["*"] } } },
      "adding a password rule",
    );
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
