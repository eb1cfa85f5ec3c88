import { findAppByClientId } from "../../apps/service";
import { isOriginOf } from "../../apps/redirect-origins";
import type { OAuthClient } from "../../apps/service";
import type { AppContext } from "../../platform/context";
import { oauthError } from "../../platform/errors";

/** The user grants a browser app (a SPA, with CORS) may run at /token. */
const BROWSER_GRANTS = new Set(["authorization_code", "refresh_token"]);

/**
 * Okta's rules for a browser's request to /token (one with an `Origin`,
 * REFERENCE-SIGNIN §5.1): the code grant must carry a PKCE verifier, and the
 * origin must be the origin of one of the client's registered redirect URIs.
 * The catalog names the code grant only; a SPA's refresh with rotation comes
 * from the same origin, so the origin rule holds for refresh_token too (⚠).
 * Other grants are not browser flows and are left as they are.
 */
export async function checkBrowserRequest(c: AppContext, form: URLSearchParams, grantType: string, client: OAuthClient): Promise<void> {
  const origin = c.req.header("origin");
  if (!origin || !BROWSER_GRANTS.has(grantType)) return;
  if (grantType === "authorization_code" && !form.get("code_verifier")) {
    throw oauthError(401, "invalid_client", "Browser requests to the token endpoint must use Proof Key for Code Exchange.");
  }
  const app = await findAppByClientId(c.var.db, c.var.org.id, client.clientId);
  if (!app || !isOriginOf(origin, app.redirectUris)) {
    throw oauthError(400, "invalid_request", "Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.");
  }
}
