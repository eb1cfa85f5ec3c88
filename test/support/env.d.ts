// Types of the test workers' env and exports (a script, not a module: it augments the global namespace).
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../../src/index");
  }
  interface Env {
    DB: D1Database;
    JWKS_CACHE: KVNamespace;
    ORG_URL?: string;
    PASSWORD_HASH_ITERATIONS?: string;
    BOOTSTRAP_API_TOKEN: string;
    OPERATOR_TOKEN: string;
    KEY_ENCRYPTION_SECRET: string;
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Fuzz suite knobs (vitest.config.ts). */
    CI: string;
    FUZZ_RUNS: string;
    FUZZ_SEED: string;
    FUZZ_PATH: string;
  }
}
