#!/usr/bin/env node
// `npm run token -- --scopes "okta.users.read okta.groups.read" [--org <slug>] [--url <base URL>] [--json]`
// Prints an access token of a running edgeorg, got the way @okta/okta-sdk-nodejs
// gets one in PrivateKey mode: client_credentials with a private_key_jwt
// assertion, from the demo service client `npm start` made (its key is in
// .edgeorg/oauth-clients.json). The org is the one `npm start` recorded in
// .edgeorg/org.json unless --url says otherwise. If the demo client is missing
// — another org, or a wiped key file — it is made first with the org's API
// token: the recorded one for the default org, --token <SSWS token> for others.
// Scopes not yet granted to it (for the org's current URL) are granted the same way.
import { UsageError, parseFlags, run } from "./lib/cli.mjs";
import { DEMO_SCOPES, ensureDemoClient, readClients, requestAccessToken } from "./lib/oauth-client.mjs";
import { runningOrg } from "./lib/org-state.mjs";
import { seedApi } from "./seed/index.mjs";

async function main() {
  const { values } = parseFlags({
    usage: 'usage: npm run token -- --scopes "okta.users.read okta.groups.read" [options]\n\nPrints an access token of the demo service client (private_key_jwt, as Okta\'s SDK gets one).',
    options: {
      scopes: { type: "string", valueName: "scopes", description: "space- or comma-separated scopes to ask for (required)" },
      org: { type: "string", default: "default", valueName: "slug", description: "the org (its slug)" },
      url: { type: "string", valueName: "url", description: "the worker's base URL (default: the org npm start recorded)" },
      token: { type: "string", valueName: "ssws", description: "the org's SSWS API token, to make or grant the demo client" },
      json: { type: "boolean", description: "print the whole token response" },
    },
  });
  const scopes = (values.scopes ?? "").split(/[\s,]+/).filter(Boolean);
  if (!scopes.length) throw new UsageError('--scopes is required, e.g. npm run token -- --scopes "okta.users.read okta.groups.read" (--help for more)', { exitCode: 2 });
  const slug = values.org;
  const { url: base, state } = await runningOrg({ url: values.url });
  const orgUrl = slug === "default" ? base : `${base}/orgs/${encodeURIComponent(slug)}`;

  const apiToken = values.token ?? (slug === "default" ? state?.apiToken : undefined);
  let entry = readClients()[slug];
  if (apiToken) {
    const api = seedApi({ orgUrl, ssws: `SSWS ${apiToken}`, slug, log: () => {} });
    const wanted = [...new Set([...(entry?.scopes ?? DEMO_SCOPES), ...scopes.filter((s) => s.startsWith("okta.") && !s.endsWith(".self"))])];
    try {
      ({ entry } = await ensureDemoClient(api, slug, wanted));
    } catch (error) {
      throw new UsageError(`Could not make or grant the demo client of org '${slug}' at ${orgUrl}: ${error.message}`);
    }
  } else if (!entry) {
    throw new UsageError(`No demo client for org '${slug}' in .edgeorg/oauth-clients.json: pass --token <its SSWS API token> to make one.`);
  }
  let token;
  try {
    token = await requestAccessToken(orgUrl, entry, scopes);
  } catch (error) {
    const hint = /consent_required/.test(error.message) ? " (the demo client holds no grant for these scopes at this URL: pass --token <SSWS token> to grant them)" : "";
    throw new UsageError(`${error.message}${hint}`);
  }
  if (values.json) console.log(JSON.stringify(token, null, 2));
  else console.log(token.access_token);
  if (token.scope !== scopes.join(" ")) console.error(`(granted scopes: ${token.scope})`);
}

run(main);
