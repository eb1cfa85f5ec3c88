// Demo OIDC web app for `npm start` (the demo service client with an RSA key
// and its okta.* grants is oauth.mjs's). Idempotent: found by label.
const LABEL = "Demo web app";

export async function seed(api) {
  const found = await api.request("GET", `/api/v1/apps?q=${encodeURIComponent(LABEL)}&limit=200`);
  if (found.status !== 200) throw new Error(`listing apps failed: ${found.status} ${JSON.stringify(found.body)}`);
  const existing = found.body.find((app) => app.label === LABEL);
  if (existing) {
    return [`${LABEL}: client_id ${existing.credentials.oauthClient.client_id} (secret shown once at creation; new one: POST /oauth2/v1/clients/${existing.id}/lifecycle/newSecret)`];
  }
  const created = await api.request("POST", "/api/v1/apps?activate=true", {
    name: "oidc_client",
    label: LABEL,
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic" } },
    settings: {
      oauthClient: {
        application_type: "web",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: ["http://localhost:3000/callback"],
        post_logout_redirect_uris: ["http://localhost:3000/"],
      },
    },
  });
  if (created.status !== 200) throw new Error(`creating ${LABEL} failed: ${created.status} ${JSON.stringify(created.body)}`);
  const client = created.body.credentials.oauthClient;
  return [`${LABEL}: client_id ${client.client_id}, client_secret ${client.client_secret} (shown once)`];
}
