import { validationError } from "../platform/errors";
import type { Org } from "../platform/context";
import {
  readClientSettings,
  settingsProblems,
  suppliedCredentialProblems,
  type AppRow,
  type ClientSettings,
  type GrantRow,
} from "./service";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface AppRequest {
  settings: ClientSettings;
  clientId?: string;
  clientSecret?: string;
}

/**
 * An OIDC app body (POST/PUT /api/v1/apps): `name: oidc_client`,
 * `signOnMode: OPENID_CONNECT`, a label, and the client in
 * settings.oauthClient + credentials.oauthClient. Every problem → one
 * E0000001 cause.
 */
export async function readAppRequest(body: unknown, existing?: AppRow): Promise<AppRequest> {
  if (!isObject(body)) throw validationError(["body: The request body must be a JSON object"]);
  const problems: string[] = [];
  if (body.name !== "oidc_client") {
    problems.push(
      body.name === undefined || body.name === null
        ? "name: The field cannot be left blank"
        : `name: The app name '${String(body.name).slice(0, 100)}' is not supported; edgeorg serves 'oidc_client' apps only`,
    );
  }
  if (body.signOnMode !== "OPENID_CONNECT") {
    problems.push(
      body.signOnMode === undefined || body.signOnMode === null
        ? "signOnMode: The field cannot be left blank"
        : `signOnMode: The sign-on mode '${String(body.signOnMode).slice(0, 100)}' is not supported; expected 'OPENID_CONNECT'`,
    );
  }
  if (body.label === undefined || body.label === null || (typeof body.label === "string" && body.label.trim() === "")) {
    problems.push("label: The field cannot be left blank");
  } else if (typeof body.label !== "string") {
    problems.push("label: Must be a string");
  }
  const settingsClient = isObject(body.settings) && isObject(body.settings.oauthClient) ? body.settings.oauthClient : undefined;
  if (!settingsClient) problems.push("settings.oauthClient: The field cannot be left blank");
  const credentialsClient =
    isObject(body.credentials) && isObject(body.credentials.oauthClient) ? body.credentials.oauthClient : {};

  const source = { ...(settingsClient ?? {}), token_endpoint_auth_method: credentialsClient.token_endpoint_auth_method, pkce_required: credentialsClient.pkce_required };
  let label = typeof body.label === "string" ? body.label : "";
  if (label.length > 100) {
    problems.push("label: Must be at most 100 characters");
    label = label.slice(0, 100);
  }
  const settings = readClientSettings(source, { clientName: label, consentMethod: "TRUSTED", consentSettable: true }, problems);
  // A PUT that leaves consent_method out keeps the app's (DCR apps are REQUIRED).
  if (existing && settingsClient?.consent_method === undefined) {
    settings.consentMethod = existing.consentMethod as ClientSettings["consentMethod"];
  }

  let clientId: string | undefined;
  let clientSecret: string | undefined;
  const suppliedId = credentialsClient.client_id;
  const suppliedSecret = credentialsClient.client_secret;
  if (suppliedId !== undefined && suppliedId !== null) {
    if (typeof suppliedId !== "string") problems.push("client_id: Must be a string");
    else if (existing) {
      if (suppliedId !== existing.clientId) problems.push("client_id: The field is immutable and cannot be changed");
    } else clientId = suppliedId;
  }
  if (suppliedSecret !== undefined && suppliedSecret !== null) {
    if (typeof suppliedSecret !== "string") problems.push("client_secret: Must be a string");
    else clientSecret = suppliedSecret;
  }
  problems.push(...suppliedCredentialProblems(settings.tokenEndpointAuthMethod, clientId, clientSecret));
  if (existing && settings.applicationType !== existing.applicationType) {
    problems.push("application_type: The field is immutable and cannot be changed");
  }
  problems.push(...(await settingsProblems(settings)));
  if (problems.length) throw validationError(problems);
  return { settings, clientId, clientSecret };
}

/** OpenIdConnectApplication JSON; `clientSecret` only on the responses that create or set one. */
export function appJson(org: Org, app: AppRow, clientSecret: string | null = null) {
  const base = `${org.url}/api/v1/apps/${app.id}`;
  const oauthSettings: Record<string, unknown> = {
    ...app.metadata,
    redirect_uris: app.redirectUris,
    post_logout_redirect_uris: app.postLogoutRedirectUris,
    response_types: app.responseTypes,
    grant_types: app.grantTypes,
    application_type: app.applicationType,
    consent_method: app.consentMethod,
    issuer_mode: app.issuerMode,
    idp_initiated_login: { mode: "DISABLED", default_scope: [] },
    wildcard_redirect: app.metadata.wildcard_redirect ?? "DISABLED",
    dpop_bound_access_tokens: app.dpopBoundAccessTokens,
  };
  if (app.jwks.length) oauthSettings.jwks = { keys: app.jwks };
  const oauthCredentials: Record<string, unknown> = {
    autoKeyRotation: true,
    client_id: app.clientId,
    token_endpoint_auth_method: app.tokenEndpointAuthMethod,
    pkce_required: app.pkceRequired,
  };
  if (clientSecret !== null) oauthCredentials.client_secret = clientSecret;
  return {
    id: app.id,
    name: app.name,
    label: app.label,
    status: app.status,
    lastUpdated: app.lastUpdated,
    created: app.created,
    accessibility: { selfService: false },
    visibility: { autoLaunch: false, autoSubmitToolbar: false, hide: { iOS: true, web: true }, appLinks: { oidc_client_link: true } },
    features: [],
    signOnMode: app.signOnMode,
    credentials: {
      userNameTemplate: { template: "${source.login}", type: "BUILT_IN" },
      oauthClient: oauthCredentials,
    },
    settings: {
      app: {},
      implicitAssignment: false,
      manualProvisioning: false,
      oauthClient: oauthSettings,
    },
    _links: {
      appLinks: [{ name: "oidc_client_link", href: `${org.url}/home/oidc_client/${app.id}/aln177a159h7Zf52X0g8`, type: "text/html" }],
      groups: { href: `${base}/groups` },
      logo: [{ name: "medium", href: `${org.url}/assets/img/logos/default.6770228fb0dab49a1695ef440a5279bb.png`, type: "image/png" }],
      users: { href: `${base}/users` },
      self: { href: base },
      ...(app.status === "ACTIVE"
        ? { deactivate: { href: `${base}/lifecycle/deactivate` } }
        : { activate: { href: `${base}/lifecycle/activate` } }),
    },
  };
}

/** OAuth2ScopeConsentGrant JSON (REFERENCE §3.2). */
export function grantJson(org: Org, app: AppRow, grant: GrantRow, expandScope = true) {
  const json: Record<string, unknown> = {
    id: grant.id,
    status: grant.status,
    created: grant.created,
    lastUpdated: grant.lastUpdated,
    createdBy: grant.createdBy,
    issuer: grant.issuer,
    clientId: grant.clientId,
    scopeId: grant.scopeId,
    source: grant.source,
  };
  if (expandScope) json._embedded = { scope: { id: grant.scopeId } };
  json._links = {
    app: { href: `${org.url}/api/v1/apps/${app.id}`, title: app.label },
    self: { href: `${org.url}/api/v1/apps/${app.id}/grants/${grant.id}`, hints: { allow: ["GET", "DELETE"] } },
    client: { href: `${org.url}/oauth2/v1/clients/${app.clientId}`, title: app.label },
  };
  return json;
}
