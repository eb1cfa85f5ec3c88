/**
 * The OAuth client settings an app carries, and the rules of REFERENCE §4.2
 * that apply to them whether they arrive through /api/v1/apps or DCR. Each
 * rule yields "<field>: <message>" with the DCR field name; the apps routes
 * turn the list into E0000001 causes, the DCR routes into one
 * invalid_client_metadata error.
 */

export type ApplicationType = "web" | "native" | "browser" | "service";
export type AuthMethod = "none" | "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt";

export const APPLICATION_TYPES: readonly ApplicationType[] = ["web", "native", "browser", "service"];
export const AUTH_METHODS: readonly AuthMethod[] = [
  "none", "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt",
];
export const SECRET_METHODS: ReadonlySet<AuthMethod> = new Set(["client_secret_basic", "client_secret_post", "client_secret_jwt"]);

const SAML2 = "urn:ietf:params:oauth:grant-type:saml2-bearer";
const DEVICE = "urn:ietf:params:oauth:grant-type:device_code";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const CIBA = "urn:openid:params:grant-type:ciba";
/** Identity Engine direct-authentication grants, allowed wherever a user signs in. */
const OIE = [
  "interaction_code",
  "urn:okta:params:oauth:grant-type:otp",
  "urn:okta:params:oauth:grant-type:oob",
  "http://auth0.com/oauth/grant-type/mfa-otp",
  "http://auth0.com/oauth/grant-type/mfa-oob",
];

export const GRANT_TYPES: ReadonlySet<string> = new Set([
  "authorization_code", "client_credentials", "implicit", "password", "refresh_token",
  DEVICE, JWT_BEARER, SAML2, TOKEN_EXCHANGE, CIBA, ...OIE,
]);
export const RESPONSE_TYPES: ReadonlySet<string> = new Set(["code", "token", "id_token", "none"]);

/** application_type ⇄ grant_types (REFERENCE §4.2 table, with the OIE grant types). */
const ALLOWED_GRANTS: Record<ApplicationType, ReadonlySet<string>> = {
  // refresh_token: Okta lets SPAs rotate refresh tokens.
  browser: new Set(["authorization_code", "implicit", "refresh_token", SAML2, ...OIE]),
  native: new Set(["authorization_code", "implicit", "password", "refresh_token", SAML2, DEVICE, TOKEN_EXCHANGE, JWT_BEARER, ...OIE]),
  service: new Set(["client_credentials", SAML2, TOKEN_EXCHANGE, JWT_BEARER, ...OIE]),
  web: new Set(["authorization_code", "implicit", "refresh_token", "client_credentials", SAML2, TOKEN_EXCHANGE, JWT_BEARER, CIBA, ...OIE]),
};

export const SIGNING_ALGS: ReadonlySet<string> = new Set([
  "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
]);

/** Client settings as stored, in DCR's vocabulary. */
export interface ClientSettings {
  clientName: string;
  applicationType: ApplicationType;
  grantTypes: string[];
  responseTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  tokenEndpointAuthMethod: AuthMethod;
  jwks: JsonWebKey[];
  dpopBoundAccessTokens: boolean;
  pkceRequired: boolean;
  consentMethod: "REQUIRED" | "TRUSTED";
  issuerMode: string;
  /** Stored and echoed, not acted on (client_uri, logo_uri, jwks_uri, …). */
  metadata: Record<string, unknown>;
}

/** Seconds a rotated-out refresh token stays valid, unless the app says otherwise (REFERENCE-SIGNIN §5.3). */
export const DEFAULT_REFRESH_LEEWAY = 30;

/**
 * The app's refresh-token rotation (`settings.oauthClient.refresh_token`,
 * kept with the metadata): as set, or ROTATE for SPAs and STATIC for the
 * others, with a 30-second leeway (§5.3).
 */
