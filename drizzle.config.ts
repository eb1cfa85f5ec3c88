import { defineConfig } from "drizzle-kit";

// Flat SQL files in drizzle/: wrangler applies them (migrations_dir) and the
// vitest setup reads them with readD1Migrations, which only reads flat files.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
});
