/**
 * The body of `POST /api/v1/apps` for a native OIDC app with a client secret
 * and the password and refresh_token grants (native apps must have
 * authorization_code too): what every user-token test signs users in
 * through. No imports, so the workerd tests and the Node-side suite share it.
 */
export function nativeAppBody(label: string, oauthClient: Record<string, unknown> = {}) {
  return {
    name: "oidc_client",
    label,
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic" } },
    settings: {
      oauthClient: {
        application_type: "native",
        grant_types: ["authorization_code", "password", "refresh_token"],
        response_types: ["code"],
        redirect_uris: ["com.example.app:/callback"],
        ...oauthClient,
      },
    },
  };
}