export function refreshTokenSettings(applicationType: ApplicationType, metadata: Record<string, unknown>): { rotationType: "ROTATE" | "STATIC"; leeway: number } {
  const set = metadata.refresh_token as { rotation_type: "ROTATE" | "STATIC"; leeway: number } | undefined;
  if (set) return { rotationType: set.rotation_type, leeway: set.leeway };
  return { rotationType: applicationType === "browser" ? "ROTATE" : "STATIC", leeway: DEFAULT_REFRESH_LEEWAY };
}

/** Metadata fields edgeorg keeps verbatim: URLs and algorithm names. */
export const URL_METADATA = ["client_uri", "logo_uri", "policy_uri", "tos_uri", "initiate_login_uri", "jwks_uri", "frontchannel_logout_uri"] as const;

/** Response types implied by the grant types, used when none were sent. */
export function defaultResponseTypes(applicationType: ApplicationType, grantTypes: string[]): string[] {
  const out: string[] = [];
  if (grantTypes.includes("authorization_code")) out.push("code");
  if (grantTypes.includes("implicit")) out.push("token", "id_token");
  if (out.length) return out;
  return applicationType === "service" ? ["token"] : ["code"];
}

/** An absolute URI (a scheme, and an authority or path) without a fragment. */
export function uriProblem(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return "must be a non-empty string";
  if (value.includes("#")) return `'${value.slice(0, 200)}' must not include a fragment component`;
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return `'${value.slice(0, 200)}' must be an absolute URI`;
  try {
    new URL(value);
  } catch {
    return `'${value.slice(0, 200)}' must be an absolute URI`;
  }
  return null;
}

