import { findOAuthClient, type OAuthClient } from "../../apps/service";
import type { AuthorizationServer } from "../server";
import { AuthorizeError, AuthorizePageError } from "./errors";
import { isRegisteredRedirectUri } from "./redirect-uri";
import { responseTypesOf } from "./response-types";
import type { Db } from "../../platform/context";

/**
 * Reading and checking an authorize request (REFERENCE-SIGNIN §4.1), in the
 * order of §4.2: the client and the redirect URI first (their errors are
 * pages), then where errors go (response mode and state), then every other
 * parameter (their errors are delivered to the redirect URI).
 */
export type ResponseMode = "query" | "fragment" | "form_post" | "okta_post_message";
export const RESPONSE_MODES: readonly ResponseMode[] = ["query", "fragment", "form_post", "okta_post_message"];

/** Where a result or an error goes. `state` is echoed only once it passed its check. */
export interface Target {
  redirectUri: string;
  mode: ResponseMode;
  state: string | null;
}

export interface AuthorizeRequest {
  /** The parameters as received, for resuming the request after sign-in or consent. */
  params: URLSearchParams;
  client: OAuthClient;
  target: Target;
  /** The requested response types, e.g. {"code"} or {"id_token", "token"}. */
  responseTypes: ReadonlySet<string>;
  scopes: string[];
  nonce: string | null;
  codeChallenge: string | null;
  prompt: ReadonlySet<string>;
  maxAge: number | null;
  loginHint: string | null;
  sessionToken: string | null;
}

const STATE = /^[A-Za-z0-9,._-]+$/;
const PKCE_CHARS = /^[A-Za-z0-9._~-]*$/;
const PROMPTS = ["none", "login", "consent", "login consent", "consent login", "enroll_authenticator"];
const MAX_AGE_LIMIT = 2 ** 31 - 1;

/** Step 2–3: the client and the redirect URI; their errors are pages. */
export async function checkClientAndRedirect(db: Db, orgId: string, params: URLSearchParams): Promise<{ client: OAuthClient; redirectUri: string }> {
  const clientId = params.get("client_id");
  const client = clientId ? await findOAuthClient(db, orgId, clientId) : null;
  if (!client || client.status !== "ACTIVE") throw new AuthorizePageError("Invalid value for 'client_id' parameter.");
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) throw new AuthorizePageError("redirect_uri is missing.");
  if (!isRegisteredRedirectUri(client, redirectUri)) {
    throw new AuthorizePageError("The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.");
  }
  return { client, redirectUri };
}

/**
 * Where errors go from here on: the requested mode when it is one (else the
 * response type's default) and the state when it is legal. Never throws.
 */
export function targetOf(params: URLSearchParams, redirectUri: string): Target {
  const types = new Set((params.get("response_type") ?? "").split(" ").filter(Boolean));
  const requested = params.get("response_mode") as ResponseMode | null;
  const mode = requested && RESPONSE_MODES.includes(requested) ? requested : defaultMode(types);
  const state = params.get("state");
  return { redirectUri, mode, state: state && STATE.test(state) ? state : null };
}

/** `fragment` as soon as a token is in the response, else `query` (§4.1). */
const defaultMode = (types: ReadonlySet<string>): ResponseMode => (types.has("token") || types.has("id_token") ? "fragment" : "query");

