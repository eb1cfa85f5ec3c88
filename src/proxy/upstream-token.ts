import { verifyAccessToken, type VerifyResult } from "../oauth/tokens/access-token";
import type { PublicJwk } from "../oauth/crypto/jwks";
import type { Db } from "../platform/context";
import type { Upstream } from "./config";

/**
 * Access tokens the upstream org's authorization server issued, verified at
 * the edge before a pass-through request spends the upstream's rate limit:
 * RS256 against the upstream's JWKS, iss and aud = the upstream org URL (an
 * org authorization server's tokens, REFERENCE §6.4), exp. The JWKS comes
 * through the same cache as our own keys (oauth/crypto/jwks.ts): isolate
 * memory, then KV under `jwks:<org id>:upstream`, then one GET of the
 * upstream's /oauth2/v1/keys; an unknown kid refetches at most once per
 * cooldown, so a flood of forged kids costs the upstream one call a window.
 */
export const UPSTREAM_KEY_SET = "upstream";

/** Upstream JWKS fetches, for tests and the benchmark (a count, never the keys). */
export const upstreamJwksStats = { fetches: 0 };

export function verifyUpstreamToken(token: string, upstream: Upstream, db: Db, kv: KVNamespace): Promise<VerifyResult> {
  return verifyAccessToken(token, {
    issuer: upstream.url,
    audience: upstream.url,
    keys: { orgId: upstream.orgId, keySet: UPSTREAM_KEY_SET },
    db,
    kv,
    source: () => fetchUpstreamJwks(upstream),
  });
}

async function fetchUpstreamJwks(upstream: Upstream): Promise<PublicJwk[]> {
  upstreamJwksStats.fetches++;
  try {
    const response = await fetch(`${upstream.url}/oauth2/v1/keys`, {
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(upstream.timeoutMs),
    });
    if (!response.ok) return [];
    const body = await response.json<{ keys?: unknown }>();
    if (!Array.isArray(body.keys)) return [];
    return body.keys.filter((k): k is PublicJwk => typeof k === "object" && k !== null && typeof (k as PublicJwk).kid === "string");
  } catch {
    // Unreachable upstream: no key, so the token is refused as one with an unknown kid.
    return [];
  }
}
