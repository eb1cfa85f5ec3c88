import { Hono } from "hono";
import type { AppContext, AppEnv } from "../platform/context";
import { orgClientCredentials } from "./grants/client-credentials";
import { handleIntrospect, type TokenIssuer } from "./introspect";
import { ORG_KEY_SET, jwksStats } from "./jwks";
import { publishedJwks } from "./keys";
import { handleRevoke } from "./revoke";
import { revocationStats } from "./revocations";
import { clientStatusStats } from "./client-status";
import { handleTokenRequest } from "./token-endpoint";

/**
 * The org authorization server's token-serving endpoints (REFERENCE §6).
 * They are PUBLIC rows of the scope table: each authenticates the client
 * itself.
 */
export const oauthRoutes = new Hono<AppEnv>();

/**
 * The JWKS may be cached for an hour: the key that will sign after the next
 * rotation is published (as NEXT) long before it signs, and a rotated-out
 * key stays published until its tokens have expired, so a copy up to an
 * hour old verifies every live token unless two rotations happen within
 * that hour — and verifiers refetch on an unknown kid anyway.
 */
export const JWKS_CACHE_CONTROL = "public, max-age=3600, must-revalidate";

export const orgIssuer = (c: AppContext): TokenIssuer => ({
  issuer: c.var.org.url,
  audience: c.var.org.url,
  keys: { orgId: c.var.org.id, keySet: ORG_KEY_SET },
});

oauthRoutes.post("/oauth2/v1/token", (c) => handleTokenRequest(c, { grants: { client_credentials: orgClientCredentials } }));

oauthRoutes.get("/oauth2/v1/keys", async (c) => {
  const jwks = await publishedJwks(c.var.db, c.env, { orgId: c.var.org.id, keySet: ORG_KEY_SET });
  return c.json(jwks, 200, { "Cache-Control": JWKS_CACHE_CONTROL });
});

oauthRoutes.post("/oauth2/v1/introspect", (c) => handleIntrospect(c, orgIssuer(c)));
oauthRoutes.post("/oauth2/v1/revoke", (c) => handleRevoke(c, orgIssuer(c)));

/**
 * Operator-only counters of this isolate's reads of the verification
 * sources since it started (the benchmark reads them before and after a run
 * to print KV and D1 reads per verified request).
 */
oauthRoutes.get("/_edgeorg/oauth/stats", (c) =>
  c.json({
    jwks: { kvReads: jwksStats.kvReads, d1Reads: jwksStats.d1Reads },
    revocations: { d1Reads: revocationStats.d1Reads },
    clientStatus: { d1Reads: clientStatusStats.d1Reads },
  }),
);
