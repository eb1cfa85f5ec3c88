import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Secrets the worker needs, fixed for tests (never used outside them).
export const TEST_SECRETS = {
  BOOTSTRAP_API_TOKEN: "test-bootstrap-api-token",
  OPERATOR_TOKEN: "test-operator-token",
  KEY_ENCRYPTION_SECRET: "test-key-encryption-secret",
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
              miniflare: { bindings: { ...TEST_SECRETS, TEST_MIGRATIONS: migrations, ...FUZZ_KNOBS } },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/node/**"],
            setupFiles: ["./test/support/setup.ts"],
          },
        },
        {
          // Real clients (Okta's Node SDK, jwt-verifier) against `wrangler dev`
          // started once by the global setup; see test/node/support/.
          test: {
            name: "node",
            environment: "node",
            include: ["test/node/**/*.test.ts"],
            globalSetup: ["./test/node/support/global-setup.ts"],
            testTimeout: 30_000,
          },
        },
      ],
    },
  };
});
