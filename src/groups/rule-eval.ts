import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../platform/context";
import { nowIso } from "../platform/ids";
import { usersAfter } from "../users/service";
import { compile, GROUP_RULE, nodes, type Expression } from "../platform/okta-el";
import { activeRules } from "./active-rules";
import { groupMemberships, groupRules, groups } from "./table";
import { runBatch } from "../platform/batch";

type RuleRow = typeof groupRules.$inferSelect;

// Rules are re-evaluated on every user write; their parsed form is kept per isolate.
const parsed = new Map<string, Expression>();

export function ruleAst(expression: string): Expression {
  let compiled = parsed.get(expression);
  if (!compiled) {
    compiled = compile(expression, GROUP_RULE);
    if (parsed.size > 500) parsed.clear();
    parsed.set(expression, compiled);
  }
  return compiled;
}

/** Groups named in isMemberOfGroup / isMemberOfAnyGroup (their arguments are quoted ids). */
export function referencedGroups(expression: Expression): Set<string> {
  const out = new Set<string>();
  for (const n of nodes(expression.node)) {
    if (n.kind !== "call" || (n.name !== "isMemberOfGroup" && n.name !== "isMemberOfAnyGroup")) continue;
    for (const a of n.args) if (a.kind === "literal" && typeof a.value === "string") out.add(a.value);
  }
  return out;
}

/** The evaluation context of one user: the profile under `user`, group ids (names are not read by rules). */
function subjectOf(profile: Record<string, unknown>, groupIds: Iterable<string>) {
  return { attributes: { user: profile }, groups: new Map([...groupIds].map((id) => [id, ""])) };
}

/** Users read per D1 query while activating; their profiles are evaluated in JS. */
export const ACTIVATION_READ_BATCH = 1000;
/** User ids per INSERT … SELECT FROM json_each(?): one bound JSON array, not one parameter per row. */
export const ACTIVATION_WRITE_BATCH = 1000;

/**
 * Memberships of many users in one group, added by `ruleId`, as few
 * statements: each binds five parameters whatever the number of users (D1
 * allows 100 per statement). Existing memberships are left as they are, so
 * an admin-added membership never becomes a rule's.
 */
export function ruleMembershipInserts(
  db: Db,
  orgId: string,
  groupId: string,
  ruleId: string,
  userIds: string[],
  created: string,
): BatchItem<"sqlite">[] {
  const out: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < userIds.length; i += ACTIVATION_WRITE_BATCH) {
    const ids = JSON.stringify(userIds.slice(i, i + ACTIVATION_WRITE_BATCH));
    // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
    out.push(
      db
        .insert(groupMemberships)
        .select(
          sql`SELECT ${orgId}, ${groupId}, value, ${ruleId}, ${created} FROM json_each(${ids}) WHERE true`,
        )
        .onConflictDoNothing(),
    );
  }
  return out;
}

/**
 * Activation: every user of the org (but DEPROVISIONED ones and the rule's
 * excluded users) whose profile matches joins the target groups. Runs inside
 * the request, synchronously: users are read in keyset batches of 1000 and
 * matched in JS, then the status change and every membership insert are ONE
 * batch, so the rule is ACTIVE exactly when its memberships exist. 10k users
 * cost 10 reads and 10 inserts per target group.
 */
export async function activateRule(db: Db, orgId: string, rule: RuleRow): Promise<void> {
  const ast = ruleAst(rule.expression);
  const exclude = new Set(rule.excludeUserIds);
  const memberGroups = ast.readsGroups ? [...referencedGroups(ast)] : [];
  const matched: string[] = [];
  let after: string | null = null;
  for (;;) {
    const batch = await usersAfter(db, orgId, after, ACTIVATION_READ_BATCH);
    if (batch.length === 0) break;
    let membership: Map<string, Set<string>> | undefined;
    if (memberGroups.length) {
      membership = new Map();
      const rows = await db
        .select({ userId: groupMemberships.userId, groupId: groupMemberships.groupId })
        .from(groupMemberships)
        .where(
          and(
            eq(groupMemberships.orgId, orgId),
            inArray(groupMemberships.groupId, memberGroups.slice(0, 90)),
            gte(groupMemberships.userId, batch[0]!.id),
            lte(groupMemberships.userId, batch[batch.length - 1]!.id),
          ),
        )
        .all();
      for (const r of rows) {
        let set = membership.get(r.userId);
        if (!set) membership.set(r.userId, (set = new Set()));
        set.add(r.groupId);
      }
    }
    for (const user of batch) {
      if (user.status === "DEPROVISIONED" || exclude.has(user.id)) continue;
      if (ast.test(subjectOf(user.profile as Record<string, unknown>, membership?.get(user.id) ?? []))) matched.push(user.id);
    }
    after = batch[batch.length - 1]!.id;
    if (batch.length < ACTIVATION_READ_BATCH) break;
  }
  const now = nowIso();
  const statements: BatchItem<"sqlite">[] = [
    db
      .update(groupRules)
      .set({ status: "ACTIVE", lastUpdated: now })
      .where(and(eq(groupRules.orgId, orgId), eq(groupRules.id, rule.id))),
  ];
  for (const groupId of rule.groupIds) statements.push(...ruleMembershipInserts(db, orgId, groupId, rule.id, matched, now));
  if (matched.length) {
    statements.push(
      db
        .update(groups)
        .set({ lastMembershipUpdated: now })
        .where(and(eq(groups.orgId, orgId), inArray(groups.id, rule.groupIds))),
    );
  }
  await runBatch(db, statements);
}

