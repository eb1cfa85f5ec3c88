/**
 * Bodies of `POST /api/v1/apps` for OIDC apps with a client secret. No
 * imports, so the workerd tests and the Node-side suite share them.
 */

/** A web app (authorization_code + refresh_token); `oauthClient` overrides its settings.oauthClient fields. */
export function oidcAppBody(label: string, oauthClient: Record<string, unknown> = {}) {
  return {
    name: "oidc_client",
    label,
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic" } },
    settings: {
      oauthClient: {
        application_type: "web",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: ["https://app.example.com/callback"],
        ...oauthClient,
      },
    },
  };
}

/**
 * A native app with the password and refresh_token grants (native apps must
 * have authorization_code too): what every user-token test signs users in through.
 */
export function nativeAppBody(label: string, oauthClient: Record<string, unknown> = {}) {
  return oidcAppBody(label, {
    application_type: "native",
    grant_types: ["authorization_code", "password", "refresh_token"],
    redirect_uris: ["com.example.app:/callback"],
    ...oauthClient,
  });
}
