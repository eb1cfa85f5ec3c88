import type { AppContext } from "../../platform/context";
import { readForm } from "../../platform/body";
import { oauthError } from "../../platform/errors";
import { authenticateClient, type ClientAuthMethod } from "../crypto/client-auth";
import { verifyAccessToken, type AccessTokenClaims } from "../tokens/access-token";
import type { AuthorizationServer } from "../server";

export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

/** The URL of the endpoint as the client addressed it: the org URL (with any /orgs/<slug> prefix) and the path. */
export function endpointUrl(c: AppContext): string {
  return c.var.org.url + new URL(c.req.url).pathname;
}

/**
 * The body of an OAuth endpoint (token, introspect, revoke): must be
 * application/x-www-form-urlencoded, and no parameter may be repeated
 * (RFC 6749 §3.1).
 */
export async function readOAuthForm(c: AppContext): Promise<URLSearchParams> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw oauthError(400, "invalid_request", "The request must be sent with Content-Type application/x-www-form-urlencoded.");
  }
  const form = await readForm(c.req.raw);
  const seen = new Set<string>();
  for (const key of form.keys()) {
    if (seen.has(key)) throw oauthError(400, "invalid_request", `The '${key}' parameter must not be repeated.`);
    seen.add(key);
  }
  return form;
}

/** The client-authenticated form of introspect and revoke: the calling client and the `token` parameter. */
export async function readTokenRequest(c: AppContext, allowed: readonly ClientAuthMethod[]) {
  const form = await readOAuthForm(c);
  const { client } = await authenticateClient(c.req.raw, form, {
    db: c.var.db,
    orgId: c.var.org.id,
    endpointUrl: endpointUrl(c),
    allowed,
  });
  const token = form.get("token");
  if (!token) throw oauthError(400, "invalid_request", "The `token` parameter is required.");
  return { client, token };
}

/** The claims of one of this server's access tokens, verified, or null. */
export async function verifyIssued(c: AppContext, server: AuthorizationServer, token: string): Promise<AccessTokenClaims | null> {
  const result = await verifyAccessToken(token, {
    issuer: server.issuer,
    audience: server.audience,
    keys: server.keys,
    db: c.var.db,
    kv: c.env.JWKS_CACHE,
  });
  return result.ok ? result.claims : null;
}
