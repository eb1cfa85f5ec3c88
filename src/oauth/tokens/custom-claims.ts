import { compile, USER_CLAIM, type Expression } from "../../platform/okta-el";
import { MAX_GROUP_LIMIT } from "../../platform/okta-el/functions/groups";
import { failure } from "../failure";
import type { ClaimDefinition, OAuthFailure } from "../server";

/**
 * A server's custom claims (REFERENCE §5.6, REFERENCE-SIGNIN §6.1) for one
 * token: EXPRESSION claims evaluated in the Okta EL user dialect, GROUPS
 * claims filtering the user's group names. A claim whose conditions name
 * scopes is emitted only when one of them is granted; an expression that
 * evaluates to null is left out.
 *
 * Without a user (client_credentials) the user's attributes are absent
 * (null, so the claim is left out) and claims that read groups are skipped.
 */
export interface ClaimSubject {
  client: { clientId: string };
  /** The signed-in user: profile and groups (id → name). */
  user?: { profile: Record<string, unknown>; groups: ReadonlyMap<string, string> };
}

export interface ClaimSelection {
  claimType: "RESOURCE" | "IDENTITY";
  granted: readonly string[];
  /** Thin ID token: only claims marked alwaysIncludeInToken. */
  onlyAlwaysIncluded?: boolean;
}

/** Okta refuses a groups claim over this many groups (§6.1). */
export const MAX_GROUPS_IN_CLAIM = MAX_GROUP_LIMIT;

export function customClaims(
  definitions: readonly ClaimDefinition[],
  selection: ClaimSelection,
  subject: ClaimSubject,
): { ok: true; claims: Record<string, unknown> } | OAuthFailure {
  const out: Record<string, unknown> = {};
  for (const claim of definitions) {
    if (claim.claimType !== selection.claimType) continue;
    if (selection.onlyAlwaysIncluded && !claim.alwaysIncludeInToken) continue;
    if (claim.scopes.length && !claim.scopes.some((s) => selection.granted.includes(s))) continue;
    if (claim.valueType === "GROUPS") {
      if (!subject.user) continue;
      const names = [...subject.user.groups.values()].filter((name) => groupMatches(claim, name)).sort();
      if (names.length > MAX_GROUPS_IN_CLAIM) {
        return failure("invalid_request", `The groups claim matched too many groups. Maximum allowed groups: ${MAX_GROUPS_IN_CLAIM}.`);
      }
      out[claim.name] = names;
      continue;
    }
    if (claim.valueType !== "EXPRESSION") continue;
    const expression = expressionOf(claim);
    if (expression.readsGroups && !subject.user) continue;
    const app = { clientId: subject.client.clientId, profile: {} };
    const value = expression.value({
      attributes: subject.user ? { app, user: subject.user.profile, appuser: subject.user.profile } : { app },
      groups: subject.user?.groups,
    });
    if (value !== null) out[claim.name] = value;
  }
  return { ok: true, claims: out };
}

function groupMatches(claim: ClaimDefinition, name: string): boolean {
  switch (claim.groupFilterType) {
    case "EQUALS":
      return name === claim.value;
    case "STARTS_WITH":
      return name.startsWith(claim.value);
    case "CONTAINS":
      return name.includes(claim.value);
    case "REGEX":
      try {
        // Java's matches(): the whole name. ".*" is Okta's "all groups".
        return new RegExp(`^(?:${claim.value})$`).test(name);
      } catch {
        return false;
      }
    default:
      return false;
  }
}

/** Compiled claim expressions, per claim id and value: parsed once per isolate, not once per token. */
const compiled = new Map<string, Expression>();

function expressionOf(claim: ClaimDefinition): Expression {
  const key = `${claim.id}\n${claim.value}`;
  let expression = compiled.get(key);
  if (!expression) {
    if (compiled.size > 10_000) compiled.clear();
    expression = compile(claim.value, USER_CLAIM);
    compiled.set(key, expression);
  }
  return expression;
}
