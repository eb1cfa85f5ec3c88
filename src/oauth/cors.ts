import type { MiddlewareHandler } from "hono";
import { isRedirectUriOrigin } from "../apps/redirect-origins";
import type { Provisioner } from "../orgs/provisioner";
import type { AppEnv } from "../platform/context";
import { oauthCors } from "../signin/origins/cors";
import { DISCOVERY_DOCUMENTS } from "./endpoints/discovery";
import { ENDPOINTS } from "./endpoints";

/**
 * CORS on the OAuth endpoints a SPA calls from the browser (issue 11 item 8):
 * the endpoints marked `cors` in the registry and both discovery documents,
 * of the org server and of every custom server. Allowed origins: the org's
 * trusted origins with the CORS scope and the origins of the org's apps'
 * redirect URIs, as Okta does. `/authorize` and `/logout` are navigations,
 * and `/oauth2/v1/clients` is the management API (trusted origins only, as
 * `/api/v1`), so they are left out. Mounted before the access pipeline (as
 * the /api/v1 one is) so that every refusal carries the headers too.
 */
const paths = ENDPOINTS.filter((e) => e.cors).map((e) => e.path.slice(1));
const documents = DISCOVERY_DOCUMENTS.map((d) => d.replace(/[-]/g, "\\-"));
const CORS_PATH = new RegExp(
  `^(?:/oauth2/(?:v1|[^/]+/v1)/(?:${paths.join("|")})|(?:/oauth2/[^/]+)?/\\.well-known/(?:${documents.join("|")}))$`,
);

export function oauthEndpointCors(provisioners: readonly Provisioner[]): MiddlewareHandler<AppEnv> {
  const cors = oauthCors(provisioners, (origin, c) => isRedirectUriOrigin(c.var.db, c.var.org.id, origin));
  return (c, next) => (CORS_PATH.test(c.req.path) ? cors(c, next) : next());
}