/** Step 4: every other parameter, each error an AuthorizeError for the target. */
export function checkParameters(server: AuthorizationServer, client: OAuthClient, params: URLSearchParams, target: Target): AuthorizeRequest {
  const responseTypes = new Set((params.get("response_type") ?? "").split(" ").filter(Boolean));
  const serverTypes = responseTypesOf(server);
  const key = [...responseTypes].sort().join(" ");
  if (!serverTypes.some((t) => t.split(" ").sort().join(" ") === key)) {
    throw new AuthorizeError(
      "unsupported_response_type",
      `The response type is not supported by the authorization server. Configured response types: [${serverTypes.join(", ")}].`,
    );
  }
  const grantOf = (type: string) => (type === "code" ? "authorization_code" : "implicit");
  if ([...responseTypes].some((t) => !client.responseTypes.includes(t) || !client.grantTypes.includes(grantOf(t)))) {
    throw new AuthorizeError(
      "unauthorized_client",
      `The client is not authorized to use the provided response type. Configured response types: [${client.responseTypes.join(", ")}].`,
    );
  }
  const mode = params.get("response_mode");
  if (mode !== null && !RESPONSE_MODES.includes(mode as ResponseMode)) {
    throw new AuthorizeError(
      "unsupported_response_mode",
      "The response mode isn't supported by the authorization server. Valid response modes: [`query`, `fragment`, `form_post`, `okta_post_message`].",
    );
  }
  const tokens = responseTypes.has("token") || responseTypes.has("id_token");
  if (mode === "query" && tokens) {
    throw new AuthorizeError("unsupported_response_mode", "'query' response mode cannot be used with either the 'id_token' or 'token' response types.");
  }
  if (!target.state) throw new AuthorizeError("invalid_request", "The authentication request has an invalid 'state' parameter.");

  const nonce = params.get("nonce");
  if (tokens && !nonce) {
    // Okta's message ends with two periods.
    throw new AuthorizeError("invalid_request", "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types..");
  }

  const codeChallenge = checkPkce(client, params);

  const promptValue = params.get("prompt");
  if (promptValue !== null && !PROMPTS.includes(promptValue.trim().replace(/\s+/g, " "))) {
    throw new AuthorizeError("invalid_request", `Invalid value for 'prompt' parameter. Supported values: [${PROMPTS.join(", ")}].`);
  }
  const prompt = new Set((promptValue ?? "").split(" ").filter(Boolean));

  let maxAge: number | null = null;
  const maxAgeValue = params.get("max_age");
  if (maxAgeValue !== null) {
    maxAge = /^\d{1,10}$/.test(maxAgeValue) ? Number(maxAgeValue) : NaN;
    if (!(maxAge >= 0 && maxAge <= MAX_AGE_LIMIT)) throw new AuthorizeError("invalid_request", "Invalid value for 'max_age' parameter.");
    if (maxAge === 0 && prompt.has("none")) {
      throw new AuthorizeError("invalid_request", "The 'max_age' parameter cannot be 0 when 'prompt' is 'none'.");
    }
  }

  if (params.has("idp")) throw new AuthorizeError("invalid_request", "Identity provider is not valid.");
  if (params.has("request")) throw new AuthorizeError("request_not_supported", "The 'request' parameter is not supported.");
  if (params.has("request_uri")) throw new AuthorizeError("request_uri_not_supported", "The 'request_uri' parameter is not supported.");

  return {
    params,
    client,
    target,
    responseTypes,
    scopes: [...new Set((params.get("scope") ?? "").split(" ").filter(Boolean))],
    nonce,
    codeChallenge,
    prompt,
    maxAge,
    loginHint: params.get("login_hint"),
    sessionToken: params.get("sessionToken"),
  };
}

/** PKCE (§4.1): S256 only; required for public clients and apps with pkce_required. */
function checkPkce(client: OAuthClient, params: URLSearchParams): string | null {
  const challenge = params.get("code_challenge");
  const method = params.get("code_challenge_method");
  if (challenge === null) {
    if (method !== null && method !== "S256") {
      throw new AuthorizeError("invalid_request", "PKCE code challenge method is not supported. Valid values: [S256]");
    }
    if (client.pkceRequired || client.tokenEndpointAuthMethod === "none") {
      throw new AuthorizeError("invalid_request", "PKCE code challenge is required by the application.");
    }
    return null;
  }
  // Without a method RFC 7636 means "plain", which Okta does not take.
  if (method !== "S256") throw new AuthorizeError("invalid_request", "PKCE code challenge method is not supported. Valid values: [S256]");
  if (!PKCE_CHARS.test(challenge)) throw new AuthorizeError("invalid_request", "PKCE code challenge contains illegal characters.");
  if (challenge.length < 43 || challenge.length > 128) {
    throw new AuthorizeError("invalid_request", "PKCE code challenge must be between 43 and 128 characters long.");
  }
  return challenge;
}
