import type { AppContext } from "../../platform/context";
import type { AuthorizationServer, ScopeConsent } from "../server";
import { consentedScopes, recordConsent } from "./consent-grants";
import { AuthorizeError } from "./errors";
import type { AuthorizeRequest } from "./request";

/**
 * Consent (REFERENCE-SIGNIN §4.6). Only servers whose scopes carry a
 * consent setting ask (custom servers; at the org server the app's admin
 * grants stand in for consent). A scope set to REQUIRED or FLEXIBLE is
 * asked for when the request says `prompt=consent`, or when the app's
 * consent_method is REQUIRED and the user has not consented to it yet.
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
  scopes: string[],
  answer: ConsentAnswer | undefined,
): Promise<ConsentDecision> {
  const consentOf = server.scopes.consentOf;
  if (!consentOf) return { kind: "granted", scopes };
  const asks = (name: string) => {
    const consent = consentOf(name)?.consent;
    return consent === "REQUIRED" || consent === "FLEXIBLE";
  };
  const candidates = scopes.filter(asks);
  const key = { orgId: c.var.org.id, userId, clientId: request.client.clientId, authServerId: server.id };
  let needed: string[] = [];
  if (request.prompt.has("consent")) needed = candidates;
  else if (request.client.consentMethod === "REQUIRED" && candidates.length) {
    const consented = await consentedScopes(c.var.db, key, candidates);
    needed = candidates.filter((s) => !consented.has(s));
  }
  if (needed.length === 0) return { kind: "granted", scopes };

  if (answer) {
    // ⚠ Okta does not document the denial; RFC 6749's access_denied it is.
    if (!answer.allow) throw new AuthorizeError("access_denied", "The resource owner or authorization server denied the request.");
    const skipped = new Set(needed.filter((s) => consentOf(s)!.optional && !answer.optionalKept.has(s)));
    await recordConsent(c.var.db, { ...key, issuer: server.issuer }, needed.filter((s) => !skipped.has(s)));
    return { kind: "granted", scopes: scopes.filter((s) => !skipped.has(s)) };
  }
  if (request.prompt.has("none")) {
    throw new AuthorizeError("consent_required", `The following scopes require user consent: [${needed.join(", ")}]`);
  }
  return { kind: "ask", asking: needed.map((name) => ({ name, ...consentOf(name)! })) };
}