/** Every rule that relates fields to one another (§4.2); each problem once. */
export async function settingsProblems(s: ClientSettings): Promise<string[]> {
  const problems: string[] = [];

  for (const grant of s.grantTypes) {
    if (!GRANT_TYPES.has(grant)) problems.push(`grant_types: '${grant.slice(0, 100)}' is not a valid grant type`);
  }
  if (s.grantTypes.length === 0) problems.push("grant_types: At least one grant type is required");
  for (const type of s.responseTypes) {
    if (!RESPONSE_TYPES.has(type)) problems.push(`response_types: '${type.slice(0, 100)}' is not a valid response type`);
  }

  const allowed = ALLOWED_GRANTS[s.applicationType];
  for (const grant of s.grantTypes) {
    if (GRANT_TYPES.has(grant) && !allowed.has(grant)) {
      problems.push(`grant_types: The grant type '${grant}' is not allowed for the application type '${s.applicationType}'`);
    }
  }
  if ((s.applicationType === "web" || s.applicationType === "native") && !s.grantTypes.includes("authorization_code")) {
    problems.push(`grant_types: The application type '${s.applicationType}' must include the 'authorization_code' grant type`);
  }
  if (s.grantTypes.includes("authorization_code") && !s.responseTypes.includes("code")) {
    problems.push("response_types: The 'authorization_code' grant type requires the 'code' response type");
  }
  if (s.grantTypes.includes("implicit") && !s.responseTypes.some((t) => t === "token" || t === "id_token")) {
    problems.push("response_types: The 'implicit' grant type requires the 'token' or 'id_token' response type");
  }

  const redirectOptional = s.grantTypes.includes("client_credentials") || s.grantTypes.includes("password");
  if (!redirectOptional && s.redirectUris.length === 0) {
    problems.push("redirect_uris: At least one redirect URI is required unless the grant types include 'client_credentials' or 'password'");
  }
  for (const uri of s.redirectUris) {
    const problem = uriProblem(uri);
    if (problem) problems.push(`redirect_uris: ${problem}`);
  }
  for (const uri of s.postLogoutRedirectUris) {
    const problem = uriProblem(uri);
    if (problem) problems.push(`post_logout_redirect_uris: ${problem}`);
  }

  // Okta's rules for who may authenticate how: a browser app holds no secret,
  // web and service apps must authenticate.
  if (s.applicationType === "browser" && s.tokenEndpointAuthMethod !== "none") {
    problems.push("token_endpoint_auth_method: Browser applications must use the 'none' token endpoint auth method");
  }
  if ((s.applicationType === "web" || s.applicationType === "service") && s.tokenEndpointAuthMethod === "none") {
    problems.push(`token_endpoint_auth_method: The 'none' token endpoint auth method is not allowed for '${s.applicationType}' applications`);
  }

  if (s.tokenEndpointAuthMethod === "private_key_jwt" && s.jwks.length === 0) {
    problems.push(
      s.metadata.jwks_uri !== undefined
        ? "jwks: edgeorg verifies client assertions only against registered 'jwks' keys; 'jwks_uri' is not fetched"
        : "jwks: A JSON Web Key Set is required when the token endpoint auth method is 'private_key_jwt'",
    );
  }
  problems.push(...(await jwksProblems(s.jwks)));
  return problems;
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const CURVES: Record<string, { alg: string; bytes: number }> = {
  "P-256": { alg: "ES256", bytes: 32 },
  "P-384": { alg: "ES384", bytes: 48 },
  "P-521": { alg: "ES512", bytes: 66 },
};

function base64UrlBytes(value: unknown): Uint8Array | null {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  try {
    const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Public signing/encryption keys only: RSA of at least 2048 bits or EC on
 * P-256/384/521; kid required once there is more than one key, and unique.
 * Each key must also import into WebCrypto, so the token endpoint never
 * meets a key it cannot use.
 */
export async function jwksProblems(keys: JsonWebKey[]): Promise<string[]> {
  const problems: string[] = [];
  const kids = new Set<string>();
  for (const [i, key] of keys.entries()) {
    const at = `jwks: Key ${i + 1}`;
    if (typeof key !== "object" || key === null || Array.isArray(key)) {
      problems.push(`${at} must be a JSON object`);
      continue;
    }
    const k = key as unknown as Record<string, unknown>;
    const privateMember = PRIVATE_MEMBERS.find((m) => m in k);
    if (privateMember) {
      problems.push(`${at} contains the private key member '${privateMember}'; register public keys only`);
      continue;
    }
    if (k.kid !== undefined && (typeof k.kid !== "string" || k.kid === "")) {
      problems.push(`${at} has an invalid 'kid'`);
    } else if (typeof k.kid === "string") {
      if (kids.has(k.kid)) problems.push(`jwks: The 'kid' '${k.kid.slice(0, 100)}' is not unique`);
      kids.add(k.kid);
    } else if (keys.length > 1) {
      problems.push(`${at} has no 'kid'; every key needs one when the set holds more than one key`);
    }
    if (k.use !== undefined && k.use !== "sig" && k.use !== "enc") problems.push(`${at} has an invalid 'use'; expected 'sig' or 'enc'`);
    if (k.kty === "RSA") {
      const n = base64UrlBytes(k.n);
      const e = base64UrlBytes(k.e);
      if (!n || !e) {
        problems.push(`${at} must have base64url 'n' and 'e' members`);
        continue;
      }
      let bytes = n.length;
      for (const b of n) {
        if (b !== 0) break;
        bytes--;
      }
      const bits = bytes * 8 - (bytes ? Math.clz32(n[n.length - bytes]!) - 24 : 0);
      if (bits < 2048) {
        problems.push(`${at} is an RSA key of ${bits} bits; at least 2048 bits are required`);
        continue;
      }
      if (k.alg !== undefined && !["RS256", "RS384", "RS512", "RSA-OAEP", "RSA-OAEP-256"].includes(String(k.alg))) {
        problems.push(`${at} has the unsupported 'alg' '${String(k.alg).slice(0, 40)}'`);
        continue;
      }
      if (!(await imports({ kty: "RSA", n: k.n as string, e: k.e as string }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }))) {
        problems.push(`${at} is not a valid RSA public key`);
      }
    } else if (k.kty === "EC") {
      const curve = typeof k.crv === "string" ? CURVES[k.crv] : undefined;
      if (!curve) {
        problems.push(`${at} must use the curve P-256, P-384 or P-521`);
        continue;
      }
      const x = base64UrlBytes(k.x);
      const y = base64UrlBytes(k.y);
      if (!x || !y || x.length !== curve.bytes || y.length !== curve.bytes) {
        problems.push(`${at} must have base64url 'x' and 'y' coordinates of ${curve.bytes} bytes`);
        continue;
      }
      if (k.alg !== undefined && !["ES256", "ES384", "ES512", "ECDH-ES"].includes(String(k.alg))) {
        problems.push(`${at} has the unsupported 'alg' '${String(k.alg).slice(0, 40)}'`);
        continue;
      }
      const jwk = { kty: "EC", crv: k.crv as string, x: k.x as string, y: k.y as string };
      if (!(await imports(jwk, { name: "ECDSA", namedCurve: k.crv as string }))) {
        problems.push(`${at} is not a valid EC public key`);
      }
    } else {
      problems.push(`${at} has the unsupported 'kty' '${String(k.kty ?? "").slice(0, 20)}'; expected 'RSA' or 'EC'`);
    }
  }
  return problems;
}

async function imports(jwk: JsonWebKey, algorithm: { name: string; hash?: string; namedCurve?: string }): Promise<boolean> {
  try {
    await crypto.subtle.importKey("jwk", jwk, algorithm, true, ["verify"]);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Reading the DCR-named fields from a request body (DCR: the body itself;
// /api/v1/apps: settings.oauthClient and credentials.oauthClient merged).

const STRING_METADATA = ["id_token_encrypted_response_alg", "request_object_signing_alg"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringArray(source: Record<string, unknown>, field: string, problems: string[], nullable: boolean): string[] | undefined {
  const value = source[field];
  if (value === undefined) return undefined;
  if (value === null) {
    if (nullable) return [];
    problems.push(`${field}: The field cannot be null`);
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    problems.push(`${field}: Must be an array of strings`);
    return undefined;
  }
  return [...new Set(value as string[])];
}

function oneOf<T extends string>(source: Record<string, unknown>, field: string, allowed: readonly T[], problems: string[]): T | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    problems.push(`${field}: '${String(value).slice(0, 100)}' is not one of ${allowed.join(", ")}`);
    return undefined;
  }
  return value as T;
}

function bool(source: Record<string, unknown>, field: string, problems: string[]): boolean | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") {
    problems.push(`${field}: Must be a boolean`);
    return undefined;
  }
  return value;
}

export interface SettingsDefaults {
  clientName: unknown;
  consentMethod: "REQUIRED" | "TRUSTED";
  /** Whether consent_method may be set by the caller (/api/v1/apps yes, DCR no). */
  consentSettable: boolean;
}

/**
 * Reads and type-checks the client fields of `source`, fills the defaults of
 * §4.2, and returns the settings with every type problem; the cross-field
 * rules are settingsProblems'.
 */
export function readClientSettings(source: Record<string, unknown>, defaults: SettingsDefaults, problems: string[]): ClientSettings {
  let clientName = "";
  if (defaults.clientName === undefined || defaults.clientName === null) {
    clientName = "";
  } else if (typeof defaults.clientName !== "string") {
    problems.push("client_name: Must be a string");
  } else if (defaults.clientName.length > 100) {
    problems.push("client_name: Must be at most 100 characters");
  } else {
    clientName = defaults.clientName;
  }

  const applicationType = oneOf(source, "application_type", APPLICATION_TYPES, problems) ?? "web";
  const grantTypes = stringArray(source, "grant_types", problems, false) ?? ["authorization_code"];
  const responseTypes = stringArray(source, "response_types", problems, true);
  const redirectUris = stringArray(source, "redirect_uris", problems, true) ?? [];
  const postLogoutRedirectUris = stringArray(source, "post_logout_redirect_uris", problems, true) ?? [];
  const tokenEndpointAuthMethod = oneOf(source, "token_endpoint_auth_method", AUTH_METHODS, problems) ?? "client_secret_basic";

  let jwks: JsonWebKey[] = [];
  if (source.jwks !== undefined && source.jwks !== null) {
    if (!isObject(source.jwks) || !Array.isArray(source.jwks.keys)) {
      problems.push("jwks: Must be a JSON Web Key Set, an object with a 'keys' array");
    } else if (source.jwks.keys.length > 50) {
      problems.push("jwks: At most 50 keys are allowed");
    } else {
      jwks = source.jwks.keys as JsonWebKey[];
    }
  }

  const dpopBoundAccessTokens = bool(source, "dpop_bound_access_tokens", problems) ?? false;
  const pkceRequired =
    bool(source, "pkce_required", problems) ??
    (applicationType === "browser" || applicationType === "native" || tokenEndpointAuthMethod === "none");
  if (tokenEndpointAuthMethod === "none" && !pkceRequired) {
    problems.push("pkce_required: Must be true when the token endpoint auth method is 'none'");
  }
  const consentMethod =
    (defaults.consentSettable ? oneOf(source, "consent_method", ["REQUIRED", "TRUSTED"] as const, problems) : undefined) ??
    defaults.consentMethod;
  const issuerMode = oneOf(source, "issuer_mode", ["ORG_URL", "CUSTOM_URL", "DYNAMIC"] as const, problems) ?? "ORG_URL";

  const metadata: Record<string, unknown> = {};
  for (const field of URL_METADATA) {
    const value = source[field];
    if (value === undefined || value === null) continue;
    const problem = typeof value === "string" && value.length > 1024 ? "must be at most 1024 characters" : uriProblem(value);
    if (problem) problems.push(`${field}: ${problem}`);
    else metadata[field] = value;
  }
  for (const field of STRING_METADATA) {
    const value = source[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") problems.push(`${field}: Must be a string`);
    else if (field === "request_object_signing_alg" && !SIGNING_ALGS.has(value)) {
      problems.push(`${field}: '${value.slice(0, 40)}' is not a supported signing algorithm`);
    } else metadata[field] = value;
  }
  // Kept only when SUBDOMAIN: DISABLED is what every app without it echoes.
  const wildcard = oneOf(source, "wildcard_redirect", ["DISABLED", "SUBDOMAIN"] as const, problems);
  if (wildcard === "SUBDOMAIN") metadata.wildcard_redirect = wildcard;
  const refresh = source.refresh_token;
  if (refresh !== undefined && refresh !== null) {
    if (!isObject(refresh)) problems.push("refresh_token: Must be an object");
    else {
      const rotation = refresh.rotation_type ?? "STATIC";
      const leeway = refresh.leeway ?? DEFAULT_REFRESH_LEEWAY;
      if (rotation !== "ROTATE" && rotation !== "STATIC") problems.push("refresh_token.rotation_type: Must be one of ROTATE, STATIC");
      else if (typeof leeway !== "number" || !Number.isInteger(leeway) || leeway < 0 || leeway > 60) {
        problems.push("refresh_token.leeway: Must be an integer between 0 and 60");
      } else metadata.refresh_token = { rotation_type: rotation, leeway };
    }
  }
  const frontchannel = bool(source, "frontchannel_logout_session_required", problems);
  if (frontchannel !== undefined) metadata.frontchannel_logout_session_required = frontchannel;

  return {
    clientName,
    applicationType,
    grantTypes,
    responseTypes: responseTypes ?? defaultResponseTypes(applicationType, grantTypes),
    redirectUris,
    postLogoutRedirectUris,
    tokenEndpointAuthMethod,
    jwks,
    dpopBoundAccessTokens,
    pkceRequired,
    consentMethod,
    issuerMode,
    metadata,
  };
}
