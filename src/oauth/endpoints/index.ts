import type { AppContext } from "../../platform/context";
import { authorizeEndpoint } from "../authorize/endpoint";
import type { AuthorizationServer } from "../server";
import { introspectEndpoint } from "./introspect";
import { keysEndpoint } from "./keys";
import { revokeEndpoint } from "./revoke";
import { tokenEndpoint } from "./token";

/**
 * The endpoints every authorization server serves under its `/v1`, each
 * with the discovery field that advertises it. routes.ts mounts exactly
 * these for both server kinds and discovery.ts lists exactly these, so an
 * endpoint added here (authorize, userinfo, logout) is served and advertised
 * at once.
 */
export interface Endpoint {
  /** One method, or several (authorize takes a GET query or a POST form). */
  method: "GET" | "POST" | ("GET" | "POST")[];
  /** Path under the server's `/v1`. */
  path: string;
  handle(c: AppContext, server: AuthorizationServer): Promise<Response>;
  /** The discovery field naming its URL. */
  metadata: string;
  /** Which client authentication methods it takes (advertised as `<metadata>_auth_methods_supported`). */
  clientAuth?: keyof AuthorizationServer["clientAuth"];
}

export const ENDPOINTS: readonly Endpoint[] = [
  { method: "POST", path: "/token", handle: tokenEndpoint, metadata: "token_endpoint", clientAuth: "token" },
  { method: "GET", path: "/keys", handle: keysEndpoint, metadata: "jwks_uri" },
  { method: "POST", path: "/introspect", handle: introspectEndpoint, metadata: "introspection_endpoint", clientAuth: "introspect" },
  { method: "POST", path: "/revoke", handle: revokeEndpoint, metadata: "revocation_endpoint", clientAuth: "revoke" },
  { method: ["GET", "POST"], path: "/authorize", handle: authorizeEndpoint, metadata: "authorization_endpoint" },
];
