import { Hono } from "hono";
import type { AppEnv } from "../platform/context";
import { jwksStats } from "./crypto/jwks";
import { clientStatusStats } from "./tokens/client-status";
import { revocationStats } from "./tokens/revocations";

/**
 * Operator-only counters of this isolate's reads of the verification
 * sources since it started (the benchmark reads them before and after a run
 * to print KV and D1 reads per verified request).
 */
export const oauthStatsRoutes = new Hono<AppEnv>();

oauthStatsRoutes.get("/_edgeorg/oauth/stats", (c) =>
  c.json({
    jwks: { kvReads: jwksStats.kvReads, d1Reads: jwksStats.d1Reads },
    revocations: { d1Reads: revocationStats.d1Reads },
    clientStatus: { d1Reads: clientStatusStats.d1Reads },
  }),
);
