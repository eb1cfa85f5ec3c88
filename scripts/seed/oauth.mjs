// OAuth for Okta demo for `npm start`: a service client with a generated RSA
// key (private JWK in the git-ignored .edgeorg/oauth-clients.json), granted
// the read and manage okta.* scopes. `npm run token` uses it.
// Idempotent: reused while the app and the key file agree.
import { relative } from "node:path";
import { CLIENTS_FILE, DEMO_LABEL, ensureDemoClient } from "../lib/oauth-client.mjs";
import { ROOT } from "../lib/worker.mjs";

export async function seed(api) {
  const { entry, created } = await ensureDemoClient(api, api.slug);
  if (created) api.log(`created ${DEMO_LABEL} ${entry.clientId}`);
  return [
    `${DEMO_LABEL}: client_id ${entry.clientId}, private key in ${relative(ROOT, CLIENTS_FILE)}`,
    `  token: npm run token -- --scopes "okta.users.read okta.groups.read"${api.slug === "default" ? "" : ` --org ${api.slug}`}`,
  ];
}
