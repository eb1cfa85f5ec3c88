import { findOAuthClient, type OAuthClient } from "../../apps/service";
import { CLIENT_CLAIM, compile, type Expression as ClaimExpression } from "../../platform/okta-el";
import { SYSTEM_SCOPE_NAMES } from "../../authorization-servers/provision";
import { issuerOf, type ClaimRow } from "../../authorization-servers/schema";
import { cachedJwks, serverState, type ServerState } from "../../authorization-servers/server-state";
import { SERVER_TYPE } from "../../authorization-servers/servers";
import type { AppContext } from "../../platform/context";
import { notFound, oauthError, oktaError } from "../../platform/errors";
import { ALL_CLIENT_AUTH_METHODS } from "../crypto/client-auth";
import { publishedJwks } from "../crypto/keys";
import type { AuthorizationServer } from "../server";

/**
 * A custom authorization server, /oauth2/{authServerId} (REFERENCE
 * §5.8–§5.10), from its state kept by the management API
 * (authorization-servers/server-state.ts). An INACTIVE server answers every
 * endpoint like an unknown one: 404 E0000007. Its tokens no longer
 * introspect, and verifiers that fetch its keys get nothing to trust.
 */
export async function customServer(c: AppContext): Promise<AuthorizationServer> {
  const id = c.req.param("authServerId")!;
  const state = await serverState(c.var.db, c.var.org.id, id);
  if (!state || state.server.status !== "ACTIVE") throw notFound(id, SERVER_TYPE);
  return customServerOf(c, state);
}

const POLICY_FAILED = "Policy evaluation failed for this request, please check the policy configurations.";

function customServerOf(c: AppContext, state: ServerState): AuthorizationServer {
  const { server } = state;
  const issuer = issuerOf(c.var.org.url, server.id);
  const keys = { orgId: server.orgId, keySet: server.id };
  const byName = new Map(state.scopes.map((s) => [s.name, s]));
  const published = state.scopes.filter((s) => !s.system && s.metadataPublish === "ALL_CLIENTS").map((s) => s.name).sort();
  return {
    id: server.id,
    name: server.name,
    issuer,
    audience: server.audiences[0]!,
    endpointBase: `${issuer}/v1`,
    registrationEndpoint: `${c.var.org.url}/oauth2/v1/clients`,
    keys,
    grantTypes: ["authorization_code", "implicit", "client_credentials"],
    clientAuth: { token: ALL_CLIENT_AUTH_METHODS, introspect: ALL_CLIENT_AUTH_METHODS, revoke: ALL_CLIENT_AUTH_METHODS },
    scopes: {
      defaults: state.scopes.filter((s) => s.isDefault).map((s) => s.name),
      noScopeRequested: "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      isDefined: (name) => byName.has(name),
      isOidc: (name) => SYSTEM_SCOPE_NAMES.has(name),
      refusesSelfScopes: false,
      requiresConsent: (name) => byName.get(name)?.consent === "REQUIRED",
      consentOf: (name) => {
        const scope = byName.get(name);
        return scope && { consent: scope.consent, optional: scope.optional, displayName: scope.displayName, description: scope.description };
      },
      // The system scopes are always listed, whatever their metadataPublish says.
      published: [...published, ...SYSTEM_SCOPE_NAMES],
    },
    accessPolicy: (client, grantType, scopes) => {
      // The first policy that names the client decides alone (no fall-through to later policies).
      const match = state.policies.find(({ policy }) => policy.clients.includes("ALL_CLIENTS") || policy.clients.includes(client.clientId));
      if (!match) throw oauthError(400, "access_denied", POLICY_FAILED);
      const rule = match.rules.find(
        (r) =>
          r.conditions.grantTypes.include.includes(grantType) &&
          (r.conditions.scopes.include.includes("*") || scopes.every((s) => r.conditions.scopes.include.includes(s))),
      );
      if (!rule) throw oauthError(400, "access_denied", POLICY_FAILED);
      return { accessTokenLifetimeSeconds: rule.tokenActions.accessTokenLifetimeMinutes * 60 };
    },
    accessTokenClaims: (client, scopes) => resourceClaims(state.claims, scopes, client),
    recordsIssuedTokens: true,
    publishedJwks: () => cachedJwks(server.orgId, server.id, () => publishedJwks(c.var.db, c.env, keys)),
    checkDiscoveryRequest: async (ctx) => {
      const clientId = ctx.req.query("client_id");
      if (clientId !== undefined && !(await findOAuthClient(ctx.var.db, ctx.var.org.id, clientId))) {
        throw oktaError(400, "invalid_client", "Invalid value for `client_id` parameter");
      }
    },
  };
}

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
    expression = compile(claim.value, CLIENT_CLAIM);
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
    const value = expressionOf(claim).value({ attributes: { app: { clientId: client.clientId, profile: {} } } });
    if (value !== null) out[claim.name] = value;
  }
  return out;
}
