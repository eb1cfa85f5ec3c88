import { applyD1Migrations, env } from "cloudflare:test";
import { vi } from "vitest";

// The workers project runs with `isolate: false`: one workerd per vitest worker serves
// file after file (starting one per file cost about a second each). Every file still
// starts as if alone: fresh module state (each isolate cache in src/ is rebuilt on
// first use), an empty KV and a D1 rebuilt from the migrations (a file may have
// dropped a table on purpose).
vi.resetModules();
await emptyStorage();
// Applies drizzle/*.sql to this file's D1.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

async function emptyStorage() {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  if (results.length) {
    // Foreign keys are checked at commit, once every table is gone.
    await env.DB.batch([
      env.DB.prepare("PRAGMA defer_foreign_keys = on"),
      ...results.map(({ name }) => env.DB.prepare(`DROP TABLE "${name}"`)),
    ]);
  }
  let cursor: string | undefined;
  do {
    const page = await env.JWKS_CACHE.list({ cursor });
    await Promise.all(page.keys.map((key) => env.JWKS_CACHE.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}
