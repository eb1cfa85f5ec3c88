// The fixture of the user-grant benches: a fresh org with an ACTIVE user (PASSWORD) assigned to an
// OIDC app with a client secret. Callers delete the org (deleteBenchOrg) when done.
import { randomUUID } from "node:crypto";
import { createBenchOrg } from "./orgs.mjs";

export const PASSWORD = "Tr0ub4dor&3x";

export async function json(response, what) {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** `oauthClient`: the app's settings.oauthClient (application type, grants, redirect URIs). */
export async function orgWithAssignedUser(baseUrl, operatorToken, slugPrefix, label, oauthClient) {
  const org = await createBenchOrg(baseUrl, operatorToken, { slug: `${slugPrefix}-${randomUUID().slice(0, 8)}`, ttlSeconds: 3600 });
  const ssws = { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" };
  const post = async (path, body, what) => json(await fetch(`${org.orgUrl}${path}`, { method: "POST", headers: ssws, body: JSON.stringify(body) }), what);
  const login = `bench.${randomUUID().slice(0, 8)}@example.com`;
  const user = await post("/api/v1/users?activate=true", { profile: { firstName: "Bench", lastName: "User", email: login, login }, credentials: { password: { value: PASSWORD } } }, "creating the user");
  const app = await post(
    "/api/v1/apps",
    { name: "oidc_client", label, signOnMode: "OPENID_CONNECT", credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic" } }, settings: { oauthClient } },
    "creating the app",
  );
  await post(`/api/v1/apps/${app.id}/users`, { id: user.id }, "assigning the user");
  const { client_id: clientId, client_secret: clientSecret } = app.credentials.oauthClient;
  return { org, ssws, post, login, clientId, basic: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}` };
}
