import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../platform/context";
import { upstreamOf } from "./config";
import { edgeAccess } from "./edge-access";
import { outgoingRequest, relay, send } from "./forward";
import { servedAtEdge } from "./routing";
import { forgetUpstreamToken, upstreamAuthorization } from "./upstream-credential";

/**
 * A proxy org's step of the access pipeline, after org resolution and
 * failure injection (so faults and the request log apply to proxy orgs):
 * a forwarded route is checked at the edge (edge-access.ts) and answered by
 * the upstream; a route the proxy org serves itself (routing.ts), and every
 * route of a mock org, goes on through authentication to its handler.
 */
export const proxyOrgs: MiddlewareHandler<AppEnv> = async (c, next) => {
  const org = c.get("org");
  const row = c.get("route");
  if (!org || org.mode !== "proxy" || !row || servedAtEdge(row)) return next();
  const upstream = await upstreamOf(c.var.db, c.env, org.id);
  const forwarding = await edgeAccess(c, row, upstream);
  const outgoing = await outgoingRequest(c, upstream);
  let response: Response;
  if (forwarding.kind === "asIs") {
    response = await send(upstream, outgoing);
  } else {
    response = await send(upstream, outgoing, await upstreamAuthorization(upstream, forwarding.scope));
    // The upstream no longer takes the proxy's token (revoked, keys rotated): mint again, once.
    if (response.status === 401 && upstream.credential.kind === "privateKey") {
      await response.body?.cancel();
      forgetUpstreamToken(upstream, forwarding.scope);
      response = await send(upstream, outgoing, await upstreamAuthorization(upstream, forwarding.scope));
    }
  }
  // The upstream's request id is the one its support knows: the caller and the request log get it.
  const upstreamRequestId = response.headers.get("x-okta-request-id");
  if (upstreamRequestId) c.set("requestId", upstreamRequestId);
  return relay(response, upstream, org.url);
};
