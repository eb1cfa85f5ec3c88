import { expect } from "vitest";
import { sswsRequest } from "./org";

/** The demo password of the users these helpers make. */
export const PASSWORD = "Tr0ub4dor&3x";

let n = 0;

/** An ACTIVE user with PASSWORD. */
export async function activeUser(org: { orgUrl: string; apiToken: string }) {
  n += 1;
  const login = `grace.${Date.now().toString(36)}${n}@example.com`;
  const reply = await sswsRequest(org, "POST", "/api/v1/users?activate=true", {
    profile: { login, email: login, firstName: "Grace", lastName: "Hopper" },
    credentials: { password: { value: PASSWORD } },
  });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as { id: string; profile: { login: string } };
}

/**
 * An OIDC app assigned to the user: a web app (client_secret_basic) or a
 * SPA (browser, none + PKCE), with the code flow, refresh tokens and the
 * given redirect URIs.
 */
export async function assignedApp(
  org: { orgUrl: string; apiToken: string },
  userId: string,
  options: { spa?: boolean; redirectUris: string[]; postLogoutRedirectUris?: string[] },
) {
  const reply = await sswsRequest(org, "POST", "/api/v1/apps", {
    name: "oidc_client",
    label: options.spa ? "Acme SPA" : "Acme Dashboard",
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { token_endpoint_auth_method: options.spa ? "none" : "client_secret_basic" } },
    settings: {
      oauthClient: {
        application_type: options.spa ? "browser" : "web",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
      },
    },
  });
  expect(reply.status, reply.text).toBe(200);
  const assigned = await sswsRequest(org, "POST", `/api/v1/apps/${reply.body.id}/users`, { id: userId });
  expect(assigned.status, assigned.text).toBe(200);
  const oauth = reply.body.credentials.oauthClient;
  return { id: reply.body.id as string, clientId: oauth.client_id as string, clientSecret: oauth.client_secret as string | undefined };
}

/** POST /api/v1/authn: the sessionToken of a primary authentication. */
export async function sessionTokenOf(orgUrl: string, username: string): Promise<string> {
  const response = await fetch(`${orgUrl}/api/v1/authn`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  const body = await response.json();
  expect(body.status).toBe("SUCCESS");
  return body.sessionToken;
}
