#!/usr/bin/env node
// `npm start [-- --port 8787 --ip 127.0.0.1 --verbose]`: one local org on one
// URL. Makes sure .dev.vars holds every secret, refuses a taken port before
// anything runs, applies the D1 migrations, starts the worker with ORG_URL
// pinned to the URL it prints, seeds demo data and records the running org in
// .edgeorg/org.json for `npm run token`, `npm run org` and the README's
// snippets. Ctrl-C stops it.
import { createConnection } from "node:net";
import { relative } from "node:path";
import { DEV_VARS, ensureDevVars } from "./lib/dev-vars.mjs";
import { UsageError, parseFlags, run } from "./lib/cli.mjs";
import { DEFAULT_HOST, DEFAULT_PORT, STATE_FILE, clearOrgState, writeOrgState } from "./lib/org-state.mjs";
import { ROOT, applyMigrations, portIsFree, startDev } from "./lib/worker.mjs";
import { runSeeds } from "./seed/index.mjs";

/** Keeps wrangler quiet about what a local org does not need: telemetry, update and error-report prompts. */
export const QUIET_WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  NO_UPDATE_NOTIFIER: "1",
};

/** Whether something accepts TCP connections on host:port (a listener on 0.0.0.0 is reached through loopback). */
function answers(host, port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1_000 });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

async function isEdgeorg(url) {
  try {
    const r = await fetch(`${url}/_edgeorg/health`, { signal: AbortSignal.timeout(2_000) });
    return r.ok && (await r.json()).status === "ok";
  } catch {
    return false;
  }
}

/** The host a client uses to reach a worker listening on `ip`. */
function hostOf(ip) {
  if (ip === "0.0.0.0" || ip === "*") return "127.0.0.1";
  if (ip === "::") return "[::1]";
  return ip.includes(":") ? `[${ip}]` : ip;
}

async function refuseTakenPort(ip, port, url) {
  const host = hostOf(ip).replace(/^\[|\]$/g, "");
  // "localhost" is checked on 127.0.0.1 (what it resolves to first here); a machine without IPv6 would fail a ::1 check.
  const bindable = await portIsFree(port, host === "localhost" ? "127.0.0.1" : host);
  if (bindable && !(await answers(host, port))) return;
  const what = (await isEdgeorg(url)) ? `An edgeorg already answers at ${url} (another npm start?)` : `Port ${port} on ${host} is taken by another program`;
  throw new UsageError(`${what}. Stop it, or start on another port: npm start -- --port ${port + 1}\nNothing was started or seeded.`);
}

async function main() {
  const { values, rest } = parseFlags({
    usage: "usage: npm start [-- [options] [-- <wrangler dev arguments>]]\n\nStarts a local edgeorg with demo data and prints its URL and credentials.",
    passThrough: true,
    options: {
      port: { type: "string", default: String(DEFAULT_PORT), valueName: "port", description: "TCP port to listen on" },
      ip: { type: "string", default: DEFAULT_HOST, valueName: "address", description: "address to listen on (the org URL uses it; 0.0.0.0 → 127.0.0.1)" },
      "persist-to": { type: "string", valueName: "dir", description: "where the local D1/KV state lives (default .wrangler/state)" },
      verbose: { type: "boolean", short: "v", description: "show wrangler's output and every seed step while starting" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port must be a TCP port (1–65535), not '${values.port}'`, { exitCode: 2 });
  const ip = values.ip;
  const url = `http://${hostOf(ip)}:${port}`;
  const verbose = values.verbose;

  await refuseTakenPort(ip, port, url);
  const { vars, notes } = ensureDevVars();
  for (const note of notes) console.log(note);

  console.log("Applying D1 migrations locally…");
  try {
    await applyMigrations({ persistTo: values["persist-to"], quiet: true });
  } catch (error) {
    throw new UsageError(`Applying the D1 migrations failed:\n${error.message}`);
  }

  const args = ["--ip", ip, "--port", String(port), "--var", `ORG_URL:${url}`, "--show-interactive-dev-session=false"];
  if (values["persist-to"]) args.push("--persist-to", values["persist-to"]);
  if (DEV_VARS !== `${ROOT}/.dev.vars`) args.push("--env-file", DEV_VARS);
  args.push(...rest);

  console.log(`Starting the worker on ${url}…`);
  let dev;
  try {
    dev = await startDev({ args, env: QUIET_WRANGLER_ENV, output: "capture" });
  } catch (error) {
    throw new UsageError(`The worker did not start: ${error.message}`);
  }

  // wrangler's own lines (one per request) are held back while seeding — shown with --verbose — and passed through afterwards.
  let passThrough = verbose;
  if (dev.child) {
    for (const stream of [dev.child.stdout, dev.child.stderr]) stream.on("data", (chunk) => passThrough && process.stdout.write(chunk));
  } else {
    // The lean runtime (Miniflare) hands its log lines over one by one.
    dev.onLine((line) => passThrough && console.log(line));
  }
  if (verbose) process.stdout.write(dev.logs());

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearOrgState();
    await dev.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // The lean runtime (Miniflare) ends the process on SIGINT from its own listener, which runs
  // before ours: the state file must go on any exit, or scripts would read a dead org.
  process.on("exit", () => clearOrgState());
  dev.exited.then((code) => {
    clearOrgState();
    if (!stopping) {
      console.error(`The worker stopped (exit ${code}).${passThrough ? "" : `\n${dev.logs().split("\n").slice(-20).join("\n")}`}`);
      process.exit(code || 1);
    }
  });

  const token = vars.BOOTSTRAP_API_TOKEN;
  console.log(verbose ? "Seeding demo data…" : "Seeding demo data (--verbose shows each step)…");
  const { summary, failures } = await runSeeds({ orgUrl: url, ssws: `SSWS ${token}`, verbose });

  writeOrgState({ url, apiToken: token, operatorToken: vars.OPERATOR_TOKEN, pid: process.pid, started: new Date().toISOString() });

  console.log(
    [
      "",
      failures ? `edgeorg is running (${failures} seed${failures > 1 ? "s" : ""} failed, see above).` : "edgeorg is running.",
      `  Org URL:        ${url}`,
      `  API token:      ${token}`,
      `  Operator token: ${vars.OPERATOR_TOKEN}  (npm run org -- --branch <name> makes more orgs)`,
      `  Recorded in ${relative(ROOT, STATE_FILE)} for npm run token / npm run org.`,
      ...summary.map((line) => `  ${line}`),
      "",
      `  curl -H "Authorization: SSWS ${token}" "${url}/api/v1/users?limit=5"`,
      "",
      "Ctrl-C stops it. Requests are logged below.",
      "",
    ].join("\n"),
  );
  passThrough = true;
}

run(main);
