// The demo service client of OAuth for Okta, shared by `npm start`'s seed
// (scripts/seed/oauth.mjs) and `npm run token` (scripts/token.mjs): a
// service app with private_key_jwt and a generated RSA key, granted okta.*
// scopes, whose private JWK is kept in the git-ignored .edgeorg/ directory.
import { randomUUID } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from "jose";
import { ROOT } from "./worker.mjs";

export const DEMO_LABEL = "Demo service client";
/** EDGEORG_OAUTH_CLIENTS_FILE moves it (the Node-side tests use a temporary file). */
export const CLIENTS_FILE = process.env.EDGEORG_OAUTH_CLIENTS_FILE || join(ROOT, ".edgeorg", "oauth-clients.json");

/** Read and manage scopes of everything edgeorg serves. */
export const DEMO_SCOPES = [
  "okta.users.read",
  "okta.users.manage",
  "okta.groups.read",
  "okta.groups.manage",
  "okta.apps.read",
  "okta.apps.manage",
  "okta.appGrants.read",
  "okta.appGrants.manage",
  "okta.clients.read",
  "okta.clients.manage",
  "okta.clients.register",
  "okta.authorizationServers.read",
  "okta.authorizationServers.manage",
];

/**
 * The /api/v1/apps body of an OAuth-for-Okta service app: client_credentials
 * with private_key_jwt and one RS256 public key (REFERENCE §6.1).
 */
export function serviceAppBody({ label, publicJwk, kid, dpop = false }) {
  return {
    name: "oidc_client",
    label,
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { token_endpoint_auth_method: "private_key_jwt" } },
    settings: {
      oauthClient: {
        application_type: "service",
        grant_types: ["client_credentials"],
        response_types: ["token"],
        jwks: { keys: [{ ...publicJwk, kid, use: "sig", alg: "RS256" }] },
        dpop_bound_access_tokens: dpop,
      },
    },
  };
}

/** { "<org slug>": { clientId, privateJwk, scopes } }; "default" for the org at the root. */
export function readClients() {
  if (!existsSync(CLIENTS_FILE)) return {};
  return JSON.parse(readFileSync(CLIENTS_FILE, "utf8"));
}

export function saveClient(slug, entry) {
  mkdirSync(dirname(CLIENTS_FILE), { recursive: true });
  const all = readClients();
  all[slug] = entry;
  writeFileSync(CLIENTS_FILE, JSON.stringify(all, null, 2) + "\n", { mode: 0o600 });
  chmodSync(CLIENTS_FILE, 0o600);
}

/** `api.request(method, path, body)` as in scripts/seed/index.mjs. */
async function ok(reply, what) {
  if (reply.status < 200 || reply.status > 299) throw new Error(`${what} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/**
 * Grants each scope the app does not hold yet for this org URL (POST
 * /api/v1/apps/{id}/grants). A grant names its issuer, the org URL of the
 * day it was made; once the org answers on another URL (another port or
 * host) those grants no longer count, so they are revoked and granted again
 * for the current one. Otherwise the token endpoint says consent_required.
 */
export async function ensureGrants(api, appId, scopes) {
  const grants = await ok(await api.request("GET", `/api/v1/apps/${appId}/grants`), "listing grants");
  for (const stale of grants.filter((g) => g.issuer !== api.orgUrl)) {
    await ok(await api.request("DELETE", `/api/v1/apps/${appId}/grants/${stale.id}`), `revoking ${stale.scopeId} for ${stale.issuer}`);
  }
  const held = new Set(grants.filter((g) => g.issuer === api.orgUrl).map((g) => g.scopeId));
  for (const scopeId of scopes) {
    if (held.has(scopeId)) continue;
    await ok(await api.request("POST", `/api/v1/apps/${appId}/grants`, { scopeId, issuer: api.orgUrl }), `granting ${scopeId}`);
  }
}

/**
 * The org's demo service client: reused when the app and its key file both
 * exist; otherwise a fresh key and app (an app whose private key was lost is
 * deactivated and deleted first). Returns { entry, created }.
 */
export async function ensureDemoClient(api, slug, scopes = DEMO_SCOPES) {
  const saved = readClients()[slug];
  const found = await ok(await api.request("GET", `/api/v1/apps?q=${encodeURIComponent(DEMO_LABEL)}&limit=200`), "listing apps");
  const existing = found.filter((app) => app.label === DEMO_LABEL);
  const usable = saved && existing.find((app) => app.credentials.oauthClient.client_id === saved.clientId && app.status === "ACTIVE");
  if (usable) {
    await ensureGrants(api, usable.id, scopes);
    return { entry: saved, created: false };
  }
  for (const app of existing) {
    await api.request("POST", `/api/v1/apps/${app.id}/lifecycle/deactivate`);
    await api.request("DELETE", `/api/v1/apps/${app.id}`);
  }
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const app = await ok(
    await api.request("POST", "/api/v1/apps?activate=true", serviceAppBody({ label: DEMO_LABEL, publicJwk, kid })),
    `creating ${DEMO_LABEL}`,
  );
  await ensureGrants(api, app.id, scopes);
  const entry = { clientId: app.credentials.oauthClient.client_id, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256" }, scopes };
  saveClient(slug, entry);
  return { entry, created: true };
}

/** The client assertion the Okta SDK sends: iss = sub = client_id, aud = the token URL, 5 minutes, a jti. */
export async function clientAssertion(entry, tokenUrl) {
  const key = await importJWK(entry.privateJwk, "RS256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ aud: tokenUrl, jti: randomUUID() })
    .setProtectedHeader({ alg: "RS256", kid: entry.privateJwk.kid })
    .setIssuer(entry.clientId)
    .setSubject(entry.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(key);
}

/** POST {orgUrl}/oauth2/v1/token (client_credentials, private_key_jwt) → the token response body. */
export async function requestAccessToken(orgUrl, entry, scopes) {
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      scope: scopes.join(" "),
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await clientAssertion(entry, tokenUrl),
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${body.error ?? ""}: ${body.error_description ?? JSON.stringify(body)}`);
  return body;
}
