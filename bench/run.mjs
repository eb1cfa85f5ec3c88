#!/usr/bin/env node
// `npm run bench [-- options]`: load-tests a worker on loopback with autocannon.
// By default it runs bench/calls.mjs (issue 15's calls against the ceiling, a
// few minutes); with --all, every bench/*.mjs module (except this one)
// exporting
//   async function bench({ orgUrl, apiToken, operatorToken, autocannon, report })
// in name order; see bench/README.md.
//
// Options:
//   --all                 run every module, not only calls
//   --url <orgUrl>        bench a running worker instead of starting a throw-away one
//   --token <apiToken>    its API token (default: BOOTSTRAP_API_TOKEN from .dev.vars)
//   --operator-token <t>  its operator token (default: OPERATOR_TOKEN from .dev.vars)
//   --duration <s>        seconds per case (default 5, at most 30)
//   --connections <n>     concurrent connections (default 10)
//   --warmup <s>          unrecorded warm-up run before each case (default 1; 0 for none)
//   --only <text>         run only modules or cases whose name contains <text>
//   --json <file>         also write the results as JSON
//   --peer <url>          also run bench/calls.mjs's calls against another Okta-compatible server
//   --peer-token <t>      its SSWS API token
import { randomBytes } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { DEV_VARS, readEnvFile, wantedSecrets } from "../scripts/lib/dev-vars.mjs";
import { argValue, startIsolatedWorker } from "../scripts/lib/worker.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const durationSeconds = Math.min(Number(argValue(args, "duration") ?? 5), 30);
const connections = Number(argValue(args, "connections") ?? 10);
const only = argValue(args, "only");
const warmupSeconds = Math.min(Number(argValue(args, "warmup") ?? 1), 10);

function assertLoopback(url) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) {
    throw new Error(`bench targets loopback only; ${url} is not (start the worker locally and pass its local URL)`);
  }
}

/** Collects rows for the final table; each module gets one bound to its name. */
function makeReport(moduleName, orgUrl, rows) {
  const selected = (caseName) => !only || moduleName.includes(only) || caseName.includes(only);
  const summarize = (caseName, result) => {
    const row = {
      module: moduleName,
      case: caseName,
      reqPerSec: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
    rows.push(row);
    if (row.non2xx || row.errors) {
      const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => `${code}×${count}`).join(" ");
      console.warn(`  ! ${caseName}: ${row.non2xx} non-2xx (${codes}), ${row.errors} errors/timeouts`);
    }
    return row;
  };
  return {
    /**
     * Runs one case: `request` is autocannon's options (`path` relative to the org
     * URL, or `url`; `method`, `headers`, `body`, `requests`, `setupClient`…).
     * Duration and connections come from the command line unless given.
     * Returns the row {reqPerSec, p50, p99, …}, or undefined when --only skips it.
     */
    async run(caseName, request = {}) {
      if (!selected(caseName)) return undefined;
      const { path = "/", url, ...rest } = request;
      const target = url ?? orgUrl + path;
      assertLoopback(target);
      console.log(`  ${moduleName} › ${caseName}`);
      // First requests pay for isolate start-up and cold caches; keep them out of the numbers.
      if (warmupSeconds > 0) await autocannon({ url: target, connections, ...rest, duration: warmupSeconds });
      const result = await autocannon({
        url: target,
        connections,
        ...rest,
        duration: Math.min(rest.duration ?? durationSeconds, 30),
      });
      return summarize(caseName, result);
    },
    /** Records a result of an autocannon run the module made itself. */
    record(caseName, result) {
      return summarize(caseName, result);
    },
    /** A derived figure to print under the table, e.g. ratio("users list / health", a.reqPerSec / b.reqPerSec). */
    ratio(label, value) {
      if (value !== undefined && Number.isFinite(value)) rows.push({ module: moduleName, ratio: label, value });
    },
    /**
     * A row of the comparison table: `ours` (a run's row) in req/s as a share of `base`'s,
     * against a target share (or, with `orAtLeast`, that many req/s); `of` names the base ("ceiling" unless given).
     */
    compare(caseName, { ours, base, target, of = "ceiling", orAtLeast }) {
      if (ours && base) rows.push({ module: moduleName, compare: caseName, ours: ours.reqPerSec, base: base.reqPerSec, of, target, orAtLeast });
    },
    selected,
    /** The command line's seconds per case and of warm-up, for modules that run autocannon themselves. */
    durationSeconds,
    warmupSeconds,
  };
}

