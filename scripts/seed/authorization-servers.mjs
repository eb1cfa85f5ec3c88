// Demo data for the `default` authorization server (npm start): a custom
// scope, a claim, and a confidential service client (client_secret_basic)
// that can get a token from /oauth2/default/v1/token right away — the
// default server's Default Policy lets every client in. Idempotent: the
// scope, claim and client are found by name before anything is created.
const AS = "/api/v1/authorizationServers/default";
const SCOPE = "demo:read";
const CLAIM = "tenant";
const CLIENT_NAME = "Demo API client (default authorization server)";

async function ensure(api, what, listPath, match, create) {
  const list = await api.request("GET", listPath);
  if (list.status !== 200) throw new Error(`listing ${what} failed: ${list.status} ${JSON.stringify(list.body)}`);
  const found = list.body.find(match);
  if (found) return { row: found, created: false };
  const reply = await create();
  if (reply.status !== 201) throw new Error(`creating ${what} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { row: reply.body, created: true };
}

export async function seed(api) {
  await ensure(api, "scope", `${AS}/scopes?q=${encodeURIComponent(SCOPE)}`, (s) => s.name === SCOPE, () =>
    api.request("POST", `${AS}/scopes`, {
      name: SCOPE,
      displayName: "Read demo data",
      description: "Lets a client read the demo API",
      metadataPublish: "ALL_CLIENTS",
    }),
  );
  await ensure(api, "claim", `${AS}/claims`, (c) => c.name === CLAIM && c.claimType === "RESOURCE", () =>
    api.request("POST", `${AS}/claims`, {
      name: CLAIM,
      claimType: "RESOURCE",
      valueType: "EXPRESSION",
      value: "'edgeorg-demo'",
      conditions: { scopes: [SCOPE] },
    }),
  );
  const client = await ensure(api, "client", "/oauth2/v1/clients?limit=200", (c) => c.client_name === CLIENT_NAME, () =>
    api.request("POST", "/oauth2/v1/clients", {
      client_name: CLIENT_NAME,
      application_type: "service",
      grant_types: ["client_credentials"],
      response_types: ["token"],
      token_endpoint_auth_method: "client_secret_basic",
    }),
  );
  const clientId = client.row.client_id;
  const secret = client.created ? client.row.client_secret : "<client_secret>";
  const lines = [
    `Default authorization server: issuer ${api.orgUrl}/oauth2/default, audience api://default, scope ${SCOPE}, claim ${CLAIM}`,
    client.created
      ? `Demo API client: client_id ${clientId}, client_secret ${secret} (shown once)`
      : `Demo API client: client_id ${clientId} (secret shown at first start; new one: POST /oauth2/v1/clients/${clientId}/lifecycle/newSecret)`,
    `Token: curl -s -u '${clientId}:${secret}' -d grant_type=client_credentials -d scope=${SCOPE} ${api.orgUrl}/oauth2/default/v1/token`,
  ];
  if (client.created) api.log(`created ${SCOPE}, ${CLAIM} and the demo API client on the default authorization server`);
  return lines;
}
