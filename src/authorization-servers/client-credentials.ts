import type { OAuthClient } from "../apps/service";
import { requestedScopes, requireGrantType } from "../oauth/grants/client-credentials";
import { signingKeyFor } from "../oauth/keys";
import type { GrantHandler } from "../oauth/token-endpoint";
import { mintAccessToken } from "../oauth/tokens";
import { oauthError } from "../platform/errors";
import { compileClaimExpression, type ClaimExpression } from "./claim-expression";
import { recordTokenStatements } from "./issued-tokens";
import { SYSTEM_SCOPE_NAMES } from "./provision";
import { issuerOf, type ClaimRow } from "./schema";
import type { ServerState } from "./server-state";

const POLICY_FAILED = "Policy evaluation failed for this request, please check the policy configurations.";

/**
 * Compiled claim expressions, per claim id and value: a claim is parsed once
 * per isolate, not once per token.
 */
const compiled = new Map<string, ClaimExpression>();

function expressionOf(claim: ClaimRow): ClaimExpression {
  const key = `${claim.id}\n${claim.value}`;
  let expression = compiled.get(key);
  if (!expression) {
    if (compiled.size > 10_000) compiled.clear();
    expression = compileClaimExpression(claim.value);
    compiled.set(key, expression);
  }
  return expression;
}

/**
 * RESOURCE claims whose conditions match the granted scopes. GROUPS claims
 * need a user, and client_credentials has none: they are left out, as are
 * expressions that evaluate to null.
 */
function resourceClaims(claims: ClaimRow[], granted: string[], client: OAuthClient): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const claim of claims) {
    if (claim.valueType !== "EXPRESSION") continue;
    if (claim.scopes.length && !claim.scopes.some((s) => granted.includes(s))) continue;
    const value = expressionOf(claim).evaluate({ app: { clientId: client.clientId, profile: {} } });
    if (value !== null) out[claim.name] = value;
  }
  return out;
}

/**
 * client_credentials at a custom server, in the order of REFERENCE §5.9:
 * grant type enabled for the client → scopes (defaults, defined, no OIDC,
 * no consent REQUIRED) → first ACTIVE policy naming the client → first
 * ACTIVE rule of it allowing the grant and every scope → mint with the
 * rule's lifetime, the server's audience and the matching claims.
 */
export function customClientCredentials(orgUrl: string, config: ServerState): GrantHandler {
  const { server } = config;
  return async (request) => {
    const { c, client } = request;
    requireGrantType(request, "client_credentials");

    let scopes = requestedScopes(request);
    const byName = new Map(config.scopes.map((s) => [s.name, s]));
    if (!scopes.length) {
      scopes = config.scopes.filter((s) => s.isDefault).map((s) => s.name);
      if (!scopes.length) {
        throw oauthError(
          400,
          "invalid_scope",
          "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
        );
      }
    } else if (scopes.some((s) => !byName.has(s))) {
      throw oauthError(400, "invalid_scope", "One or more scopes are not configured for the authorization server resource.");
    }
    if (scopes.some((s) => SYSTEM_SCOPE_NAMES.has(s))) {
      throw oauthError(400, "invalid_scope", "Cannot request 'openid' scopes using client credentials.");
    }
    const needConsent = scopes.filter((s) => byName.get(s)?.consent === "REQUIRED");
    if (needConsent.length) {
      throw oauthError(
        400,
        "consent_required",
        `The following scopes require user consent and cannot be granted for the client credentials grant type: [${needConsent.join(", ")}]`,
      );
    }

    // The first policy that names the client decides alone (no fall-through to later policies).
    const match = config.policies.find(({ policy }) => policy.clients.includes("ALL_CLIENTS") || policy.clients.includes(client.clientId));
    if (!match) throw oauthError(400, "access_denied", POLICY_FAILED);
    const rule = match.rules.find(
      (r) =>
        r.conditions.grantTypes.include.includes("client_credentials") &&
        (r.conditions.scopes.include.includes("*") || scopes.every((s) => r.conditions.scopes.include.includes(s))),
    );
    if (!rule) throw oauthError(400, "access_denied", POLICY_FAILED);

    const lifetimeSeconds = rule.tokenActions.accessTokenLifetimeMinutes * 60;
    const key = await signingKeyFor(c.var.db, c.env, { orgId: server.orgId, keySet: server.id });
    const { token, claims } = await mintAccessToken(key, {
      issuer: issuerOf(orgUrl, server.id),
      audience: server.audiences[0]!,
      subject: client.clientId,
      clientId: client.clientId,
      scopes,
      lifetimeSeconds,
      jkt: request.jkt,
      extraClaims: resourceClaims(config.claims, scopes, client),
    });
    await c.var.db.batch(
      recordTokenStatements(c.var.db, {
        orgId: server.orgId,
        authServerId: server.id,
        jti: claims.jti,
        clientId: client.clientId,
        scopes,
        iat: claims.iat,
        exp: claims.exp,
      }) as [ReturnType<typeof recordTokenStatements>[number], ...ReturnType<typeof recordTokenStatements>],
    );
    return {
      token_type: request.jkt ? "DPoP" : "Bearer",
      expires_in: lifetimeSeconds,
      access_token: token,
      scope: scopes.join(" "),
    };
  };
}
