import { SignJWT, base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { BOOTSTRAP_SSWS, ORIGIN, call, type Reply } from "./http";

/**
 * OAuth for Okta, through the real endpoints only: register a service client
 * with a generated key (/api/v1/apps), grant it okta.* scopes
 * (/api/v1/apps/{id}/grants), and get tokens from /oauth2/v1/token with
 * private_key_jwt — the flow @okta/okta-sdk-nodejs runs in PrivateKey mode.
 */

/** An org as the helpers need it: its URL and an SSWS Authorization header value. */
export interface OrgRef {
  orgUrl: string;
  ssws: string;
}

export const DEFAULT_ORG: OrgRef = { orgUrl: ORIGIN, ssws: BOOTSTRAP_SSWS };

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface KeyPair {
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string };
  /** RS256 or ES256. */
  alg: string;
}

export async function newKeyPair(alg: "RS256" | "ES256" = "RS256", kid?: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "RS256" ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(publicKey);
  return { privateKey, alg, publicJwk: { ...jwk, kid: kid ?? (await calculateJwkThumbprint(jwk)), use: "sig", alg } };
}

export interface ServiceClient {
  org: OrgRef;
  clientId: string;
  key: KeyPair;
  /** The app (POST /api/v1/apps response body). */
  app: any;
}

export interface RegisterOptions {
  /** okta.* scopes to grant right away. */
  scopes?: string[];
  dpop?: boolean;
  key?: KeyPair;
  /** Extra or overriding settings.oauthClient fields. */
  settings?: Record<string, unknown>;
}

/**
 * A service app with private_key_jwt and the key's public JWK, through
 * POST /api/v1/apps (every app is a DCR client and vice versa; `client_id`
 * = app id). `body.settings.oauthClient` fields are merged in.
 */
export async function registerServiceClient(org: OrgRef = DEFAULT_ORG, options: RegisterOptions = {}): Promise<ServiceClient> {
  const key = options.key ?? (await newKeyPair());
  const reply = await call("POST", "/api/v1/apps", {
    orgUrl: org.orgUrl,
    auth: org.ssws,
    body: {
      name: "oidc_client",
      label: `svc-${crypto.randomUUID().slice(0, 8)}`,
      signOnMode: "OPENID_CONNECT",
      credentials: { oauthClient: { token_endpoint_auth_method: "private_key_jwt" } },
      settings: {
        oauthClient: {
          application_type: "service",
          grant_types: ["client_credentials"],
          response_types: ["token"],
          jwks: { keys: [key.publicJwk] },
          dpop_bound_access_tokens: options.dpop ?? false,
          ...options.settings,
        },
      },
    },
  });
  if (reply.status !== 200) throw new Error(`app creation failed: ${reply.status} ${reply.text}`);
  const client: ServiceClient = { org, clientId: reply.body.credentials.oauthClient.client_id, key, app: reply.body };
  if (options.scopes?.length) await grantScopes(client, options.scopes);
  return client;
}

/** POST /api/v1/apps/{clientId}/grants for each scope, issuer = the org URL. */
export async function grantScopes(client: Pick<ServiceClient, "org" | "clientId">, scopes: string[]): Promise<any[]> {
  const grants = [];
  for (const scopeId of scopes) {
    const reply = await call("POST", `/api/v1/apps/${client.clientId}/grants`, {
      orgUrl: client.org.orgUrl,
      auth: client.org.ssws,
      body: { scopeId, issuer: client.org.orgUrl },
    });
    if (reply.status !== 201) throw new Error(`grant of ${scopeId} failed: ${reply.status} ${reply.text}`);
    grants.push(reply.body);
  }
  return grants;
}

export interface AssertionOptions {
  /** Defaults to the org's token endpoint. */
  audience?: string | string[];
  /** Claims to add or override; a value of undefined removes the claim. */
  claims?: Record<string, unknown>;
  /** Header fields to add or override (kid: undefined removes it). */
  header?: Record<string, unknown>;
  /** Sign with this key instead of the client's. */
  key?: KeyPair;
}

