import type { AppContext } from "../../platform/context";
import { authorizeEndpoint } from "../authorize/endpoint";
import type { AuthorizationServer } from "../server";
import { introspectEndpoint } from "./introspect";
import { keysEndpoint } from "./keys";
import { logoutEndpoint } from "./logout";
import { revokeEndpoint } from "./revoke";
import { tokenEndpoint } from "./token";
import { userinfoEndpoint } from "./userinfo";

/**
 * The endpoints every authorization server serves under its `/v1`, each
 * with the discovery field that advertises it. routes.ts mounts exactly
 * these for both server kinds and discovery.ts lists exactly these, so an
 * endpoint added here (authorize, userinfo, logout) is served and advertised
 * at once.
 */
export interface Endpoint {
  /** One method, or several (authorize, userinfo and logout take a GET query or a POST form). */
  method: "GET" | "POST" | ("GET" | "POST")[];
  /** Path under the server's `/v1`. */
  path: string;
  handle(c: AppContext, server: AuthorizationServer): Promise<Response>;
  /** The discovery field naming its URL. */
  metadata: string;
  /** Which client authentication methods it takes (advertised as `<metadata>_auth_methods_supported`). */
  clientAuth?: keyof AuthorizationServer["clientAuth"];
  /** A SPA calls it from the browser: answered with CORS (oauth/cors.ts), as discovery is. */
  cors?: true;
}

export const ENDPOINTS: readonly Endpoint[] = [
  { method: "POST", path: "/token", handle: tokenEndpoint, metadata: "token_endpoint", clientAuth: "token", cors: true },
  { method: "GET", path: "/keys", handle: keysEndpoint, metadata: "jwks_uri", cors: true },
  { method: "POST", path: "/introspect", handle: introspectEndpoint, metadata: "introspection_endpoint", clientAuth: "introspect", cors: true },
  { method: "POST", path: "/revoke", handle: revokeEndpoint, metadata: "revocation_endpoint", clientAuth: "revoke", cors: true },
  { method: ["GET", "POST"], path: "/userinfo", handle: userinfoEndpoint, metadata: "userinfo_endpoint", cors: true },
  { method: ["GET", "POST"], path: "/logout", handle: logoutEndpoint, metadata: "end_session_endpoint" },
  { method: ["GET", "POST"], path: "/authorize", handle: authorizeEndpoint, metadata: "authorization_endpoint" },
];
