import { oauthError } from "../platform/errors";
import {
  readClientSettings,
  settingsProblems,
  SECRET_METHODS,
  type AppRow,
  type ClientSettings,
} from "../apps/service";

/**
 * DCR request bodies (REFERENCE §4.2). Every problem is reported the DCR
 * way (§4.3): 400 invalid_client_metadata, the first problem as
 * "<field>: <message>".
 */
export function invalidClientMetadata(problem: string) {
  return oauthError(400, "invalid_client_metadata", problem);
}

const READ_ONLY = ["client_id_issued_at", "client_secret_expires_at"] as const;

export async function readClientRequest(body: unknown, existing?: AppRow): Promise<ClientSettings> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidClientMetadata("client_metadata: The request body must be a JSON object");
  }
  const source = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of READ_ONLY) {
    if (source[field] !== undefined) problems.push(`${field}: The field is read-only and must not be sent`);
  }
  if (source.client_id !== undefined && source.client_id !== null) {
    // Okta assigns the app id as client_id; a PUT may echo it back unchanged.
    if (!existing) problems.push("client_id: The field is read-only; Okta assigns the client_id");
    else if (source.client_id !== existing.clientId) problems.push("client_id: The field is immutable and cannot be changed");
  }
  if (!existing && source.client_secret !== undefined && source.client_secret !== null) {
    problems.push("client_secret: The field is read-only; Okta generates the client_secret");
  }
  const clientName = source.client_name;
  if (clientName === undefined || clientName === null || (typeof clientName === "string" && clientName.trim() === "")) {
    problems.push("client_name: The field cannot be left blank");
  }
  const settings = readClientSettings(
    source,
    {
      clientName,
      // DCR creations are REQUIRED; a PUT keeps what the app has (§3.1: not settable via DCR).
      consentMethod: (existing?.consentMethod as ClientSettings["consentMethod"]) ?? "REQUIRED",
      consentSettable: false,
    },
    problems,
  );
  if (existing && settings.applicationType !== existing.applicationType) {
    problems.push("application_type: The field is immutable and cannot be changed");
  }
  problems.push(...(await settingsProblems(settings)));
  if (problems.length) throw invalidClientMetadata(problems[0]!);
  return settings;
}

/** The Client object (oauth spec); `clientSecret` only on create, PUT (when set) and newSecret. */
export function clientJson(app: AppRow, clientSecret: string | null = null) {
  const json: Record<string, unknown> = {
    client_id: app.clientId,
    client_id_issued_at: app.clientIdIssuedAt,
    client_name: app.label,
    ...app.metadata,
    application_type: app.applicationType,
    redirect_uris: app.redirectUris,
    response_types: app.responseTypes,
    grant_types: app.grantTypes,
    token_endpoint_auth_method: app.tokenEndpointAuthMethod,
    dpop_bound_access_tokens: app.dpopBoundAccessTokens,
  };
  if (app.postLogoutRedirectUris.length) json.post_logout_redirect_uris = app.postLogoutRedirectUris;
  if (app.jwks.length) json.jwks = { keys: app.jwks };
  if (clientSecret !== null) json.client_secret = clientSecret;
  if (SECRET_METHODS.has(app.tokenEndpointAuthMethod)) json.client_secret_expires_at = 0;
  return json;
}