/** A client assertion as the Okta SDK makes it: iss = sub = client_id, aud = token URL, iat, exp = +5 min, jti, kid. */
export async function clientAssertion(client: ServiceClient, options: AssertionOptions = {}): Promise<string> {
  const key = options.key ?? client.key;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: client.clientId,
    sub: client.clientId,
    aud: options.audience ?? `${client.org.orgUrl}/oauth2/v1/token`,
    iat: now,
    exp: now + 300,
    jti: crypto.randomUUID(),
    ...options.claims,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  const header: Record<string, unknown> = { alg: key.alg, kid: key.publicJwk.kid, ...options.header };
  for (const [name, value] of Object.entries(header)) if (value === undefined) delete header[name];
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}

/** POSTs a form to an org endpoint. */
export function postForm(org: OrgRef, path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  return call("POST", path, {
    orgUrl: org.orgUrl,
    auth: null,
    body: new URLSearchParams(form).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}

export interface TokenRequestOptions extends AssertionOptions {
  scopes?: string[];
  /** Form fields to add or override. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

/** POST /oauth2/v1/token, client_credentials with private_key_jwt. */
export async function requestToken(client: ServiceClient, options: TokenRequestOptions = {}): Promise<Reply> {
  const form: Record<string, string> = {
    grant_type: "client_credentials",
    scope: (options.scopes ?? []).join(" "),
    client_assertion_type: JWT_BEARER,
    client_assertion: await clientAssertion(client, options),
    ...options.form,
  };
  return postForm(client.org, "/oauth2/v1/token", form, options.headers);
}

/** A DPoP proof (RFC 9449) signed with `key`. */
export async function dpopProof(
  key: KeyPair,
  claims: { htm: string; htu: string; accessToken?: string; nonce?: string; jti?: string; iat?: number },
  header: Record<string, unknown> = {},
): Promise<string> {
  const { kid: _kid, use: _use, alg: _alg, ...jwk } = key.publicJwk;
  void _kid, _use, _alg;
  const payload: Record<string, unknown> = {
    htm: claims.htm,
    htu: claims.htu,
    iat: claims.iat ?? Math.floor(Date.now() / 1000),
    jti: claims.jti ?? crypto.randomUUID(),
  };
  if (claims.nonce) payload.nonce = claims.nonce;
  if (claims.accessToken) {
    payload.ath = base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(claims.accessToken))));
  }
  return new SignJWT(payload).setProtectedHeader({ typ: "dpop+jwt", alg: key.alg, jwk, ...header } as { alg: string }).sign(key.privateKey);
}

export interface Token {
  accessToken: string;
  tokenType: "Bearer" | "DPoP";
  scope: string;
  client: ServiceClient;
}

/**
 * A token for these scopes: registers a client granted them (or uses
 * `client`), then runs the token flow — with the DPoP nonce round trip when
 * the client is DPoP-bound.
 */
export async function getAccessToken(
  scopes: string[],
  options: { org?: OrgRef; client?: ServiceClient; dpop?: boolean } = {},
): Promise<Token> {
  const client = options.client ?? (await registerServiceClient(options.org ?? DEFAULT_ORG, { scopes, dpop: options.dpop }));
  let reply: Reply;
  if (client.app.settings.oauthClient.dpop_bound_access_tokens) {
    const htu = `${client.org.orgUrl}/oauth2/v1/token`;
    const first = await requestToken(client, { scopes, headers: { DPoP: await dpopProof(client.key, { htm: "POST", htu }) } });
    const nonce = first.headers.get("dpop-nonce");
    if (first.status !== 400 || !nonce) throw new Error(`expected use_dpop_nonce: ${first.status} ${first.text}`);
    reply = await requestToken(client, { scopes, headers: { DPoP: await dpopProof(client.key, { htm: "POST", htu, nonce }) } });
  } else {
    reply = await requestToken(client, { scopes });
  }
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.text}`);
  return { accessToken: reply.body.access_token, tokenType: reply.body.token_type, scope: reply.body.scope, client };
}

/** The Authorization (and DPoP) headers for a resource request with this token. */
export async function authHeaders(token: Token, method: string, url: string): Promise<{ auth: string; headers: Record<string, string> }> {
  if (token.tokenType === "DPoP") {
    const proof = await dpopProof(token.client.key, { htm: method, htu: url.split("?")[0]!, accessToken: token.accessToken });
    return { auth: `DPoP ${token.accessToken}`, headers: { DPoP: proof } };
  }
  return { auth: `Bearer ${token.accessToken}`, headers: {} };
}

/** Decodes a JWT's payload without verifying it. */
export function jwtPayload(jwt: string): any {
  return JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[1]!)));
}

export function jwtHeader(jwt: string): any {
  return JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[0]!)));
}
