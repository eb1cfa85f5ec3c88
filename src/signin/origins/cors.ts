import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppContext, AppEnv } from "../../platform/context";
import type { Provisioner } from "../../orgs/provisioner";
import { resolveOrg } from "../../orgs/resolve";
import { isTrustedOrigin } from "./service";

/**
 * CORS as Okta answers it: `/api/v1/*` (the Authentication and Sessions APIs
 * included) for the org's ACTIVE trusted origins with the CORS scope, with
 * credentials (okta-auth-js sends the `sid` cookie to /sessions/me). An
 * origin that is not trusted gets no CORS headers, so the browser refuses
 * the response. A preflight has no route of its own; the org is resolved
 * here for it.
 */
async function trustedCorsOrigin(origin: string, c: AppContext, provisioners: readonly Provisioner[]): Promise<string | null> {
  if (!origin) return null;
  if (!c.var.org) {
    try {
      await resolveOrg(c, provisioners);
    } catch {
      return null;
    }
  }
  return (await isTrustedOrigin(c.var.db, c.var.org.id, origin, "CORS")) ? origin : null;
}

const OKTA_HEADERS = ["Accept", "Authorization", "Content-Type", "X-Okta-User-Agent-Extended", "X-Device-Fingerprint", "X-Requested-With", "DPoP"];

/** Made in app.ts with the org provisioners: a preflight may be the default org's first request. */
export const apiCors = (provisioners: readonly Provisioner[]): MiddlewareHandler<AppEnv> =>
  cors({
    origin: (origin, c) => trustedCorsOrigin(origin, c as AppContext, provisioners),
    allowMethods: ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
    allowHeaders: OKTA_HEADERS,
    exposeHeaders: ["Link", "X-Okta-Request-Id", "X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"],
    credentials: true,
    maxAge: 3600,
  });

/**
 * For the OAuth endpoints a SPA calls (discovery, keys, token, userinfo,
 * revoke, introspect; mounted by oauth/cors.ts): Okta answers them for any
 * origin its apps redirect to or trusts; this middleware allows trusted CORS
 * origins, and `extraOrigin` lets the engine add the origins of the apps'
 * redirect URIs.
 */
export function oauthCors(
  provisioners: readonly Provisioner[],
  extraOrigin?: (origin: string, c: AppContext) => Promise<boolean>,
): MiddlewareHandler<AppEnv> {
  return cors({
    origin: async (origin, c) => {
      const trusted = await trustedCorsOrigin(origin, c as AppContext, provisioners);
      if (trusted) return trusted;
      // No org (an unknown one): nothing of it is trusted.
      if (!origin || !extraOrigin || !(c as AppContext).var.org) return null;
      return (await extraOrigin(origin, c as AppContext)) ? origin : null;
    },
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: OKTA_HEADERS,
    exposeHeaders: ["WWW-Authenticate", "DPoP-Nonce"],
    credentials: true,
    maxAge: 3600,
  });
}
