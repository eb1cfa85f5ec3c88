import { base64url, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { findOAuthClient, findOAuthClientWithGrants, verifyClientSecret, type OAuthClient } from "../../apps/service";
import type { Db } from "../../platform/context";
import { OrgWriteCache } from "../../platform/org-write-cache";
import { oauthError } from "../../platform/errors";
import { useJtiOnce } from "./used-jtis";

/**
 * Client authentication at the token, introspection and revocation
 * endpoints of every authorization server (REFERENCE §5.9, §6.2). An
 * endpoint says which methods it accepts; the client's registered
 * `token_endpoint_auth_method` must be the one it used.
 *
 * `client_secret_jwt` is not accepted: only the secret's hash is stored, and
 * an HMAC cannot be checked against a hash.
 */
export type ClientAuthMethod = "private_key_jwt" | "client_secret_basic" | "client_secret_post" | "none";
export const ALL_CLIENT_AUTH_METHODS: ClientAuthMethod[] = ["private_key_jwt", "client_secret_basic", "client_secret_post", "none"];

export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface ClientAuthOptions {
  db: Db;
  orgId: string;
  /** The exact URL of the endpoint invoked, as the client addressed it (the assertion's `aud`). */
  endpointUrl: string;
  allowed: readonly ClientAuthMethod[];
  /**
   * An issuer: the client's okta.* grants for it are read in the same
   * statement as the client (the token endpoint of a server that grants
   * scopes per app), and returned as `grantedScopes`.
   */
  grantsFor?: string;
  /** Keep found clients per isolate (the token endpoint; CLIENT_TTL_MS). */
  cache?: boolean;
  now?: number;
}

export interface AuthenticatedClient {
  client: OAuthClient;
  method: ClientAuthMethod;
  /** The client's granted scopes for `grantsFor`, when asked for. */
  grantedScopes?: ReadonlySet<string>;
}

/** How far an assertion's `exp` may be ahead (§6.2), and the skew allowed around "now". */
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 60;
export const ASSERTION_ALGORITHMS = new Set(["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]);

const invalidClient = (description: string) => oauthError(401, "invalid_client", description);
export const CLIENT_AUTH_FAILED = "Client authentication failed. Either the client or the client credentials are invalid.";
const INVALID_CLIENT_ID = "Invalid value for 'client_id' parameter.";

export const ClientAuthErrors = {
  multipleCredentials: () =>
    oauthError(
      400,
      "invalid_request",
      "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body.",
    ),
  noCredentials: () => invalidClient("No client credentials found"),
};

/** Reads the one credential the request carries and checks it; throws the OAuth error otherwise. */
export async function authenticateClient(request: Request, form: URLSearchParams, options: ClientAuthOptions): Promise<AuthenticatedClient> {
  const authorization = request.headers.get("authorization") ?? "";
  const basic = /^basic\s/i.test(authorization);
  const post = form.has("client_secret");
  const assertion = form.has("client_assertion") || form.has("client_assertion_type");
  if (Number(basic) + Number(post) + Number(assertion) > 1) throw ClientAuthErrors.multipleCredentials();

  const lookup = clientLookup(options);
  let method: ClientAuthMethod;
  let client: OAuthClient;
  if (assertion) {
    method = "private_key_jwt";
    client = await checkAssertion(form, options, lookup);
  } else if (basic) {
    method = "client_secret_basic";
    const [id, secret] = readBasic(authorization);
    const bodyId = form.get("client_id");
    if (bodyId !== null && bodyId !== id) throw invalidClient(CLIENT_AUTH_FAILED);
    client = await activeClient(lookup, id);
    if (client.tokenEndpointAuthMethod !== method) throw invalidClient(CLIENT_AUTH_FAILED);
    if (!(await verifyClientSecret(client, secret))) {
      throw invalidClient("The client secret supplied for a confidential client is invalid.");
    }
  } else if (post) {
    method = "client_secret_post";
    const id = form.get("client_id");
    if (!id) throw ClientAuthErrors.noCredentials();
    client = await activeClient(lookup, id);
    if (client.tokenEndpointAuthMethod !== method) throw invalidClient(CLIENT_AUTH_FAILED);
    if (!(await verifyClientSecret(client, form.get("client_secret") ?? ""))) {
      throw invalidClient("The client secret supplied for a confidential client is invalid.");
    }
  } else {
    method = "none";
    const id = form.get("client_id");
    if (!id) throw ClientAuthErrors.noCredentials();
    client = await activeClient(lookup, id);
    if (client.tokenEndpointAuthMethod !== "none") throw invalidClient(CLIENT_AUTH_FAILED);
  }
  if (!options.allowed.includes(method)) throw invalidClient(CLIENT_AUTH_FAILED);
  return { client, method, grantedScopes: lookup.grantedScopes };
}

/** Finds the client by id, with its grants when the options ask for them (kept on the lookup). */
interface ClientLookup {
  find(clientId: string): Promise<OAuthClient | null>;
  grantedScopes?: ReadonlySet<string>;
}

interface FoundClient {
  client: OAuthClient;
  grantedScopes?: ReadonlySet<string>;
}

/**
 * Clients (with their grants) the token endpoint found, per isolate, for
 * CLIENT_TTL_MS: a warm token request reads no D1 row for its client. Any
 * management write in the org voids them in the writing isolate
 * (platform/org-write-cache.ts); another isolate may accept a deactivated
 * client's or a revoked grant's request for CLIENT_TTL_MS more, as the
 * resource side does with client status. Unknown clients are not kept.
 */
export const CLIENT_TTL_MS = 5_000;
const clients = new OrgWriteCache<FoundClient | null>(CLIENT_TTL_MS);

function clientLookup(options: ClientAuthOptions): ClientLookup {
  const { db, orgId, grantsFor } = options;
  const read = async (clientId: string): Promise<FoundClient | null> => {
    if (grantsFor === undefined) {
      const client = await findOAuthClient(db, orgId, clientId);
      return client && { client };
    }
    const found = await findOAuthClientWithGrants(db, orgId, clientId, grantsFor);
    return found && { client: found.client, grantedScopes: new Set(found.grantedScopes) };
  };
  const lookup: ClientLookup = {
    async find(clientId) {
      const found = options.cache
        ? await clients.get(orgId, `${grantsFor ?? ""}\u0000${clientId}`, () => read(clientId), (value) => value !== null)
        : await read(clientId);
      lookup.grantedScopes = found?.grantedScopes;
      return found?.client ?? null;
    },
  };
  return lookup;
}

function readBasic(authorization: string): [string, string] {
  let decoded: string;
  try {
    decoded = atob(authorization.replace(/^basic\s+/i, "").trim());
  } catch {
    throw invalidClient(CLIENT_AUTH_FAILED);
  }
  const colon = decoded.indexOf(":");
  if (colon < 1) throw invalidClient(CLIENT_AUTH_FAILED);
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    const plus = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return [plus(decoded.slice(0, colon)), plus(decoded.slice(colon + 1))];
  } catch {
    throw invalidClient(CLIENT_AUTH_FAILED);
  }
}

async function activeClient(lookup: ClientLookup, clientId: string): Promise<OAuthClient> {
  const client = await lookup.find(clientId);
  if (!client || client.status !== "ACTIVE") throw invalidClient(INVALID_CLIENT_ID);
  return client;
}

/** The checks of REFERENCE §6.2, in an order that never tells a forger more than "invalid" before the signature holds. */
async function checkAssertion(form: URLSearchParams, options: ClientAuthOptions, lookup: ClientLookup): Promise<OAuthClient> {
  if (form.get("client_assertion_type") !== JWT_BEARER) {
    throw oauthError(400, "invalid_request", "The client_assertion_type is invalid.");
  }
  const jwt = form.get("client_assertion") ?? "";
  let header;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(jwt);
    claims = JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split(".")[1] ?? "")));
    if (!claims || typeof claims !== "object" || Array.isArray(claims) || jwt.split(".").length !== 3) throw new Error("shape");
  } catch {
    throw invalidClient("The parsing of the client_assertion failed.");
  }
  if (typeof header.alg !== "string" || !ASSERTION_ALGORITHMS.has(header.alg)) {
    throw invalidClient("The client_assertion JWT signature algorithm is invalid.");
  }
  const iss = claims.iss;
  if (typeof iss !== "string" || !iss) throw invalidClient("The issuer claim for client_assertion is not a valid client_id.");
  const bodyId = form.get("client_id");
  if (bodyId !== null && bodyId !== iss) throw invalidClient("The issuer claim for client_assertion is not a valid client_id.");
  const client = await lookup.find(iss);
  if (!client || client.status !== "ACTIVE") throw invalidClient("The issuer claim for client_assertion is not a valid client_id.");
  if (claims.sub !== iss) throw invalidClient("The subject claim for client_assertion is not a valid client_id.");
  if (client.tokenEndpointAuthMethod !== "private_key_jwt") throw invalidClient(CLIENT_AUTH_FAILED);

  const keys = client.jwks.filter((k) => (k as { status?: string }).status !== "INACTIVE");
  if (!keys.length) throw invalidClient("The client does not have a JWKSet configured, but the client_assertion requires one.");
  const alg = header.alg;
  const kid = header.kid;
  let candidates: JsonWebKey[];
  if (kid !== undefined) {
    const match = keys.filter((k) => (k as { kid?: string }).kid === kid);
    if (!match.length) throw invalidClient("The client_assertion JWT kid is invalid.");
    if (match.every((k) => k.use !== undefined && k.use !== "sig")) {
      throw invalidClient("The client_assertion JWT needs to be signed using a signing key.");
    }
    candidates = match;
  } else {
    candidates = keys;
  }
  const family = alg.startsWith("RS") ? "RSA" : "EC";
  let verified = false;
  for (const jwk of candidates) {
    if (jwk.kty !== family || (jwk.use !== undefined && jwk.use !== "sig") || (jwk.alg !== undefined && jwk.alg !== alg)) continue;
    try {
      const key = await importClientKey(jwk, alg);
      await compactVerify(jwt, key, { algorithms: [alg] });
      verified = true;
      break;
    } catch {
      // another key may fit
    }
  }
  if (!verified) throw invalidClient("The client_assertion signature is invalid.");

  const aud = claims.aud;
  if (!(aud === options.endpointUrl || (Array.isArray(aud) && aud.length > 0 && aud.every((a) => a === options.endpointUrl)))) {
    throw invalidClient("The audience claim for client_assertion must be the endpoint invoked for the request.");
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const exp = claims.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) {
    throw invalidClient("The client_assertion token must contain the 'exp' claim as seconds since epoch.");
  }
  if (exp <= now - CLOCK_SKEW_SECONDS) throw invalidClient("The client_assertion token is expired.");
  if (exp > now + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    throw invalidClient("The client_assertion token has an expiration too far into the future.");
  }
  const iat = claims.iat;
  if (iat !== undefined && (typeof iat !== "number" || iat > now + CLOCK_SKEW_SECONDS)) {
    throw invalidClient("The client_assertion token must be issued before the current time.");
  }
  const jti = claims.jti;
  if (jti !== undefined) {
    if (typeof jti !== "string" || !jti || jti.length > 512) throw invalidClient("The parsing of the client_assertion failed.");
    if (!(await useJtiOnce(options.db, options.orgId, `assertion:${client.clientId}:${jti}`, Math.ceil(exp) + CLOCK_SKEW_SECONDS))) {
      throw invalidClient("The client_assertion token has already been used.");
    }
  }
  return client;
}

const importedKeys = new Map<string, CryptoKey>();

async function importClientKey(jwk: JsonWebKey, alg: string): Promise<CryptoKey> {
  const cacheKey = `${alg}:${jwk.kty}:${jwk.n ?? ""}:${jwk.e ?? ""}:${jwk.crv ?? ""}:${jwk.x ?? ""}:${jwk.y ?? ""}`;
  const hit = importedKeys.get(cacheKey);
  if (hit) return hit;
  const { d: _private, ...pub } = jwk as JWK;
  void _private;
  const key = (await importJWK({ ...pub, alg }, alg)) as CryptoKey;
  if (importedKeys.size > 5_000) importedKeys.clear();
  importedKeys.set(cacheKey, key);
  return key;
}
