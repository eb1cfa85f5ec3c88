// The running local org, as `npm start` left it in the git-ignored
// .edgeorg/org.json: its URL and credentials. `npm run token`, `npm run org`
// and the README's snippets read it, so every command uses the URL the
// worker was started with instead of guessing one.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError, reach } from "./cli.mjs";
import { ROOT } from "./worker.mjs";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8787;
export const DEFAULT_ORG_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;

/** EDGEORG_STATE_FILE moves it (the Node-side tests use a temporary file). */
export const STATE_FILE = process.env.EDGEORG_STATE_FILE || join(ROOT, ".edgeorg", "org.json");

/** { url, apiToken, operatorToken, pid, started } or null. */
export function readOrgState() {
  if (!existsSync(STATE_FILE)) return null;
  try {
    return JSON.parse(readFileSync(STATE_FILE, "utf8"));
  } catch {
    return null;
  }
}

export function writeOrgState(state) {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  chmodSync(STATE_FILE, 0o600);
}

/** Removes the state file if it still describes the org this process started. */
export function clearOrgState(pid = process.pid) {
  if (readOrgState()?.pid === pid) rmSync(STATE_FILE, { force: true });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

const START_HINT = "Start one with `npm start` (or pass --url <org URL>).";

/**
 * The org a script should talk to: `url` when given, else the one `npm
 * start` recorded. Checks that it answers, and says what to do when it does
 * not (never a bare "fetch failed"). Returns { url, state } — state is the
 * recorded one when it describes that URL (it holds the credentials).
 */
export async function runningOrg({ url } = {}) {
  const state = readOrgState();
  const wanted = (url ?? state?.url)?.replace(/\/+$/, "");
  if (!wanted) throw new UsageError(`No local org is running (no ${relativeState()}). ${START_HINT}`);
  if (!url && state && !alive(state.pid)) {
    throw new UsageError(`The org recorded in ${relativeState()} (${state.url}, npm start pid ${state.pid}) is no longer running. ${START_HINT}`);
  }
  const hint = url ? "Is the URL right, and is the worker running?" : `It was recorded in ${relativeState()} by npm start. ${START_HINT}`;
  const health = await reach(`${wanted}/_edgeorg/health`, { signal: AbortSignal.timeout(10_000) }, hint);
  if (!health.ok) throw new UsageError(`${wanted} answered ${health.status} to /_edgeorg/health: is it an edgeorg worker? ${hint}`);
  return { url: wanted, state: state?.url === wanted ? state : null };
}

function relativeState() {
  return STATE_FILE.startsWith(ROOT + "/") ? STATE_FILE.slice(ROOT.length + 1) : STATE_FILE;
}
