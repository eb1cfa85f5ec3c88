import { env } from "cloudflare:test";

/**
 * What an org holds: per table, its row count and a hash of its rows' content
 * (every column, rows in a stable order). Read straight from D1 — this is the
 * one place a test is about the tables themselves: a refused write must leave
 * every one of them as it was.
 */
export type Snapshot = Record<string, { rows: number; hash: string }>;

/**
 * Tables a refused request writes to by design: every request is logged, and a
 * refused sign-in counts towards the lockout (REFERENCE-SIGNIN §2.8).
 */
const WRITTEN_BY_REFUSALS = new Set(["request_log", "password_failures"]);

let tables: { name: string; where: string }[] | undefined;

async function orgTables(): Promise<{ name: string; where: string }[]> {
  if (tables) return tables;
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name",
  ).all<{ name: string }>();
  const found: { name: string; where: string }[] = [];
  for (const { name } of results) {
    if (WRITTEN_BY_REFUSALS.has(name)) continue;
    const columns = await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>();
    const names = columns.results.map((c) => c.name);
    if (names.includes("org_id")) found.push({ name, where: "org_id = ?1" });
    else if (name === "orgs") found.push({ name, where: "id = ?1" });
  }
  tables = found;
  return found;
}

/** FNV-1a over the rows' JSON: cheap, and any changed byte changes it. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16);
}

/** Every table of the org in one D1 batch (one round trip). */
export async function snapshot(orgId: string): Promise<Snapshot> {
  const list = await orgTables();
  const results = await env.DB.batch(list.map((t) => env.DB.prepare(`SELECT * FROM "${t.name}" WHERE ${t.where} ORDER BY rowid`).bind(orgId)));
  const out: Snapshot = {};
  list.forEach((t, i) => {
    const rows = results[i]!.results;
    out[t.name] = { rows: rows.length, hash: fnv1a(JSON.stringify(rows)) };
  });
  return out;
}

/** Tables whose count or content differ, "table: rows a → b". */
export function differences(before: Snapshot, after: Snapshot): string[] {
  return Object.keys(before)
    .filter((name) => before[name]!.hash !== after[name]!.hash || before[name]!.rows !== after[name]!.rows)
    .map((name) => `${name}: ${before[name]!.rows} rows → ${after[name]!.rows}${before[name]!.rows === after[name]!.rows ? " (content changed)" : ""}`);
}
