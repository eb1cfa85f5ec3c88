import { findOAuthClient } from "../../apps/service";
import { SYSTEM_SCOPE_NAMES } from "../../authorization-servers/provision";
import { issuerOf } from "../../authorization-servers/schema";
import { cachedJwks, serverState, type ServerState } from "../../authorization-servers/server-state";
import { SERVER_TYPE } from "../../authorization-servers/servers";
import type { AppContext } from "../../platform/context";
import { notFound, oktaError } from "../../platform/errors";
import { ALL_CLIENT_AUTH_METHODS } from "../crypto/client-auth";
import { publishedJwks } from "../crypto/keys";
import type { AuthorizationServer } from "../server";
import { evaluateAccessPolicy } from "./access-policy";

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

/** The grants a custom server serves, in discovery's order. */
const SERVED_GRANT_TYPES = ["authorization_code", "implicit", "client_credentials", "password", "refresh_token"];

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
    grantTypes: SERVED_GRANT_TYPES,
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
        return { consent: scope?.consent ?? "IMPLICIT", optional: scope?.optional ?? false, displayName: scope?.displayName, description: scope?.description };
      },
      // The system scopes are always listed, whatever their metadataPublish says.
      published: [...published, ...SYSTEM_SCOPE_NAMES],
    },
    accessPolicy: (request) => evaluateAccessPolicy(state.policies, request, (name) => SYSTEM_SCOPE_NAMES.has(name)),
    claims: state.claims,
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
