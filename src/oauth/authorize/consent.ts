import type { AppContext } from "../../platform/context";
import type { UserGrantDecision } from "../grants/user-grant";
import { scopesToPrompt } from "../grants/user-scopes";
import type { AuthorizationServer, ScopeConsent } from "../server";
import { consentedScopes, recordConsent } from "./consent-grants";
import { AuthorizeError } from "./errors";
import type { AuthorizeRequest } from "./request";

/**
 * Consent (REFERENCE-SIGNIN §4.6). Which scopes could be asked for is the
 * scope decision's (scopesToPrompt: REQUIRED or FLEXIBLE scopes, with
 * `prompt=consent` or an app whose consent_method is REQUIRED); here: leave
 * out what the user already consented to (unless `prompt=consent` asks
 * again), ask, or take the answer and keep it.
 */
export interface ConsentAnswer {
  allow: boolean;
  /** The optional scopes the user left ticked. */
  optionalKept: ReadonlySet<string>;
}

export type ConsentDecision = { kind: "granted"; scopes: string[] } | { kind: "ask"; asking: (ScopeConsent & { name: string })[] };

export async function decideConsent(
  c: AppContext,
  server: AuthorizationServer,
  request: AuthorizeRequest,
  userId: string,
  grant: UserGrantDecision,
  answer: ConsentAnswer | undefined,
): Promise<ConsentDecision> {
  const reconsent = request.prompt.has("consent");
  const candidates = scopesToPrompt(grant, request.client.consentMethod, reconsent ? "consent" : undefined);
  if (candidates.length === 0) return { kind: "granted", scopes: grant.scopes };
  const key = { orgId: c.var.org.id, userId, clientId: request.client.clientId, authServerId: server.id };
  let needed = candidates;
  if (!reconsent) {
    const consented = await consentedScopes(c.var.db, key, candidates);
    needed = candidates.filter((s) => !consented.has(s));
  }
  if (needed.length === 0) return { kind: "granted", scopes: grant.scopes };

  const optional = new Set(grant.consent.filter((s) => s.optional).map((s) => s.scope));
  if (answer) {
    // ⚠ Okta does not document the denial; RFC 6749's access_denied it is.
    if (!answer.allow) throw new AuthorizeError("access_denied", "The resource owner or authorization server denied the request.");
    const skipped = new Set(needed.filter((s) => optional.has(s) && !answer.optionalKept.has(s)));
    await recordConsent(c.var.db, { ...key, issuer: server.issuer }, needed.filter((s) => !skipped.has(s)));
    return { kind: "granted", scopes: grant.scopes.filter((s) => !skipped.has(s)) };
  }
  if (request.prompt.has("none")) {
    throw new AuthorizeError("consent_required", `The following scopes require user consent: [${needed.join(", ")}]`);
  }
  return { kind: "ask", asking: needed.map((name) => ({ ...server.scopes.consentOf(name), name })) };
}
