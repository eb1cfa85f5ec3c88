import type { OAuthClient } from "../../apps/service";
import { failure } from "../failure";
import type { AuthorizationServer, OAuthFailure } from "../server";

/**
 * Which of the requested scopes a user grant gets (REFERENCE-SIGNIN §4.5,
 * §7.1), for /authorize and the /token user grants alike, both server kinds:
 * what differs is the server's scope catalog.
 *
 * - No scope requested: the server's default scopes, or invalid_scope.
 * - A scope the server does not know: invalid_scope (the org server knows
 *   the OpenID Connect scopes and Okta's own; a custom server its scopes).
 * - OpenID Connect claim scopes without `openid`: invalid_scope.
 * - Scopes granted per app (the org server's okta.* grants): the ones the
 *   app was not granted are dropped silently; none left → consent_required.
 */
export interface UserScopeGrant {
  ok: true;
  scopes: string[];
  /** The granted scopes a user may be asked to consent to (§4.6), with how: see scopesToPrompt. */
  consent: { scope: string; consent: "REQUIRED" | "FLEXIBLE"; optional: boolean }[];
}

/** The OpenID Connect scopes that ask for claims about the user, and need `openid` with them. */
const CLAIM_SCOPES = new Set(["profile", "email", "address", "phone", "groups"]);

export const NOT_CONFIGURED = "One or more scopes are not configured for the authorization server resource.";

export async function decideUserScopes(
  server: AuthorizationServer,
  client: OAuthClient,
  requested: readonly string[],
): Promise<UserScopeGrant | OAuthFailure> {
  const catalog = server.scopes;
  let scopes = [...new Set(requested)];
  if (!scopes.length) {
    scopes = [...catalog.defaults];
    if (!scopes.length) return failure("invalid_scope", catalog.noScopeRequested);
  }
  if (scopes.some((s) => !catalog.isDefined(s) && !catalog.isOidc(s))) return failure("invalid_scope", NOT_CONFIGURED);
  if (!scopes.includes("openid") && scopes.some((s) => CLAIM_SCOPES.has(s) && catalog.isOidc(s))) {
    return failure("invalid_scope", "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.");
  }
  if (catalog.granted) {
    const granted = await catalog.granted(client);
    scopes = scopes.filter((s) => catalog.isOidc(s) || granted.has(s));
    if (!scopes.length) return failure("consent_required", "You are not allowed any of the requested scopes.");
  }
  const consent: UserScopeGrant["consent"] = [];
  for (const scope of scopes) {
    const how = catalog.consentOf(scope);
    if (how.consent !== "IMPLICIT") consent.push({ scope, consent: how.consent, optional: how.optional });
  }
  return { ok: true, scopes, consent };
}

/**
 * The scopes to show on the consent page (§4.6 table), before leaving out
 * those the user already consented to (the caller knows): with
 * `prompt=consent` every REQUIRED/FLEXIBLE scope; otherwise only for an app
 * whose consent_method is REQUIRED. Empty = no prompt.
 */
export function scopesToPrompt(grant: UserScopeGrant, consentMethod: "REQUIRED" | "TRUSTED", prompt?: string): string[] {
  if (prompt !== "consent" && consentMethod !== "REQUIRED") return [];
  return grant.consent.map((c) => c.scope);
}

/**
 * Grants that no user is present to consent for (the password grant, §4.6):
 * a scope that would be prompted for is refused.
 */
export function withoutConsentPrompt(grant: UserScopeGrant, consentMethod: "REQUIRED" | "TRUSTED"): UserScopeGrant | OAuthFailure {
  const asked = scopesToPrompt(grant, consentMethod);
  if (asked.length) return failure("consent_required", `The following scopes require user consent: [${asked.join(", ")}]`);
  return grant;
}
