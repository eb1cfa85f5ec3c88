import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Secrets the worker needs, fixed for tests (never used outside them).
export const TEST_SECRETS = {
  BOOTSTRAP_API_TOKEN: "test-bootstrap-api-token",
  OPERATOR_TOKEN: "test-operator-token",
  KEY_ENCRYPTION_SECRET: "test-key-encryption-secret",
};

/**
 * Drops vite's "Sourcemap … points to missing source files" warning: packages
 * the Node-side project inlines ship source maps without their sources.
 * (vitest replaces `customLogger`, so the resolved logger is wrapped.)
 */
const quietMissingSources = {
  name: "edgeorg:quiet-missing-sources",
  configResolved(config: { logger: { warnOnce(message: string, options?: unknown): void } }) {
    const warnOnce = config.logger.warnOnce.bind(config.logger);
    config.logger.warnOnce = (message, options) => {
      if (!/^Sourcemap for .* points to missing source files$/.test(message)) warnOnce(message, options);
    };
  },
};

// The fuzz suite's knobs (test/fuzz/api.test.ts): a fixed seed under CI, run count and replay.
const FUZZ_KNOBS = {
  CI: process.env.CI ?? "",
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
  FUZZ_SEED: process.env.FUZZ_SEED ?? "",
  FUZZ_PATH: process.env.FUZZ_PATH ?? "",
};

export default defineConfig(async () => {
  // Read on the Node side, applied inside workerd by test/support/setup.ts.
  const migrations = await readD1Migrations("./drizzle");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { ...TEST_SECRETS, TEST_MIGRATIONS: migrations, DEBUG_STORAGE_COUNTS: "true", ...FUZZ_KNOBS } },
            }),
          ],
          test: {
            name: "workers",
            // One workerd per vitest worker for every file it runs; test/support/setup.ts
            // gives each file fresh module state and empty storage.
            isolate: false,
            // RSA key generation and 1,000-row batches take seconds on a loaded shared 2-core
            // machine; a timeout is no assertion about speed (that is npm run bench's job).
            testTimeout: 20_000,
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**"],
            setupFiles: ["./test/support/setup.ts"],
          },
        },
        {
          plugins: [quietMissingSources],
          // Real clients (Okta's Node SDK, jwt-verifier) against `wrangler dev`
          // started once by the global setup; see test/node/support/.
          test: {
            name: "node",
            environment: "node",
            include: ["test/node/**/*.test.ts", "test/node/**/*.test.tsx"],
            globalSetup: ["./test/node/support/global-setup.ts"],
            testTimeout: 30_000,
            // Its dist imports JSON without `with { type: "json" }`, which Node refuses; vite's transform accepts it.
            server: { deps: { inline: ["@actions/workflow-parser"] } },
          },
        },
      ],
    },
  };
});
