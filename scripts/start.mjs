#!/usr/bin/env node
// `npm start [-- <wrangler dev arguments>]`: writes .dev.vars if missing, applies
// the D1 migrations locally, starts `wrangler dev`, seeds demo data and prints
// how to reach the org. Ctrl-C stops wrangler.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, applyMigrations, argValue, freePort, portIsFree, readVars, startDev } from "./lib/worker.mjs";
import { runSeeds } from "./seed/index.mjs";

const DEV_VARS = join(ROOT, ".dev.vars");
const EXAMPLE = join(ROOT, ".dev.vars.example");

/** Every KEY= line of .dev.vars.example gets a fresh random value; comments are kept. */
function ensureDevVars() {
  const wanted = Object.keys(readVars(EXAMPLE));
  if (existsSync(DEV_VARS)) {
    const missing = wanted.filter((key) => !(key in readVars(DEV_VARS)));
    if (missing.length) console.warn(`! .dev.vars has no ${missing.join(", ")} (listed in .dev.vars.example); using it as it is.`);
    return;
  }
  const text = readFileSync(EXAMPLE, "utf8")
    .split(/\r?\n/)
    .map((line) => line.replace(/^(\s*[A-Za-z_][A-Za-z0-9_]*\s*=).*$/, (_, key) => `${key}${randomBytes(24).toString("base64url")}`))
    .join("\n");
  writeFileSync(DEV_VARS, text.replace(/^# Copy to .dev.vars.*\n/, "# Written by npm start with random values; edit freely, it is used as it is from now on.\n"), { mode: 0o600 });
  console.log(`Wrote .dev.vars with random values for ${wanted.join(", ")}.`);
}

async function main() {
  const args = process.argv.slice(2);
  ensureDevVars();
  const vars = readVars(DEV_VARS);

  console.log("Applying D1 migrations locally…");
  await applyMigrations({ persistTo: argValue(args, "persist-to"), quiet: true });

  // Without an explicit port wrangler silently moves off a busy 8787, and we would poll the wrong server.
  if (argValue(args, "port") === undefined) {
    const ip = argValue(args, "ip");
    const host = !ip || ip === "localhost" ? "127.0.0.1" : ip === "*" ? "0.0.0.0" : ip;
    const port = (await portIsFree(8787, host)) ? 8787 : await freePort(host);
    if (port !== 8787) console.log(`Port 8787 is busy; using ${port}.`);
    args.push("--port", String(port));
  }

  const dev = await startDev({ args, output: "inherit" });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await dev.stop();
    process.exit(0);
  };
  // A terminal Ctrl-C reaches wrangler too; we wait for it to finish cleaning up.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  dev.exited.then((code) => {
    if (!stopping) process.exit(code ?? 1);
  });

  const token = vars.BOOTSTRAP_API_TOKEN;
  let extra = [];
  try {
    extra = await runSeeds({ orgUrl: dev.url, ssws: token ? `SSWS ${token}` : undefined });
  } catch (error) {
    console.error(`Seeding failed: ${error.message}`);
  }

  const usersExist = token
    ? await fetch(`${dev.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${token}`, Accept: "application/json" } })
        .then((r) => r.ok)
        .catch(() => false)
    : false;
  const curl = usersExist
    ? `curl -H "Authorization: SSWS ${token}" "${dev.url}/api/v1/users?limit=5"`
    : `curl ${dev.url}/.well-known/openid-configuration`;

  console.log(
    [
      "",
      "edgeorg is running.",
      `  Org URL:        ${dev.url}`,
      `  API token:      ${token ?? "(BOOTSTRAP_API_TOKEN is not set in .dev.vars)"}`,
      `  Operator token: ${vars.OPERATOR_TOKEN ?? "(OPERATOR_TOKEN is not set in .dev.vars)"}  (POST ${dev.url}/_edgeorg/orgs makes more orgs)`,
      ...extra.map((line) => `  ${line}`),
      "",
      `  ${curl}`,
      "",
      "Ctrl-C stops it.",
      "",
    ].join("\n"),
  );
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
