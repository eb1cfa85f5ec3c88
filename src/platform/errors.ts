import { newErrorId } from "./ids";

/**
 * The one throwable error of edgeorg. It carries its finished response —
 * status, body and headers — so that a handler deep in a service can decide
 * exactly what the client sees, and the app's onError only renders it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** JSON body, or null for an empty body (403 insufficient_scope). */
    readonly body: object | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(body && "errorSummary" in body ? String(body.errorSummary) : `HTTP ${status}`);
  }

  toResponse(): Response {
    const headers = new Headers(this.headers);
    if (this.body === null) return new Response(null, { status: this.status, headers });
    headers.set("Content-Type", "application/json");
    return new Response(JSON.stringify(this.body), { status: this.status, headers });
  }
}

export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

/** Okta's error object for /api/v1/** (REFERENCE §7.1). */
export function oktaError(
  status: number,
  errorCode: string,
  errorSummary: string,
  causes: string[] = [],
  headers: Record<string, string> = {},
): ApiError {
  const body: OktaErrorBody = {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: newErrorId(),
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  };
  return new ApiError(status, body, headers);
}

/** OAuth's error object for /oauth2/** (RFC 6749 §5.2). */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): ApiError {
  return new ApiError(status, { error, error_description: description }, headers);
}

/**
 * E0000001 with one cause per problem, each "<field>: <message>"; the summary
 * names the first field, as Okta's does ("Api validation failed: login").
 */
export function validationError(causes: string[]): ApiError {
  const field = causes[0]?.split(":")[0] ?? "request";
  return oktaError(400, "E0000001", `Api validation failed: ${field}`, causes);
}

/** E0000007 "Not found: Resource not found: <id> (<Type>)". */
export function notFound(id: string, type: string): ApiError {
  return oktaError(404, "E0000007", `Not found: Resource not found: ${id} (${type})`);
}

export const Errors = {
  malformedJson: () => oktaError(400, "E0000003", "The request body was not well-formed."),
  unsupportedMediaType: () =>
    oktaError(400, "E0000021", "Bad request.  Accept and/or Content-Type headers likely do not match supported values."),
  pathNotFound: () => oktaError(404, "E0000008", "The requested path was not found"),
  methodNotAllowed: (allow: string[]) =>
    oktaError(405, "E0000022", "The endpoint does not support the provided HTTP method", [], { Allow: allow.join(", ") }),
  internal: () => oktaError(500, "E0000009", "Internal Server Error"),
  invalidToken: (headers: Record<string, string> = {}) =>
    oktaError(401, "E0000011", "Invalid token provided", [], headers),
  invalidSession: () => oktaError(403, "E0000005", "Invalid session"),
  forbidden: () => oktaError(403, "E0000006", "You do not have permission to perform the requested action"),
  invalidSearch: (cause?: string) => oktaError(400, "E0000031", "Invalid search criteria.", cause ? [cause] : []),
  invalidPaging: (cause: string) => oktaError(400, "E0000029", "Invalid paging request.", [cause]),
  searchAndFilter: () =>
    oktaError(400, "E0000033", "Bad request. Can't specify a search query and filter in the same request."),
  /** A unique field clashes with another object of the org (login, name, client_id…). */
  alreadyExists: (field: string) =>
    validationError([`${field}: An object with this field already exists in the current organization`]),
  payloadTooLarge: (limit: number) =>
    oktaError(413, "E0000001", "Api validation failed: body", [`body: The request body must not exceed ${limit} bytes.`]),
};
