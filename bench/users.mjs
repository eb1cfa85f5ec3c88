// Users at scale (issue 4): GET /users/{id}, search eq on email, search sw on
// last name (10 rows, and all rows sorted by last name), a 200-row page (first
// and deep), at 1k and at 100k users.
//
// Seeding 100k users through POST /api/v1/users would take a quarter of an hour
// on wrangler dev, so this module runs its OWN throw-away worker per size (own
// persist dir and secrets): it makes an org through the operator API, stops the
// worker, writes the users straight into that local D1 with
// `wrangler d1 execute --local --file` (generated SQL, the same columns the API
// writes; no group memberships, which none of the measured reads touch), starts
// the worker again and measures. The shared bench worker is not used.
// Sizes: BENCH_USER_SIZES (default "1000,100000").
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, startDevOn, wrangler } from "../scripts/lib/worker.mjs";
import { createBenchOrg } from "./lib/orgs.mjs";

const SIZES = (process.env.BENCH_USER_SIZES ?? "1000,100000").split(",").map(Number);
// D1 refuses statements over 100 kB (SQLITE_TOOBIG): a row is about 600 bytes.
const ROWS_PER_INSERT = 100;
const ROWS_PER_FILE = 20_000;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const pad = (i) => String(i).padStart(6, "0");
const sqlText = (v) => (v === null ? "NULL" : `'${String(v).replace(/'/g, "''")}'`);

function userId() {
  let id = "00u";
  for (const b of randomBytes(17)) id += BASE62[b % 62];
  return id;
}

/** The row the API would write for bench user i (lower-cased columns included). */
function row(orgId, typeId, i, id, now) {
  const login = `bench${pad(i)}@example.com`;
  const profile = { firstName: "Bench", lastName: `Benchx${pad(i)}`, email: login, login, department: i % 2 ? "Odd" : "Even" };
  const lower = Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, v.toLowerCase()]));
  return [
    orgId, id, "ACTIVE", typeId, JSON.stringify(profile), JSON.stringify(lower), login, login, login.split("@")[0],
    login, "bench", profile.lastName.toLowerCase(), now, now, now, null, now, null, null, null, null, "OKTA", "OKTA", 1,
  ];
}

const COLUMNS =
  "org_id, id, status, type_id, profile, profile_lower, login_normalized, login_lower, short_name_lower, email_lower, " +
  "first_name_lower, last_name_lower, created, activated, status_changed, last_login, last_updated, password_changed, " +
  "password, recovery_question, recovery_answer, provider_type, provider_name, version";

function startWorker(persistTo, envFile) {
  return startDevOn({ persistTo, envFile, logLevel: "error" });
}

/** EXPLAIN QUERY PLAN of the statements behind the measured cases (as drizzle writes them). */
function plannedQueries(orgId, sample) {
  const q = (s) => s.replace(/\s+/g, " ").trim();
  return {
    "GET /users/{id}": q(`SELECT * FROM users WHERE org_id = '${orgId}' AND id = '${sample.id}'`),
    "search eq email": q(`SELECT * FROM users WHERE (org_id = '${orgId}' AND email_lower = '${sample.email}') ORDER BY id ASC LIMIT 201`),
    "search sw lastName": q(`SELECT * FROM users WHERE (org_id = '${orgId}' AND (last_name_lower >= 'benchx00042' AND last_name_lower < 'benchx00043')) ORDER BY id ASC LIMIT 201`),
    "sorted search, every user matches": q(`SELECT * FROM users WHERE (org_id = '${orgId}' AND (last_name_lower >= 'benchx' AND last_name_lower < 'benchy')) ORDER BY last_name_lower ASC, id ASC LIMIT 201`),
    "page of 200": q(`SELECT * FROM users WHERE (org_id = '${orgId}' AND status <> 'DEPROVISIONED') ORDER BY id ASC LIMIT 201`),
    "deep page of 200": q(`SELECT * FROM users WHERE (org_id = '${orgId}' AND status <> 'DEPROVISIONED' AND id > '${sample.id}') ORDER BY id ASC LIMIT 201`),
  };
}

/**
 * A worker of its own holding `size` users in a fresh org: made through the
 * operator API, then filled by `wrangler d1 execute` while the worker is stopped.
 */