/**
 * One user against every ACTIVE rule, after the user was created or its
 * profile changed. A matching rule adds the user to its target groups; a rule
 * that no longer matches (or now excludes the user) removes the memberships
 * IT added — admin-added ones stay. Rules see the memberships as they were
 * before this evaluation (one rule's additions do not trigger another rule).
 */
export async function evaluateRulesForUser(
  db: Db,
  orgId: string,
  user: { id: string; profile: Record<string, unknown> },
): Promise<void> {
  const rules = await activeRules(db, orgId);
  if (rules.length === 0) return;
  const memberships = await db
    .select({ groupId: groupMemberships.groupId, ruleId: groupMemberships.ruleId })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.userId, user.id)))
    .all();
  await runBatch(db, ruleStatements(db, orgId, rules, user, memberships));
}

/**
 * The rules' statements for a user being created, whose memberships are
 * exactly `groupIds` (Everyone and the admin's, none a rule's): run in the
 * user's own batch, so that a warm create is one round trip.
 */
export async function ruleStatementsForNewUser(
  db: Db,
  orgId: string,
  user: { id: string; profile: Record<string, unknown> },
  groupIds: string[],
): Promise<BatchItem<"sqlite">[]> {
  const rules = await activeRules(db, orgId);
  if (rules.length === 0) return [];
  return ruleStatements(db, orgId, rules, user, groupIds.map((groupId) => ({ groupId, ruleId: null })));
}

function ruleStatements(
  db: Db,
  orgId: string,
  rules: readonly RuleRow[],
  user: { id: string; profile: Record<string, unknown> },
  memberships: { groupId: string; ruleId: string | null }[],
): BatchItem<"sqlite">[] {
  const groupIds = new Set(memberships.map((m) => m.groupId));
  const subject = subjectOf(user.profile, groupIds);
  const now = nowIso();
  const adds = new Map<string, string>(); // groupId → ruleId
  const matchingTarget = new Map<string, string>(); // groupId → a matching rule that targets it
  const stale: { groupId: string; ruleId: string }[] = [];
  for (const rule of rules) {
    let matches: boolean;
    try {
      matches = !rule.excludeUserIds.includes(user.id) && ruleAst(rule.expression).test(subject);
    } catch {
      matches = false; // a stored rule always parsed when saved; never fail the user's write over it
    }
    if (matches) {
      for (const g of rule.groupIds) {
        if (!matchingTarget.has(g)) matchingTarget.set(g, rule.id);
        if (!groupIds.has(g) && !adds.has(g)) adds.set(g, rule.id);
      }
    } else {
      for (const m of memberships) if (m.ruleId === rule.id) stale.push({ groupId: m.groupId, ruleId: rule.id });
    }
  }
  const statements: BatchItem<"sqlite">[] = [];
  for (const [groupId, ruleId] of adds) {
    statements.push(db.insert(groupMemberships).values({ orgId, groupId, userId: user.id, ruleId, created: now }).onConflictDoNothing());
  }
  const removed: string[] = [];
  for (const r of stale) {
    const key = and(
      eq(groupMemberships.orgId, orgId),
      eq(groupMemberships.groupId, r.groupId),
      eq(groupMemberships.userId, user.id),
      eq(groupMemberships.ruleId, r.ruleId),
    );
    // Another matching rule targets the same group: the membership becomes that rule's.
    const heir = matchingTarget.get(r.groupId);
    if (heir) {
      statements.push(db.update(groupMemberships).set({ ruleId: heir }).where(key));
    } else {
      statements.push(db.delete(groupMemberships).where(key));
      removed.push(r.groupId);
    }
  }
  const touched = [...adds.keys(), ...removed];
  if (touched.length) {
    statements.push(
      db
        .update(groups)
        .set({ lastMembershipUpdated: now })
        .where(and(eq(groups.orgId, orgId), inArray(groups.id, [...new Set(touched)].slice(0, 90)))),
    );
  }
  return statements;
}
