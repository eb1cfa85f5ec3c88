import type { AppContext } from "../../platform/context";
import type { AuthorizationServer } from "../server";

/**
 * The JWKS may be cached for an hour: the key that will sign after the next
 * rotation is published (as NEXT) long before it signs, and a rotated-out
 * key stays published until its tokens have expired, so a copy up to an
 * hour old verifies every live token unless two rotations happen within
 * that hour — and verifiers refetch on an unknown kid anyway.
 */
export const JWKS_CACHE_CONTROL = "public, max-age=3600, must-revalidate";

/** GET …/v1/keys: the server's published signing keys. */
export async function keysEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  return c.json(await server.publishedJwks(), 200, { "Cache-Control": JWKS_CACHE_CONTROL });
}
