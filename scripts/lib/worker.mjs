// Runs the worker (workerd through Miniflare, or `wrangler dev`) and wrangler's
// local D1 commands for `npm start`, the Node-side test suite and the
// benchmarks. Plain Node ≥ 22 ESM; miniflare and wrangler are dev dependencies.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/**
 * The Node binary to run wrangler with: this one if it is new enough, else the
 * one the `node` devDependency installs (npm scripts put it first on PATH, but
 * a script started by hand with an older system Node would not have it).
 */
export function nodeForWrangler() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  const bundled = join(ROOT, "node_modules/node/bin/node");
  if (existsSync(bundled)) return bundled;
  throw new Error(`wrangler needs Node ≥ 22.12 (this is ${process.version}); run through npm (npm start / npm test), which uses the node devDependency`);
}

/** Runs a wrangler command to completion; rejects with its output when it fails. */
export function wrangler(args, { env = {}, quiet = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(nodeForWrangler(), [WRANGLER, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (stream, target) =>
      stream.on("data", (chunk) => {
        output += chunk;
        if (!quiet) target.write(chunk);
      });
    collect(child.stdout, process.stdout);
    collect(child.stderr, process.stderr);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`wrangler ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

/** Applies drizzle/*.sql to the local D1 without prompting (wrangler confirms by itself when CI is set). */
export function applyMigrations({ persistTo, quiet = false } = {}) {
  const args = ["d1", "migrations", "apply", "DB", "--local"];
  if (persistTo) args.push("--persist-to", persistTo);
  return wrangler(args, { env: { CI: "true" }, quiet });
}

/** A TCP port nobody listens on right now (on the given host). */
export function freePort(host = "127.0.0.1") {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

/** Whether nothing listens on host:port right now. */
export function portIsFree(port, host = "127.0.0.1") {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolvePromise(false));
    server.listen(port, host, () => server.close(() => resolvePromise(true)));
  });
}

/** Reads `--name value` or `--name=value` from wrangler dev arguments. */
export function argValue(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return undefined;
}

/** Polls GET <url>/_edgeorg/health until it answers 200 (or the child dies, or time runs out). */
export async function waitForHealth(url, { timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}) before ${url} answered`);
    try {
      const response = await fetch(`${url}/_edgeorg/health`, { signal: AbortSignal.timeout(10_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/_edgeorg/health did not answer within ${timeoutMs} ms (last: ${last})`);
}

/**
 * Starts the org with the given `wrangler dev` arguments. Resolves once the
 * worker answers its health route, with { url, stop(), exited, logs() }.
 *
 * By default the worker runs straight in workerd through Miniflare's API
 * (see startLean): wrangler dev's proxy in front of workerd costs ~3 ms a
 * request. EDGEORG_RUNTIME=wrangler (`npm run dev`) runs `wrangler dev`
 * instead, for live reload; so do arguments the lean runtime does not know.
 * `output` decides where the runtime's own output goes: "inherit" (npm start),
 * or "capture" (harnesses: kept in `logs()`, shown only when start-up fails).
 */
export async function startDev({ args = [], env = {}, output = "inherit", timeoutMs = 90_000 } = {}) {
  const unknown = unknownLeanArgs(args);
  if (process.env.EDGEORG_RUNTIME === "wrangler" || unknown.length) {
    if (unknown.length && process.env.EDGEORG_RUNTIME !== "wrangler") {
      console.log(`(${unknown.join(" ")}: only wrangler dev knows this; running it instead of the lean runtime)`);
    }
    return startWranglerDev({ args, env, output, timeoutMs });
  }
  const ip = argValue(args, "ip");
  const persistTo = argValue(args, "persist-to");
  const envFile = argValue(args, "env-file") ?? join(ROOT, ".dev.vars");
  return startLean({
    host: ip === undefined || ip === "localhost" ? "127.0.0.1" : ip === "*" ? "0.0.0.0" : ip,
    port: Number(argValue(args, "port") ?? 8787),
    persistTo: persistTo ? resolve(ROOT, persistTo) : join(ROOT, ".wrangler/state"),
    // As wrangler: .dev.vars first, then each `--var KEY:VALUE` over it (npm start pins ORG_URL this way).
    secrets: { ...readEnvVars(resolve(ROOT, envFile)), ...cliVars(args) },
    logLevel: argValue(args, "log-level") ?? "info",
    output,
    timeoutMs,
  });
}

/** wrangler dev arguments the lean runtime reads (the rest only concern wrangler's own dev session). */
const LEAN_ARGS = new Set(["ip", "port", "persist-to", "env-file", "log-level", "var"]);
const LEAN_IGNORED = new Set(["inspector-port", "show-interactive-dev-session"]);

/** A dotenv file read as wrangler reads it (Node's parseEnv: inline comments, quotes); {} when absent. */
function readEnvVars(path) {
  return existsSync(path) ? parseEnv(readFileSync(path, "utf8")) : {};
}

/** wrangler dev's repeated `--var KEY:VALUE` arguments. */
function cliVars(args) {
  const vars = {};
  for (let i = 0; i < args.length; i++) {
    const value = args[i] === "--var" ? args[++i] : args[i].startsWith("--var=") ? args[i].slice(6) : undefined;
    const colon = value?.indexOf(":") ?? -1;
    if (colon > 0) vars[value.slice(0, colon)] = value.slice(colon + 1);
  }
  return vars;
}

function unknownLeanArgs(args) {
  const unknown = [];
  for (let i = 0; i < args.length; i++) {
    const match = /^--([^=]+)(=.*)?$/.exec(args[i]);
    if (!match) {
      unknown.push(args[i]);
      continue;
    }
    if (!LEAN_ARGS.has(match[1]) && !LEAN_IGNORED.has(match[1])) unknown.push(args[i]);
    if (!match[2]) i++;
  }
  return unknown;
}

/** `wrangler dev` with the given extra arguments (live reload, wrangler's proxy in front of workerd). */
async function startWranglerDev({ args, env, output, timeoutMs }) {
  const ip = argValue(args, "ip");
  const port = argValue(args, "port") ?? "8787";
  // A wildcard listener is reached through loopback; "localhost" stays as given.
  const host = !ip || ip === "localhost" ? "localhost" : ip === "0.0.0.0" || ip === "*" ? "127.0.0.1" : ip === "::" ? "[::1]" : ip.includes(":") ? `[${ip}]` : ip;
  const child = spawn(nodeForWrangler(), [WRANGLER, "dev", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: output === "inherit" ? ["inherit", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  let logs = "";
  if (output !== "inherit") {
    child.stdout.on("data", (chunk) => (logs += chunk));
    child.stderr.on("data", (chunk) => (logs += chunk));
  }
  const exited = new Promise((r) => child.once("exit", r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const url = `http://${host}:${port}`;
  try {
    await waitForHealth(url, { timeoutMs, child });
  } catch (error) {
    await stop();
    error.message += logs ? `\n--- wrangler dev output ---\n${logs}` : "";
    throw error;
  }
  return { url, child, stop, exited, logs: () => logs };
}

/**
 * The worker as `wrangler deploy` bundles it, in a folder of its own: the lean
 * runtime serves exactly the code that would be deployed. Built once per
 * process (the code does not change under a harness; `npm run dev` is the
 * way to pick up edits) and removed when the process exits.
 */
let bundle;
export function buildWorker() {
  bundle ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), "edgeorg-build-"));
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    await wrangler(["deploy", "--dry-run", "--outdir", outdir], { quiet: true, env: { WRANGLER_SEND_METRICS: "false" } });
    return join(outdir, "index.js");
  })().catch((error) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

const LOG_LEVELS = { none: 0, error: 1, warn: 2, info: 3, log: 3, debug: 4 };

/**
 * Serves a worker straight from workerd through Miniflare's API: no wrangler
 * dev proxy, no file watcher. `workerOptions` default to wrangler.toml's
 * bindings (the same D1 and KV ids, hence the same state files that
 * `wrangler d1 … --local --persist-to` reads), with `secrets` added as plain
 * bindings as wrangler does with .dev.vars. `scriptPath` defaults to the
 * bundle `wrangler deploy` would upload.
 */
export async function startLean({ host = "127.0.0.1", port = 0, persistTo, secrets = {}, logLevel = "warn", output = "capture", timeoutMs = 90_000, scriptPath, workerOptions } = {}) {
  const [{ Miniflare, Log, convertV4MiniflareOptions }, script] = await Promise.all([import("miniflare"), scriptPath ?? buildWorker()]);
  let options = workerOptions;
  if (!options) {
    const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
    // Only what wrangler.toml declares for this worker: module rules and the like concern wrangler's own bundling.
    const { compatibilityDate, compatibilityFlags, bindings, d1Databases, kvNamespaces, cronTriggers } =
      unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml")).workerOptions;
    options = { name: "edgeorg", compatibilityDate, compatibilityFlags, bindings, d1Databases, kvNamespaces, cronTriggers };
  }
  let logs = "";
  // Once a caller takes the lines (onLine), they go to it instead of being kept.
  let sink;
  class Captured extends Log {
    log(message) {
      if (sink) sink(message);
      else if (output === "inherit") console.log(message);
      else logs += message + "\n";
    }
  }
  // wrangler still speaks Miniflare's v4 option shape; Miniflare 5 converts it.
  const mf = new Miniflare(convertV4MiniflareOptions({
    workers: [
      {
        ...options,
        name: options.name ?? "edgeorg",
        modules: true,
        scriptPath: script,
        modulesRoot: dirname(script),
        bindings: { ...options.bindings, ...secrets },
      },
    ],
    host,
    port,
    // No network for the placeholder Request.cf object (Miniflare would fetch one from Cloudflare).
    cf: false,
    ...(persistTo ? { resourcePersistencePath: join(persistTo, "v3") } : {}),
    log: new Captured(LOG_LEVELS[logLevel] ?? 2),
  }));
  let exit;
  const exited = new Promise((r) => (exit = r));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await mf.dispose().catch(() => {});
    exit(0);
  };
  try {
    const ready = await mf.ready;
    const wildcard = ["0.0.0.0", "::", "*"].includes(host);
    const shown = wildcard ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
    const url = `http://${shown}:${ready.port}`;
    await waitForHealth(url, { timeoutMs });
    return { url, stop, exited, logs: () => logs, onLine: (fn) => (sink = fn) };
  } catch (error) {
    await stop();
    error.message += logs ? `\n--- workerd output ---\n${logs}` : "";
    throw error;
  }
}

/**
 * `wrangler dev` on loopback and free ports, with its state in `persistTo` and
 * its secrets from `envFile` only (never .wrangler/state or .dev.vars).
 */
export async function startDevOn({ persistTo, envFile, logLevel = "warn" }) {
  return startDev({
    args: [
      "--ip", "127.0.0.1",
      "--port", String(await freePort()),
      "--inspector-port", String(await freePort()),
      "--persist-to", persistTo,
      "--env-file", envFile,
      "--show-interactive-dev-session=false",
      "--log-level", logLevel,
    ],
    env: { WRANGLER_SEND_METRICS: "false" },
    output: "capture",
  });
}

/**
 * A throw-away worker for test suites and benchmarks: its own temporary persist
 * dir (never the developer's .wrangler/state), the given secrets (never
 * .dev.vars), loopback only, a free port. Resolves to { url, stop(), logs() }.
 */
export async function startIsolatedWorker({ secrets, label = "edgeorg", logLevel = "warn" }) {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const persistTo = join(dir, "state");
    const envFile = join(dir, "secrets.env");
    writeFileSync(envFile, Object.entries(secrets).map(([k, v]) => `${k}=${v}\n`).join(""));
    // The bundle is built while the migrations run (two wrangler processes at once).
    if (process.env.EDGEORG_RUNTIME !== "wrangler") buildWorker().catch(() => {});
    await applyMigrations({ persistTo, quiet: true });
    const dev = await startDevOn({ persistTo, envFile, logLevel });
    return {
      url: dev.url,
      logs: dev.logs,
      stop: async () => {
        await dev.stop();
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/**
 * The ceiling the benchmarks read our numbers against: a Worker that answers
 * 200 "ok" to everything and touches nothing, served the way `runtime` serves
 * the org ("lean": workerd through Miniflare; "wrangler": `wrangler dev`).
 */
export async function startDoNothingWorker({ runtime = process.env.EDGEORG_RUNTIME === "wrangler" ? "wrangler" : "lean" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "edgeorg-do-nothing-"));
  const scriptPath = join(dir, "do-nothing.mjs");
  writeFileSync(scriptPath, 'export default { fetch() { return new Response("ok"); } };\n');
  const compatibilityDate = /compatibility_date\s*=\s*"([^"]+)"/.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))[1];
  let worker;
  try {
    if (runtime === "wrangler") {
      const config = join(dir, "wrangler.toml");
      writeFileSync(config, `name = "do-nothing"\nmain = "do-nothing.mjs"\ncompatibility_date = "${compatibilityDate}"\n`);
      worker = await startWranglerDev({
        args: ["--config", config, "--ip", "127.0.0.1", "--port", String(await freePort()), "--inspector-port", String(await freePort()), "--persist-to", join(dir, "state"), "--show-interactive-dev-session=false", "--log-level", "error"],
        env: { WRANGLER_SEND_METRICS: "false" },
        output: "capture",
        timeoutMs: 90_000,
      });
    } else {
      worker = await startLean({ scriptPath, workerOptions: { name: "do-nothing", compatibilityDate }, logLevel: "error" });
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: worker.url,
    stop: async () => {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
