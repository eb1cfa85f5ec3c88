import type { AppContext } from "../platform/context";
import { Errors } from "../platform/errors";
import type { Principal } from "./principal";

/**
 * Verifies an access token presented to a management route. Until the org
 * authorization server mints tokens, no access token can be valid.
 */
export async function verifyAccessTokenRequest(
  c: AppContext,
  scheme: "Bearer" | "DPoP",
  token: string,
  requiredScope: string,
): Promise<Principal> {
  void token;
  throw Errors.invalidToken({ "WWW-Authenticate": bearerChallenge(c, scheme, requiredScope, "invalid_token", "The token is invalid.") });
}

/** The WWW-Authenticate challenge of REFERENCE §6.5. */
export function bearerChallenge(
  c: AppContext,
  scheme: "Bearer" | "DPoP",
  scope: string,
  error: string,
  description: string,
): string {
  const org = c.var.org.url;
  const algs = scheme === "DPoP" ? ' algs="RS256 RS384 RS512 ES256 ES384 ES512",' : "";
  return (
    `${scheme}${algs} authorization_uri="${org}/oauth2/v1/authorize", realm="${org}", scope="${scope}", ` +
    `error="${error}", error_description="${description}", resource="${new URL(c.req.url).pathname}"`
  );
}
