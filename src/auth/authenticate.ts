import type { AppContext } from "../platform/context";
import { Errors } from "../platform/errors";
import { sha256Hex } from "../platform/ids";
import { findApiToken } from "../orgs/api-tokens";
import type { Principal } from "./principal";
import { verifyAccessTokenRequest } from "./access-token";

/**
 * Reads the request's credential once and turns it into a principal
 * (REFERENCE §6.5): SSWS API tokens, Bearer and DPoP access tokens. No
 * credential, or a scheme Okta does not know, is treated by Okta as a
 * cookie-session request without a session: 403 E0000005.
 */
export async function authenticate(c: AppContext, requiredScope: string): Promise<Principal> {
  const authorization = c.req.header("authorization");
  if (!authorization) throw Errors.invalidSession();
  const space = authorization.indexOf(" ");
  const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
  const credential = space < 0 ? "" : authorization.slice(space + 1).trim();

  if (scheme === "ssws") return authenticateApiToken(c, credential);
  if (scheme === "bearer" || scheme === "dpop") {
    return verifyAccessTokenRequest(c, scheme === "dpop" ? "DPoP" : "Bearer", credential, requiredScope);
  }
  throw Errors.invalidSession();
}

async function authenticateApiToken(c: AppContext, token: string): Promise<Principal> {
  const org = c.var.org;
  if (token) {
    // The default org's bootstrap token is a secret, not a row: compare digests so timing says nothing.
    const bootstrap = c.env.BOOTSTRAP_API_TOKEN;
    if (org.slug === "default" && bootstrap && (await sha256Hex(token)) === (await sha256Hex(bootstrap))) {
      return { kind: "apiToken", userId: org.adminUserId };
    }
    const found = await findApiToken(c.var.db, org.id, token);
    if (found) return { kind: "apiToken", userId: found.userId, tokenId: found.id };
  }
  throw Errors.invalidToken();
}
