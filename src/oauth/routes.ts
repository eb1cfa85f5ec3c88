import { Hono } from "hono";
import type { AppEnv } from "../platform/context";
import { DISCOVERY_DOCUMENTS, discoveryEndpoint } from "./endpoints/discovery";
import { consentEndpoint } from "./authorize/endpoint";
import { ENDPOINTS } from "./endpoints";
import type { ServerResolver } from "./server";
import { customServer } from "./servers/custom";
import { orgServer } from "./servers/org";

/**
 * The same handlers for every authorization server: the org server at
 * /oauth2/v1/* (discovery at the org root) and each custom server at
 * /oauth2/{authServerId}/v1/* (discovery under /oauth2/{authServerId}). The
 * server is resolved once per request, inside the matched route, so an
 * unmatched path still gets the 404/405 handler. Every route is a PUBLIC
 * row of the route table: each endpoint authenticates its client itself.
 */
export const oauthRoutes = new Hono<AppEnv>();

function mount(endpointBase: string, discoveryBase: string, resolve: ServerResolver): void {
  for (const endpoint of ENDPOINTS) {
    oauthRoutes.on([endpoint.method].flat(), endpointBase + endpoint.path, async (c) => endpoint.handle(c, await resolve(c)));
  }
  // The consent page's form (REFERENCE-SIGNIN §4.6): an internal route, not advertised.
  oauthRoutes.post(`${endpointBase}/authorize/consent`, async (c) => consentEndpoint(c, await resolve(c)));
  for (const document of DISCOVERY_DOCUMENTS) {
    oauthRoutes.get(`${discoveryBase}/.well-known/${document}`, async (c) => discoveryEndpoint(c, await resolve(c), document));
  }
}

mount("/oauth2/v1", "", orgServer);
mount("/oauth2/:authServerId/v1", "/oauth2/:authServerId", customServer);
