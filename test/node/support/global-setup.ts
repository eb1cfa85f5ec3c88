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
    /**
     * A second, separate worker: the "real Okta" that proxy orgs of the first
     * stand in front of (test/node/proxy.test.ts). Same secrets, own storage.
     */
    upstreamWorkerUrl: string;
  }
}

/**
 * Starts one `wrangler dev` for the whole Node-side suite: migrations applied to
 * a temporary persist dir (never the developer's .wrangler/state), the fixed test
 * secrets (never .dev.vars), loopback only, a free port.
 */
export default async function setup(project: TestProject) {
  type Worker = { url: string; stop(): Promise<void> };
  const started = await Promise.allSettled<Worker>([
    startIsolatedWorker({ secrets: TEST_SECRETS, label: "edgeorg-node-tests" }),
    startIsolatedWorker({ secrets: TEST_SECRETS, label: "edgeorg-node-upstream" }),
  ]);
  const workers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const stopAll = () => Promise.all(workers.map((w) => w.stop())).then(() => {});
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  const [worker, upstream] = workers as [Worker, Worker];
  project.provide("orgUrl", worker.url);
  project.provide("apiToken", TEST_SECRETS.BOOTSTRAP_API_TOKEN);
  project.provide("operatorToken", TEST_SECRETS.OPERATOR_TOKEN);
  project.provide("upstreamWorkerUrl", upstream.url);
  return stopAll;
}
