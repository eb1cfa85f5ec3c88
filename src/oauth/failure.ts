import { oauthError } from "../platform/errors";
import type { OAuthFailure } from "./server";

/**
 * OAuth errors as values. A decision shared by /authorize and /token (the
 * scopes a user gets, the access policy) returns its failure instead of
 * throwing it: /authorize redirects it to the client, /token answers it.
 */
export function failure(error: string, description: string): OAuthFailure {
  return { ok: false, error, description };
}

/** The value of a successful decision; a failure is thrown as the token endpoint's 400 (or `status`). */
export function orThrow<T extends { ok: true }>(outcome: T | OAuthFailure, status = 400): T {
  if (!outcome.ok) throw oauthError(status, outcome.error, outcome.description);
  return outcome;
}
