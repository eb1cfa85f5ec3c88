// Runs the demo-data seeds against a running org, in a fixed order (later
// seeds may rely on earlier ones: groups on users, grants on apps…).
// Each module is optional: a namespace adds its file when it lands.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ORDER = ["users", "groups", "apps", "oauth", "authorization-servers"];

const here = dirname(fileURLToPath(import.meta.url));

/** The `api` object every seed receives. */
export function seedApi({ orgUrl, ssws, slug = "default", log = (line) => console.log(line) }) {
  return {
    orgUrl,
    ssws,
    /** The org's slug ("default" at the root): keys the demo client in .edgeorg/oauth-clients.json. */
    slug,
    async request(method, path, body) {
      const headers = { Accept: "application/json" };
      if (ssws) headers.Authorization = ssws;
      if (body !== undefined) headers["Content-Type"] = "application/json";
      const response = await fetch(path.startsWith("http") ? path : orgUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    log,
  };
}

/**
 * Runs every present seed module; returns { summary, failures }: the lines
 * they ask to print in the start-up summary, and how many failed. A failing
 * seed is reported in one line (its stack only with `verbose`) and the
 * others still run. Each seed's progress lines are printed only with `verbose`.
 */
export async function runSeeds({ orgUrl, ssws, slug, verbose = false }) {
  const summary = [];
  let failures = 0;
  for (const name of ORDER) {
    const file = join(here, `${name}.mjs`);
    if (!existsSync(file)) continue;
    const api = seedApi({ orgUrl, ssws, slug, log: verbose ? (line) => console.log(`[seed ${name}] ${line}`) : () => {} });
    try {
      const { seed } = await import(pathToFileURL(file).href);
      const result = await seed(api);
      if (typeof result === "string") summary.push(result);
      else if (Array.isArray(result)) summary.push(...result.filter((line) => typeof line === "string"));
    } catch (error) {
      failures++;
      console.error(`[seed ${name}] failed: ${verbose ? (error.stack ?? error) : error.message}`);
    }
  }
  return { summary, failures };
}
