// Runs wrangler (migrations, dev server) for `npm start`, the Node-side test
// suite and the benchmarks. Plain Node ≥ 20 ESM, no dependencies.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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
 * Starts `wrangler dev` with the given extra arguments. Resolves once the worker
 * answers its health route, with { url, child, stop() }. `output` decides where
 * wrangler's own output goes: "inherit" (npm start), or "capture" (harnesses:
 * kept in `logs()` and shown only when start-up fails).
 */
export async function startDev({ args = [], env = {}, output = "inherit", timeoutMs = 90_000 } = {}) {
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