function table(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log(`${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const cells of body) console.log(line(cells));
}

function printTable(rows, loads) {
  const cases = rows.filter((row) => row.case);
  const ratios = rows.filter((row) => row.ratio);
  const compared = rows.filter((row) => row.compare);
  console.log("");
  table(
    ["case", "req/s", "p50 ms", "p99 ms", "requests", "non-2xx", "errors"],
    cases.map((row) => [`${row.module} › ${row.case}`, row.reqPerSec.toFixed(0), String(row.p50), String(row.p99), String(row.requests), String(row.non2xx), String(row.errors)]),
  );
  if (compared.length) {
    console.log("");
    table(
      ["ratio (req/s over req/s, same run)", "ours", "of", "base", "ratio", "target", "met"],
      compared.map((row) => {
        const ratio = row.ours / row.base;
        const met = ratio >= row.target || (row.orAtLeast !== undefined && row.ours >= row.orAtLeast);
        const target = row.orAtLeast === undefined ? `≥ ${row.target}` : `≥ ${row.target} or ≥ ${row.orAtLeast}/s`;
        return [row.compare, row.ours.toFixed(0), row.of, row.base.toFixed(0), ratio.toFixed(2), target, met ? "yes" : "no"];
      }),
    );
  }
  if (ratios.length) {
    console.log("\nratios");
    for (const row of ratios) console.log(`  ${row.module} › ${row.ratio}: ${row.value.toFixed(2)}`);
  }
  const failed = cases.filter((row) => row.non2xx || row.errors);
  if (failed.length) console.log(`\n! ${failed.length} case(s) had non-2xx answers or errors: their figures do not measure the call`);
  console.log(`\n${durationSeconds} s per case after ${warmupSeconds} s warm-up, loopback (${process.env.EDGEORG_RUNTIME === "wrangler" ? "wrangler dev" : "workerd through Miniflare"}: relative costs, not production numbers).`);
  console.log(`Load average (1 min) on this ${loads.cores}-core machine: ${loads.start.toFixed(1)} at the start, ${loads.end.toFixed(1)} at the end.`);
}

async function main() {
  const loads = { start: loadavg()[0], end: 0, cores: availableParallelism() };
  let modules = readdirSync(here)
    .filter((file) => file.endsWith(".mjs") && file !== basename(fileURLToPath(import.meta.url)))
    .sort();
  if (!args.includes("--all") && !only) modules = modules.filter((file) => file === "calls.mjs");
  // --only naming a module runs that module alone (others would still arrange their data for nothing).
  if (only && modules.some((file) => file.includes(only))) modules = modules.filter((file) => file.includes(only));
  let orgUrl = argValue(args, "url");
  let apiToken = argValue(args, "token");
  let operatorToken = argValue(args, "operator-token");
  let worker;
  if (orgUrl) {
    orgUrl = orgUrl.replace(/\/$/, "");
    assertLoopback(orgUrl);
    const vars = readEnvFile(DEV_VARS);
    apiToken ??= vars.BOOTSTRAP_API_TOKEN;
    operatorToken ??= vars.OPERATOR_TOKEN;
  } else {
    const secrets = {
      BOOTSTRAP_API_TOKEN: randomBytes(24).toString("base64url"),
      OPERATOR_TOKEN: randomBytes(24).toString("base64url"),
      KEY_ENCRYPTION_SECRET: randomBytes(24).toString("base64url"),
    };
    // Later secrets listed in .dev.vars.example get a value too.
    for (const key of wantedSecrets()) secrets[key] ??= randomBytes(24).toString("base64url");
    console.log("Starting a throw-away worker (own persist dir, random secrets)…");
    worker = await startIsolatedWorker({ secrets, label: "edgeorg-bench", logLevel: "error" });
    orgUrl = worker.url;
    apiToken = secrets.BOOTSTRAP_API_TOKEN;
    operatorToken = secrets.OPERATOR_TOKEN;
  }
  const stop = async () => {
    if (worker) await worker.stop();
  };
  process.once("SIGINT", () => stop().then(() => process.exit(130)));

  const peerUrl = argValue(args, "peer");
  const peer = peerUrl ? { url: peerUrl.replace(/\/$/, ""), token: argValue(args, "peer-token") } : undefined;
  if (peer) assertLoopback(peer.url);
  const rows = [];
  try {
    console.log(`Benchmarking ${orgUrl}: ${modules.join(", ")}`);
    for (const file of modules) {
      const name = file.replace(/\.mjs$/, "");
      const { bench } = await import(pathToFileURL(join(here, file)).href);
      if (typeof bench !== "function") {
        console.warn(`  ! ${file} exports no bench function; skipped`);
        continue;
      }
      try {
        await bench({ orgUrl, apiToken, operatorToken, autocannon, report: makeReport(name, orgUrl, rows), peer });
      } catch (error) {
        console.error(`  ! ${name} failed: ${error.stack ?? error}`);
        process.exitCode = 1;
      }
    }
  } finally {
    await stop();
  }
  loads.end = loadavg()[0];
  printTable(rows, loads);
  const jsonFile = argValue(args, "json");
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ orgUrl, durationSeconds, connections, rows }, null, 2));
}

main().catch((error) => {
  console.error(error.stack ?? error);
  process.exit(1);
});
