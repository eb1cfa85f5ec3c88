import { applyD1Migrations, env } from "cloudflare:test";

// Applies drizzle/*.sql to this test file's D1 (skips those already applied).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
