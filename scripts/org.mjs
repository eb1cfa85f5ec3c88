#!/usr/bin/env node
// `npm run org -- --branch feature/foo [--seed demo] [--ttl 7d] [--url <worker>] [--delete]`
// The org of a branch, in one command (a CI step, or a developer trying a
// branch): slugifies the branch, gets or creates its org through the operator
// API (PUT /_edgeorg/orgs/{slug}; an org that already exists gets a fresh API
// token, since the first one was shown only once), optionally seeds the demo
// data, and prints ORG_URL= / OKTA_API_TOKEN= lines on stdout for a CI step
// (`>> "$GITHUB_OUTPUT"`); everything else goes to stderr.
import { slugifyBranch, parseTtl } from "./lib/branch-org.mjs";
import { UsageError, parseFlags, reach, run } from "./lib/cli.mjs";
import { DEV_VARS, readEnvFile } from "./lib/dev-vars.mjs";
import { runningOrg } from "./lib/org-state.mjs";
import { runSeeds } from "./seed/index.mjs";

async function operatorCall(base, operatorToken, method, path, body) {
  const response = await reach(
    `${base}/_edgeorg${path}`,
    {
      method,
      headers: { Authorization: `Bearer ${operatorToken}`, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    },
    "Is --url the worker's URL?",
  );
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (response.status === 401) throw new UsageError(`${base} refused the operator token (401): OPERATOR_TOKEN must be the worker's OPERATOR_TOKEN secret.`);
  if (response.status >= 400 && response.status !== 404) {
    throw new UsageError(`${method} /_edgeorg${path} failed: ${response.status} ${parsed?.errorCauses?.map((c) => c.errorSummary).join("; ") || parsed?.errorSummary || text}`);
  }
  return { status: response.status, body: parsed };
}

async function main() {
  const { values } = parseFlags({
    usage:
      "usage: npm run org -- --branch <name> [options]\n\n" +
      "Gets or creates the org of a branch and prints ORG_URL= and OKTA_API_TOKEN= lines.\n" +
      "The operator token comes from OPERATOR_TOKEN in the environment, else from .dev.vars (a local org).",
    options: {
      branch: { type: "string", valueName: "name", description: "the branch (e.g. feature/foo; refs/heads/ is dropped); its slug names the org" },
      seed: { type: "string", valueName: "demo", description: "seed data into the org: `demo` (the demo users, groups, apps npm start makes)" },
      ttl: { type: "string", valueName: "7d", description: "delete the org this long after the last run (s, m, h, d, w; at most 365d)" },
      url: { type: "string", valueName: "url", description: "the worker (a deployed or preview URL; default: the local org npm start recorded)" },
      delete: { type: "boolean", description: "delete the branch's org instead (no error when it is already gone)" },
    },
  });
  if (!values.branch) throw new UsageError("--branch is required, e.g. npm run org -- --branch feature/foo (--help for more)", { exitCode: 2 });
  if (values.seed !== undefined && values.seed !== "demo") throw new UsageError(`--seed knows only 'demo', not '${values.seed}'`, { exitCode: 2 });
  const ttlSeconds = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  if (values.ttl !== undefined && !ttlSeconds) throw new UsageError(`--ttl must look like 7d, 12h, 30m or 3600 (seconds), not '${values.ttl}'`, { exitCode: 2 });

  const { url: base } = await runningOrg({ url: values.url });
  const operatorToken = process.env.OPERATOR_TOKEN || (values.url ? undefined : readEnvFile(DEV_VARS).OPERATOR_TOKEN);
  if (!operatorToken) throw new UsageError("No operator token: set OPERATOR_TOKEN to the worker's OPERATOR_TOKEN secret (a local org's is in .dev.vars).");
  const slug = slugifyBranch(values.branch);

  if (values.delete) {
    const { status } = await operatorCall(base, operatorToken, "DELETE", `/orgs/${slug}`);
    console.error(status === 404 ? `No org '${slug}' at ${base} (already deleted).` : `Deleted org '${slug}' at ${base}.`);
    return;
  }

  const put = await operatorCall(base, operatorToken, "PUT", `/orgs/${slug}`, ttlSeconds ? { ttlSeconds } : {});
  const org = put.body;
  let apiToken = org.apiToken;
  if (put.status !== 201) {
    apiToken = (await operatorCall(base, operatorToken, "POST", `/orgs/${slug}/apiTokens`, { name: "npm run org" })).body.apiToken;
  }
  console.error(`${put.status === 201 ? "Made" : "Found"} org '${slug}' for branch ${values.branch}${org.expiresAt ? ` (expires ${org.expiresAt})` : ""}.`);

  if (values.seed === "demo") {
    console.error("Seeding demo data…");
    const { summary, failures } = await runSeeds({ orgUrl: org.orgUrl, ssws: `SSWS ${apiToken}`, slug });
    for (const line of summary) console.error(`  ${line}`);
    if (failures) throw new UsageError(`${failures} seed${failures > 1 ? "s" : ""} failed (see above); the org is at ${org.orgUrl}.`);
  }
  console.log(`ORG_URL=${org.orgUrl}`);
  console.log(`OKTA_API_TOKEN=${apiToken}`);
  console.log(`ORG_SLUG=${slug}`);
}

run(main);
