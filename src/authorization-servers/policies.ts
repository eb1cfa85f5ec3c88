import { and, asc, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { findOAuthClient } from "../apps/service";
import type { Db } from "../platform/context";
import { notFound, validationError } from "../platform/errors";
import { IdPrefix, newId, nowIso } from "../platform/ids";
import type { PolicyRow, RuleRow, ServerRow } from "./schema";
import { authorizationServerPolicies, authorizationServerRules, authorizationServerScopes, type RuleConditions, type RuleTokenActions } from "./table";

const policies = authorizationServerPolicies;
const rules = authorizationServerRules;

export const POLICY_TYPE = "AuthorizationServerPolicy";
export const RULE_TYPE = "AuthorizationServerPolicyRule";

/**
 * Priorities stay 1..n: the moved or new item takes the asked position
 * (clamped to the end), the others keep their order around it. Returns the
 * new priority of every id, in order.
 */
export function reorder(ids: string[], movingId: string | null, wanted: number | undefined): Map<string, number> {
  const others = movingId ? ids.filter((id) => id !== movingId) : [...ids];
  const order = [...others];
  if (movingId) {
    const at = Math.min(Math.max((wanted ?? others.length + 1) - 1, 0), others.length);
    order.splice(at, 0, movingId);
  }
  return new Map(order.map((id, i) => [id, i + 1]));
}

// ---------------------------------------------------------------- policies

export async function listPolicies(db: Db, server: ServerRow): Promise<PolicyRow[]> {
  return db
    .select()
    .from(policies)
    .where(and(eq(policies.orgId, server.orgId), eq(policies.authServerId, server.id)))
    .orderBy(asc(policies.priority), asc(policies.created))
    .all();
}

export async function requirePolicy(db: Db, server: ServerRow, policyId: string): Promise<PolicyRow> {
  const row = await db
    .select()
    .from(policies)
    .where(and(eq(policies.orgId, server.orgId), eq(policies.authServerId, server.id), eq(policies.id, policyId)))
    .get();
  if (!row) throw notFound(policyId, POLICY_TYPE);
  return row;
}

export interface PolicyInput {
  name: string;
  description: string;
  priority?: number;
  status?: "ACTIVE" | "INACTIVE";
  conditions: { clients: { include: string[] } };
}

async function checkClients(db: Db, orgId: string, include: string[]): Promise<void> {
  const causes: string[] = [];
  if (include.includes("ALL_CLIENTS") && include.length > 1) {
    causes.push("conditions.clients.include: ALL_CLIENTS cannot be combined with specific clients.");
  }
  for (const clientId of new Set(include)) {
    if (clientId === "ALL_CLIENTS") continue;
    if (!(await findOAuthClient(db, orgId, clientId))) {
      causes.push(`conditions.clients.include: Invalid client id: ${clientId}`);
    }
  }
  if (causes.length) throw validationError(causes);
}

/** Updates of the priorities that change, for the batch that also writes the moved row. */
function priorityUpdates<T extends { id: string; priority: number }>(
  db: Db,
  table: typeof policies | typeof rules,
  orgId: string,
  current: T[],
  order: Map<string, number>,
  skipId: string,
): BatchItem<"sqlite">[] {
  return current
    .filter((row) => row.id !== skipId && order.get(row.id) !== row.priority)
    .map((row) =>
      db
        .update(table)
        .set({ priority: order.get(row.id)! })
        .where(and(eq(table.orgId, orgId), eq(table.id, row.id))),
    );
}

export async function createPolicy(db: Db, server: ServerRow, input: PolicyInput): Promise<PolicyRow> {
  await checkClients(db, server.orgId, input.conditions.clients.include);
  const current = await listPolicies(db, server);
  const id = newId(IdPrefix.policy);
  const placed = reorder([...current.map((p) => p.id), id], id, input.priority);
  const now = nowIso();
  const row: PolicyRow = {
    orgId: server.orgId,
    id,
    authServerId: server.id,
    name: input.name,
    description: input.description,
    priority: placed.get(id)!,
    status: input.status ?? "ACTIVE",
    system: false,
    clients: [...new Set(input.conditions.clients.include)],
    created: now,
    lastUpdated: now,
  };
  await db.batch([db.insert(policies).values(row), ...priorityUpdates(db, policies, server.orgId, current, placed, id)]);
  return row;
}

export async function replacePolicy(db: Db, server: ServerRow, policy: PolicyRow, input: PolicyInput): Promise<PolicyRow> {
  await checkClients(db, server.orgId, input.conditions.clients.include);
  const current = await listPolicies(db, server);
  const placed = reorder(current.map((p) => p.id), policy.id, input.priority ?? policy.priority);
  const row: PolicyRow = {
    ...policy,
    name: input.name,
    description: input.description,
    priority: placed.get(policy.id)!,
    status: input.status ?? policy.status,
    clients: [...new Set(input.conditions.clients.include)],
    lastUpdated: nowIso(),
  };
  await db.batch([
    db
      .update(policies)
      .set({ name: row.name, description: row.description, priority: row.priority, status: row.status, clients: row.clients, lastUpdated: row.lastUpdated })
      .where(and(eq(policies.orgId, server.orgId), eq(policies.id, policy.id))),
    ...priorityUpdates(db, policies, server.orgId, current, placed, policy.id),
  ]);
  return row;
}

export async function deletePolicy(db: Db, server: ServerRow, policy: PolicyRow): Promise<void> {
  const current = await listPolicies(db, server);
  const placed = reorder(current.filter((p) => p.id !== policy.id).map((p) => p.id), null, undefined);
  await db.batch([
    db.delete(rules).where(and(eq(rules.orgId, server.orgId), eq(rules.policyId, policy.id))),
    db.delete(policies).where(and(eq(policies.orgId, server.orgId), eq(policies.id, policy.id))),
    ...priorityUpdates(db, policies, server.orgId, current, placed, policy.id),
  ]);
}

export async function setPolicyStatus(db: Db, policy: PolicyRow, status: "ACTIVE" | "INACTIVE"): Promise<void> {
  if (policy.status === status) return;
  await db
    .update(policies)
    .set({ status, lastUpdated: nowIso() })
    .where(and(eq(policies.orgId, policy.orgId), eq(policies.id, policy.id)));
}

// ---------------------------------------------------------------- rules

/** Grant type values an access policy rule accepts (Okta's authorization server grant types). */
export const RULE_GRANT_TYPES = new Set([
  "authorization_code",
  "client_credentials",
  "implicit",
  "password",
  "interaction_code",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:ietf:params:oauth:grant-type:token-exchange",
  "urn:ietf:params:oauth:grant-type:saml2-bearer",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "urn:openid:params:grant-type:ciba",
  "urn:okta:params:oauth:grant-type:otp",
  "urn:okta:params:oauth:grant-type:oob",
]);

const USER_GRANTS = ["authorization_code", "implicit", "password"];

export async function listRules(db: Db, policy: PolicyRow): Promise<RuleRow[]> {
  return db
    .select()
    .from(rules)
    .where(and(eq(rules.orgId, policy.orgId), eq(rules.policyId, policy.id)))
    .orderBy(asc(rules.priority), asc(rules.created))
    .all();
}

export async function requireRule(db: Db, policy: PolicyRow, ruleId: string): Promise<RuleRow> {
  const row = await db
    .select()
    .from(rules)
    .where(and(eq(rules.orgId, policy.orgId), eq(rules.policyId, policy.id), eq(rules.id, ruleId)))
    .get();
  if (!row) throw notFound(ruleId, RULE_TYPE);
  return row;
}

type PeopleInput = { include?: string[]; exclude?: string[] } | undefined;

export interface RuleInput {
  name: string;
  priority?: number;
  status?: "ACTIVE" | "INACTIVE";
  conditions: {
    people?: { users?: PeopleInput; groups?: PeopleInput };
    grantTypes: { include: string[] };
    scopes: { include: string[] };
  };
  actions?: {
    token?: {
      accessTokenLifetimeMinutes?: number;
      refreshTokenLifetimeMinutes?: number;
      refreshTokenWindowMinutes?: number;
      inlineHook?: { id: string } | null;
    };
  };
}

const MAX_REFRESH_MINUTES = 2_628_000;

/** The rule's conditions and token lifetimes, checked as Okta checks them (REFERENCE §5.4). */
async function checkRule(db: Db, server: ServerRow, input: RuleInput): Promise<{ conditions: RuleConditions; tokenActions: RuleTokenActions }> {
  const causes: string[] = [];
  const grantTypes = [...new Set(input.conditions.grantTypes.include)];
  for (const grant of grantTypes) {
    if (!RULE_GRANT_TYPES.has(grant)) causes.push(`conditions.grantTypes.include: '${grant}' is not a valid grant type.`);
  }
  const people = {
    users: { include: input.conditions.people?.users?.include ?? [], exclude: input.conditions.people?.users?.exclude ?? [] },
    groups: { include: input.conditions.people?.groups?.include ?? [], exclude: input.conditions.people?.groups?.exclude ?? [] },
  };
  if (grantTypes.some((g) => USER_GRANTS.includes(g)) && people.users.include.length === 0 && people.groups.include.length === 0) {
    causes.push(
      "conditions.people: At least one of ''conditions.people.users.include'' or ''conditions.people.groups.include'' must contain a valid user or group when ''conditions.grantTypes'' contains one or more of [authorization_code, implicit, password].",
    );
  }
  const scopes = [...new Set(input.conditions.scopes.include)];
  if (!scopes.includes("*")) {
    const defined = new Set(
      (
        await db
          .select({ name: authorizationServerScopes.name })
          .from(authorizationServerScopes)
          .where(and(eq(authorizationServerScopes.orgId, server.orgId), eq(authorizationServerScopes.authServerId, server.id)))
          .all()
      ).map((s) => s.name),
    );
    for (const scope of scopes) {
      if (!defined.has(scope)) causes.push(`conditions.scopes.include: The scope '${scope}' is not configured for the authorization server.`);
    }
  } else if (scopes.length > 1) {
    causes.push("conditions.scopes.include: '*' cannot be combined with other scopes.");
  }

  const token = input.actions?.token ?? {};
  const access = token.accessTokenLifetimeMinutes ?? 60;
  const refresh = token.refreshTokenLifetimeMinutes ?? 0;
  const window = token.refreshTokenWindowMinutes ?? 10080;
  if (access < 5 || access > 1440) {
    causes.push("actions.token.accessTokenLifetimeMinutes: The access token lifetime must be between 5 minutes and 1 day (1440 minutes).");
  }
  if (refresh !== 0 && (refresh < access || refresh > MAX_REFRESH_MINUTES)) {
    causes.push(
      "actions.token.refreshTokenLifetimeMinutes: The refresh token lifetime must be 0 (unlimited) or between the access token lifetime and 5 years (2628000 minutes).",
    );
  }
  if (window < 10 || window > MAX_REFRESH_MINUTES) {
    causes.push("actions.token.refreshTokenWindowMinutes: The refresh token window must be between 10 minutes and 5 years (2628000 minutes).");
  }
  if (refresh !== 0 && window > refresh) {
    causes.push("actions.token.refreshTokenWindowMinutes: The refresh token window cannot exceed the refresh token lifetime.");
  }
  if (causes.length) throw validationError(causes);
  const tokenActions: RuleTokenActions = { accessTokenLifetimeMinutes: access, refreshTokenLifetimeMinutes: refresh, refreshTokenWindowMinutes: window };
  if (token.inlineHook) tokenActions.inlineHook = { id: token.inlineHook.id };
  return { conditions: { people, grantTypes: { include: grantTypes }, scopes: { include: scopes } }, tokenActions };
}

export async function createRule(db: Db, server: ServerRow, policy: PolicyRow, input: RuleInput): Promise<RuleRow> {
  const checked = await checkRule(db, server, input);
  const current = await listRules(db, policy);
  const id = newId(IdPrefix.rule);
  const placed = reorder([...current.map((r) => r.id), id], id, input.priority);
  const now = nowIso();
  const row: RuleRow = {
    orgId: server.orgId,
    id,
    authServerId: server.id,
    policyId: policy.id,
    name: input.name,
    priority: placed.get(id)!,
    status: input.status ?? "ACTIVE",
    system: false,
    ...checked,
    created: now,
    lastUpdated: now,
  };
  await db.batch([db.insert(rules).values(row), ...priorityUpdates(db, rules, server.orgId, current, placed, id)]);
  return row;
}

export async function replaceRule(db: Db, server: ServerRow, policy: PolicyRow, rule: RuleRow, input: RuleInput): Promise<RuleRow> {
  const checked = await checkRule(db, server, input);
  const current = await listRules(db, policy);
  const placed = reorder(current.map((r) => r.id), rule.id, input.priority ?? rule.priority);
  const row: RuleRow = {
    ...rule,
    name: input.name,
    priority: placed.get(rule.id)!,
    status: input.status ?? rule.status,
    ...checked,
    lastUpdated: nowIso(),
  };
  await db.batch([
    db
      .update(rules)
      .set({ name: row.name, priority: row.priority, status: row.status, conditions: row.conditions, tokenActions: row.tokenActions, lastUpdated: row.lastUpdated })
      .where(and(eq(rules.orgId, server.orgId), eq(rules.id, rule.id))),
    ...priorityUpdates(db, rules, server.orgId, current, placed, rule.id),
  ]);
  return row;
}

export async function deleteRule(db: Db, policy: PolicyRow, rule: RuleRow): Promise<void> {
  if (rule.system) throw validationError(["system: System rules cannot be deleted."]);
  const current = await listRules(db, policy);
  const placed = reorder(current.filter((r) => r.id !== rule.id).map((r) => r.id), null, undefined);
  await db.batch([
    db.delete(rules).where(and(eq(rules.orgId, policy.orgId), eq(rules.id, rule.id))),
    ...priorityUpdates(db, rules, policy.orgId, current, placed, rule.id),
  ]);
}

export async function setRuleStatus(db: Db, rule: RuleRow, status: "ACTIVE" | "INACTIVE"): Promise<void> {
  if (rule.status === status) return;
  await db
    .update(rules)
    .set({ status, lastUpdated: nowIso() })
    .where(and(eq(rules.orgId, rule.orgId), eq(rules.id, rule.id)));
}

/** Every ACTIVE policy of the server with its ACTIVE rules, both by ascending priority (token decisions). */
export async function activePoliciesWithRules(db: Db, server: ServerRow): Promise<{ policy: PolicyRow; rules: RuleRow[] }[]> {
  const [allPolicies, allRules] = await db.batch([
    db
      .select()
      .from(policies)
      .where(and(eq(policies.orgId, server.orgId), eq(policies.authServerId, server.id), eq(policies.status, "ACTIVE")))
      .orderBy(asc(policies.priority)),
    db
      .select()
      .from(rules)
      .where(and(eq(rules.orgId, server.orgId), eq(rules.authServerId, server.id), eq(rules.status, "ACTIVE")))
      .orderBy(asc(rules.priority)),
  ]);
  return allPolicies.map((policy) => ({ policy, rules: allRules.filter((r) => r.policyId === policy.id) }));
}
