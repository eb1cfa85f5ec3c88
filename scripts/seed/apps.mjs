// Demo OIDC apps for `npm start` (the demo service client with an RSA key
// and its okta.* grants is oauth.mjs's): a web app (confidential,
// client_secret_basic) and a SPA (public client, PKCE, refresh tokens that
// rotate — the default for browser apps), both assigned to the Everyone
// group so every demo user may sign in to them, with redirect and
// post-logout URIs on localhost. Prints a ready authorize URL for the SPA
// with example PKCE values. Idempotent: apps are found by label.
import { createHash, randomBytes } from "node:crypto";
import { DEMO_PASSWORD } from "./users.mjs";

const WEB = {
  label: "Demo web app",
  authMethod: "client_secret_basic",
  settings: {
    application_type: "web",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    redirect_uris: ["http://localhost:3000/callback"],
    post_logout_redirect_uris: ["http://localhost:3000/"],
  },
};

export const SPA_REDIRECT_URI = "http://localhost:5173/login/callback";

const SPA = {
  label: "Demo SPA",
  authMethod: "none",
  settings: {
    application_type: "browser",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    redirect_uris: [SPA_REDIRECT_URI],
    post_logout_redirect_uris: ["http://localhost:5173/"],
  },
};

async function ok(reply, what) {
  if (reply.status < 200 || reply.status > 299) throw new Error(`${what} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** The app with this label, created when missing; `secret` only on creation (Okta shows it once). */
async function ensureApp(api, app, existing) {
  const found = existing.find((a) => a.label === app.label);
  if (found) return { app: found, secret: null };
  const created = await ok(
    await api.request("POST", "/api/v1/apps?activate=true", {
      name: "oidc_client",
      label: app.label,
      signOnMode: "OPENID_CONNECT",
      credentials: { oauthClient: { token_endpoint_auth_method: app.authMethod } },
      settings: { oauthClient: app.settings },
    }),
    `creating ${app.label}`,
  );
  return { app: created, secret: created.credentials.oauthClient.client_secret ?? null };
}

/** A PKCE pair (RFC 7636, S256) to paste: the verifier goes to /token, the challenge into the authorize URL. */
export function pkceExample() {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

export async function seed(api) {
  const existing = await ok(await api.request("GET", "/api/v1/apps?limit=200"), "listing apps");
  const web = await ensureApp(api, WEB, existing);
  const spa = await ensureApp(api, SPA, existing);

  const groups = await ok(await api.request("GET", "/api/v1/groups?q=Everyone"), "finding Everyone");
  const everyone = groups.find((g) => g.type === "BUILT_IN" && g.profile.name === "Everyone");
  if (!everyone) throw new Error("the Everyone group is missing");
  for (const { app } of [web, spa]) {
    await ok(await api.request("PUT", `/api/v1/apps/${app.id}/groups/${everyone.id}`, {}), `assigning Everyone to ${app.label}`);
  }
  api.log("Demo web app and Demo SPA assigned to Everyone");

  const webId = web.app.credentials.oauthClient.client_id;
  const spaId = spa.app.credentials.oauthClient.client_id;
  const { verifier, challenge } = pkceExample();
  const authorize = new URL(`${api.orgUrl}/oauth2/v1/authorize`);
  for (const [name, value] of Object.entries({
    client_id: spaId,
    response_type: "code",
    scope: "openid profile email offline_access",
    redirect_uri: SPA_REDIRECT_URI,
    state: "demo-state",
    nonce: "demo-nonce",
    code_challenge: challenge,
    code_challenge_method: "S256",
  })) {
    authorize.searchParams.set(name, value);
  }
  return [
    web.secret
      ? `${WEB.label}: client_id ${webId}, client_secret ${web.secret} (shown once)`
      : `${WEB.label}: client_id ${webId} (secret shown once at creation; new one: POST /oauth2/v1/clients/${webId}/lifecycle/newSecret)`,
    `${SPA.label}: client_id ${spaId} (public client, PKCE; both apps assigned to Everyone)`,
    `Sign in to the SPA as ada.lovelace@example.com / ${DEMO_PASSWORD}:`,
    `    ${authorize}`,
    `  then exchange the code from the redirect with code_verifier=${verifier}`,
  ];
}
