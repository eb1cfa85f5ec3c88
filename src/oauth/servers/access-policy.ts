import type { PolicyRow, RuleRow } from "../../authorization-servers/schema";
import { failure } from "../failure";
import type { PolicyOutcome, PolicyRequest, PolicyUser } from "../server";

/**
 * A custom server's access policy (REFERENCE §5.9 steps 3–5,
 * REFERENCE-SIGNIN §5.5), for client_credentials and the user grants alike.
 *
 * The first ACTIVE policy (by priority) naming the client or ALL_CLIENTS
 * decides alone. In it, the first ACTIVE rule whose grant type, people and
 * scopes all match wins. OpenID Connect scopes are granted without a rule
 * listing them. People: client_credentials has no user and ignores them; a
 * user matches when named in users.include or in a group of groups.include
 * ("EVERYONE" = every user), and is not named in users.exclude nor in a
 * group of groups.exclude (the legacy `exclude` lists are honoured when sent,
 * §10).
 *
 * When no rule matches, the failure says how close it came (⚠ the reference
 * gives the three texts, not when each is used): no rule for this grant type
 * and user → "Policy evaluation failed…"; the first rule for them grants some
 * of the scopes → "Some of the requested scopes were denied…"; none of them →
 * "…all the requested scopes were rejected."
 */
export const POLICY_FAILED = "Policy evaluation failed for this request, please check the policy configurations.";

export function evaluateAccessPolicy(
  policies: readonly { policy: PolicyRow; rules: RuleRow[] }[],
  request: PolicyRequest,
  isOidc: (scope: string) => boolean,
): PolicyOutcome {
  const { client } = request;
  const match = policies.find(({ policy }) => policy.clients.includes("ALL_CLIENTS") || policy.clients.includes(client.clientId));
  if (!match) return failure("access_denied", POLICY_FAILED);
  const ruled = request.scopes.filter((s) => !isOidc(s));
  const candidates = match.rules.filter(
    (r) => r.conditions.grantTypes.include.includes(request.grantType) && (!request.user || peopleMatch(r, request.user)),
  );
  const covers = (rule: RuleRow, scope: string) => rule.conditions.scopes.include.includes("*") || rule.conditions.scopes.include.includes(scope);
  const rule = candidates.find((r) => ruled.every((s) => covers(r, s)));
  if (rule) {
    const t = rule.tokenActions;
    return {
      ok: true,
      ruleId: rule.id,
      accessTokenLifetimeSeconds: t.accessTokenLifetimeMinutes * 60,
      refreshTokenLifetimeSeconds: t.refreshTokenLifetimeMinutes ? t.refreshTokenLifetimeMinutes * 60 : null,
      refreshTokenIdleSeconds: t.refreshTokenWindowMinutes ? t.refreshTokenWindowMinutes * 60 : null,
    };
  }
  const first = candidates[0];
  if (!first) return failure("access_denied", POLICY_FAILED);
  const denied = ruled.filter((s) => !covers(first, s));
  if (denied.length < ruled.length) {
    return failure("access_denied", `Some of the requested scopes were denied by the policy. Denied scopes: [${denied.join(", ")}]`);
  }
  return failure("access_denied", "Policy evaluation succeeded, but all the requested scopes were rejected.");
}

const EVERYONE = "EVERYONE";

function peopleMatch(rule: RuleRow, user: PolicyUser): boolean {
  const { users, groups } = rule.conditions.people;
  const inGroup = (ids: readonly string[]) => ids.some((id) => id === EVERYONE || user.groupIds.has(id));
  if (users.exclude?.includes(user.id) || inGroup(groups.exclude ?? [])) return false;
  return users.include.includes(user.id) || inGroup(groups.include);
}
