#!/usr/bin/env node
// `npm run import -- --from <org URL> --from-token <SSWS> --into <slug> [--url <worker>] [--ttl 7d]`
// Makes (or finds) the mock org <slug> through the operator API and copies the
// upstream org into it (scripts/lib/import-org.mjs): users without passwords,
// groups, memberships, group rules, OIDC apps, authorization servers. Progress
// goes to stderr; an interrupted run resumes from .edgeorg/import-<slug>.json.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseTtl } from "./lib/branch-org.mjs";
import { UsageError, parseFlags, run } from "./lib/cli.mjs";
import { DEV_VARS, readEnvFile } from "./lib/dev-vars.mjs";
import { importOrg } from "./lib/import-org.mjs";
import { runningOrg } from "./lib/org-state.mjs";
import { ROOT } from "./lib/worker.mjs";

async function operator(base, token, method, path, body) {
  const response = await fetch(`${base}/_edgeorg${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  const parsed = await response.json().catch(() => ({}));
  if (response.status >= 400) throw new UsageError(`${method} /_edgeorg${path} failed: ${response.status} ${parsed.errorSummary ?? ""}`);
  return { status: response.status, body: parsed };
}

async function main() {
  const { values } = parseFlags({
    usage: "usage: npm run import -- --from <upstream org URL> --from-token <SSWS token> --into <slug> [options]\n\nCopies an Okta org into a mock org of edgeorg (resumable).",
    options: {
      from: { type: "string", valueName: "url", description: "the org to copy (https://acme.okta.com, or a proxy org's URL)" },
      "from-token": { type: "string", valueName: "token", description: "an SSWS API token of that org (read access is enough)" },
      into: { type: "string", valueName: "slug", description: "the mock org to copy into (made when missing)" },
      url: { type: "string", valueName: "url", description: "the worker (default: the local org npm start recorded)" },
      ttl: { type: "string", valueName: "7d", description: "delete the mock org this long after the run" },
      restart: { type: "boolean", description: "forget the progress of an earlier, interrupted run" },
    },
  });
  if (!values.from || !values["from-token"] || !values.into) throw new UsageError("--from, --from-token and --into are required (--help)", { exitCode: 2 });
  const { url: base } = await runningOrg({ url: values.url });
  const operatorToken = process.env.OPERATOR_TOKEN || (values.url ? undefined : readEnvFile(DEV_VARS).OPERATOR_TOKEN);
  if (!operatorToken) throw new UsageError("No operator token: set OPERATOR_TOKEN (a local org's is in .dev.vars).");
  const ttlSeconds = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  const put = await operator(base, operatorToken, "PUT", `/orgs/${values.into}`, ttlSeconds ? { ttlSeconds } : {});
  if (put.body.mode === "proxy") throw new UsageError(`'${values.into}' is a proxy org: import into a mock org`);
  const apiToken = put.body.apiToken ?? (await operator(base, operatorToken, "POST", `/orgs/${values.into}/apiTokens`, { name: "npm run import" })).body.apiToken;
  const statePath = join(ROOT, ".edgeorg", `import-${values.into}.json`);
  if (values.restart) rmSync(statePath, { force: true });
  const summary = await importOrg({
    from: { orgUrl: values.from.replace(/\/+$/, ""), ssws: values["from-token"] },
    into: { orgUrl: put.body.orgUrl, ssws: apiToken },
    statePath,
    log: (line) => console.error(line),
  });
  for (const [kind, n] of Object.entries(summary.counts)) console.error(`  ${kind}: ${n}`);
  for (const line of summary.approximated) console.error(`  approximated: ${line}`);
  for (const line of summary.failures) console.error(`  failed: ${line}`);
  rmSync(statePath, { force: true });
  console.log(`ORG_URL=${put.body.orgUrl}`);
  console.log(`OKTA_API_TOKEN=${apiToken}`);
  if (summary.failures.length) throw new UsageError(`${summary.failures.length} item(s) failed to import (above).`);
}

run(main);