async function arrange(size) {
  const dir = mkdtempSync(join(tmpdir(), "edgeorg-bench-users-"));
  let dev;
  try {
    const persistTo = join(dir, "state");
    const envFile = join(dir, "secrets.env");
    const operatorToken = randomBytes(24).toString("base64url");
    const secrets = {
      BOOTSTRAP_API_TOKEN: randomBytes(24).toString("base64url"),
      OPERATOR_TOKEN: operatorToken,
      KEY_ENCRYPTION_SECRET: randomBytes(24).toString("base64url"),
    };
    writeFileSync(envFile, Object.entries(secrets).map(([k, v]) => `${k}=${v}\n`).join(""));
    await applyMigrations({ persistTo, quiet: true });

    dev = await startWorker(persistTo, envFile);
    const org = await createBenchOrg(dev.url, operatorToken, { slug: `bench-users-${size}` });
    const ssws = { authorization: `SSWS ${org.apiToken}`, accept: "application/json" };
    const me = await (await fetch(`${org.orgUrl}/api/v1/users/me`, { headers: ssws })).json();
    await dev.stop();
    dev = undefined;

    const started = performance.now();
    const now = new Date().toISOString();
    const ids = [];
    for (let file = 0; file * ROWS_PER_FILE < size; file++) {
      const lines = [];
      const end = Math.min(size, (file + 1) * ROWS_PER_FILE);
      for (let from = file * ROWS_PER_FILE; from < end; from += ROWS_PER_INSERT) {
        const values = [];
        for (let i = from; i < Math.min(end, from + ROWS_PER_INSERT); i++) {
          ids[i] = userId();
          values.push(`(${row(org.id, me.type.id, i, ids[i], now).map(sqlText).join(",")})`);
        }
        lines.push(`INSERT INTO users (${COLUMNS}) VALUES ${values.join(",\n")};`);
      }
      const path = join(dir, `users-${file}.sql`);
      writeFileSync(path, lines.join("\n"));
      await wrangler(["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", path], { env: { CI: "true" }, quiet: true });
    }
    console.log(`  users › ${size} users written in ${Math.round(performance.now() - started)} ms`);

    const sample = { id: ids[Math.floor(size / 2)], email: `bench${pad(500)}@example.com` };
    for (const [name, query] of Object.entries(plannedQueries(org.id, sample))) {
      const out = await wrangler(
        ["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", `EXPLAIN QUERY PLAN ${query}`],
        { env: { CI: "true" }, quiet: true },
      );
      const detail = JSON.parse(out.slice(out.indexOf("[")))[0].results.map((r) => r.detail).join(" | ");
      console.log(`  users › ${size} › plan ${name}: ${detail}`);
    }

    dev = await startWorker(persistTo, envFile);
    const base = dev.url + new URL(org.orgUrl).pathname;
    const check = await fetch(`${base}/api/v1/users?search=${encodeURIComponent(`profile.email eq "${sample.email}"`)}`, { headers: ssws });
    const found = await check.json();
    if (found.length !== 1) throw new Error(`seeded data not found: ${check.status} ${JSON.stringify(found).slice(0, 200)}`);
    const running = dev;
    return {
      size,
      label: size >= 1000 ? `${size / 1000}k` : String(size),
      base,
      ssws,
      sample,
      stop: async () => {
        await running.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (dev) await dev.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

const CASES = {
  get: (w) => [`GET /users/{id}`, `/api/v1/users/${w.sample.id}`],
  eq: (w) => [`search eq email`, `/api/v1/users?search=${encodeURIComponent(`profile.email eq "${w.sample.email}"`)}`],
  sw: () => [`search sw lastName (10 rows)`, `/api/v1/users?search=${encodeURIComponent('profile.lastName sw "benchx00042"')}`],
  sorted: () => [
    `search sw lastName sortBy lastName, all match, 200 rows`,
    `/api/v1/users?search=${encodeURIComponent('profile.lastName sw "benchx"')}&sortBy=profile.lastName&limit=200`,
  ],
  page: () => [`page of 200`, `/api/v1/users?limit=200`],
  deep: (w) => [`deep page of 200`, `/api/v1/users?limit=200&after=${w.sample.id}`],
};

export async function bench({ report }) {
  // Both sizes run side by side and their cases alternate, so that load from
  // elsewhere on the machine falls on both alike.
  const workers = [];
  try {
    for (const size of SIZES) workers.push(await arrange(size));
    const results = {};
    for (const [key, make] of Object.entries(CASES)) {
      for (const w of workers) {
        const [name, path] = make(w);
        results[w.size] ??= {};
        results[w.size][key] = await report.run(`${name} @${w.label}`, { url: w.base + path, headers: w.ssws });
      }
    }
    const [small, large] = SIZES;
    for (const key of Object.keys(CASES)) {
      const a = results[small]?.[key];
      const b = results[large]?.[key];
      if (a && b) report.ratio(`${key} p50 @${large} / @${small}`, b.p50 / a.p50);
    }
  } finally {
    for (const w of workers) await w.stop();
  }
}
