import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM helper shared with npm start and the benchmarks (no type declarations)
import { startIsolatedWorker } from "../../../scripts/lib/worker.mjs";
import { TEST_SECRETS } from "../../../vitest.config";

declare module "vitest" {
  export interface ProvidedContext {
    /** The default org of the worker under test, e.g. http://127.0.0.1:41234 */
    orgUrl: string;
    /** The default org's API token (send as `SSWS <apiToken>`). */
    apiToken: string;
    /** Bearer token of the operator API (/_edgeorg/orgs). */
    operatorToken: string;
  }
}

/**
 * Starts one `wrangler dev` for the whole Node-side suite: migrations applied to
 * a temporary persist dir (never the developer's .wrangler/state), the fixed test
 * secrets (never .dev.vars), loopback only, a free port.
 */
export default async function setup(project: TestProject) {
  const worker: { url: string; stop(): Promise<void> } = await startIsolatedWorker({
    secrets: TEST_SECRETS,
    label: "edgeorg-node-tests",
  });
  project.provide("orgUrl", worker.url);
  project.provide("apiToken", TEST_SECRETS.BOOTSTRAP_API_TOKEN);
  project.provide("operatorToken", TEST_SECRETS.OPERATOR_TOKEN);
  return () => worker.stop();
}
