#!/usr/bin/env node
// `npm run token -- --scopes "okta.users.read okta.groups.read" [--org <slug>] [--url http://127.0.0.1:8787] [--json]`
// Prints an access token of a running edgeorg, got the way @okta/okta-sdk-nodejs
// gets one in PrivateKey mode: client_credentials with a private_key_jwt
// assertion, from the demo service client `npm start` made (its key is in
// .edgeorg/oauth-clients.json). If that client is missing — another org, or a
// wiped key file — it is made first with the org's API token: .dev.vars's
// BOOTSTRAP_API_TOKEN for the default org, --token <SSWS token> for others.
// Scopes not yet granted to it are granted the same way when a token is at hand.
import { join } from "node:path";
import { DEMO_SCOPES, ensureDemoClient, readClients, requestAccessToken } from "./lib/oauth-client.mjs";
import { seedApi } from "./seed/index.mjs";
import { ROOT, argValue, readVars } from "./lib/worker.mjs";

const args = process.argv.slice(2);
const scopes = (argValue(args, "scopes") ?? argValue(args, "scope") ?? "").split(/[\s,]+/).filter(Boolean);
const slug = argValue(args, "org") ?? "default";
const base = (argValue(args, "url") ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const orgUrl = slug === "default" ? base : `${base}/orgs/${encodeURIComponent(slug)}`;

async function main() {
  if (!scopes.length) {
    console.error('usage: npm run token -- --scopes "okta.users.read okta.groups.read" [--org <slug>] [--url <base URL>] [--token <SSWS api token>] [--json]');
    process.exit(2);
  }
  const apiToken = argValue(args, "token") ?? (slug === "default" ? readVars(join(ROOT, ".dev.vars")).BOOTSTRAP_API_TOKEN : undefined);
  let entry = readClients()[slug];
  if (apiToken) {
    const api = seedApi({ orgUrl, ssws: `SSWS ${apiToken}`, log: (line) => console.error(line) });
    const wanted = [...new Set([...(entry?.scopes ?? DEMO_SCOPES), ...scopes.filter((s) => s.startsWith("okta.") && !s.endsWith(".self"))])];
    ({ entry } = await ensureDemoClient(api, slug, wanted));
  } else if (!entry) {
    throw new Error(`no demo client for org '${slug}' in .edgeorg/oauth-clients.json: pass --token <its SSWS API token> to make one`);
  }
  const token = await requestAccessToken(orgUrl, entry, scopes);
  if (args.includes("--json")) console.log(JSON.stringify(token, null, 2));
  else console.log(token.access_token);
  if (token.scope !== scopes.join(" ")) console.error(`(granted scopes: ${token.scope})`);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
