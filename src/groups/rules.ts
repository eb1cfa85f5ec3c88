import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../platform/context";
import { notFound, validationError, type ApiError } from "../platform/errors";
import { IdPrefix, newId, nowIso } from "../platform/ids";
import { pageOf, parseAfter, parseLimit, type ListQuery, type Page } from "../platform/paging";
import { ExpressionError } from "../platform/okta-el";
import { groupsByIds } from "./groups";
import { activateRule, referencedGroups, ruleAst } from "./rule-eval";
import { groupMemberships, groupRuleTargets, groupRules, groups } from "./table";
import { runBatch } from "../platform/batch";

export type RuleRow = typeof groupRules.$inferSelect;

export const RULE_LIMIT = { default: 50, max: 200 };
export const EXPRESSION_TYPE = "urn:okta:expression:1.0";
const MAX_RULE_NAME = 50;
/** Bounds that keep every statement about one rule within D1's 100 bound parameters. */
const MAX_TARGET_GROUPS = 50;
const MAX_EXCLUDED_USERS = 100;
const MAX_REFERENCED_GROUPS = 50;

export function ruleNotFound(id: string): ApiError {
  return notFound(id, "GroupRule");
}

export function ruleJson(row: RuleRow, groupNames?: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: "group_rule",
    id: row.id,
    status: row.status,
    name: row.name,
    created: row.created,
    lastUpdated: row.lastUpdated,
    conditions: {
      people: { users: { exclude: row.excludeUserIds }, groups: { exclude: row.excludeGroupIds } },
      expression: { value: row.expression, type: row.expressionType },
    },
    actions: { assignUserToGroups: { groupIds: row.groupIds } },
  };
  if (groupNames) {
    const map: Record<string, string> = {};
    for (const id of row.groupIds) {
      const name = groupNames.get(id);
      if (name !== undefined) map[id] = name;
    }
    out._embedded = { groupIdToGroupNameMap: map };
  }
  return out;
}

interface RuleInput {
  name: string;
  expression: string;
  excludeUserIds: string[];
  excludeGroupIds: string[];
  groupIds: string[] | undefined;
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringArray(v: unknown, field: string, max: number, causes: string[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((e) => typeof e === "string")) {
    causes.push(`${field}: The field must be an array of strings`);
    return [];
  }
  if (v.length > max) causes.push(`${field}: At most ${max} values are allowed`);
  return [...new Set(v as string[])];
}

/**
 * Create/PUT body. The expression is parsed here, so an unsupported construct
 * is refused when the rule is saved (400 E0000001 naming it), never when it runs.
 */
function readRuleBody(body: unknown, requireActions: boolean): RuleInput {
  const b = obj(body) ?? {};
  const causes: string[] = [];
  if (b.type === undefined || b.type === null) causes.push("type: The field cannot be left blank");
  else if (b.type !== "group_rule") causes.push("type: The field must be 'group_rule'");
  let name = "";
  if (b.name === undefined || b.name === null || (typeof b.name === "string" && b.name.trim() === "")) {
    causes.push("name: The field cannot be left blank");
  } else if (typeof b.name !== "string") {
    causes.push("name: The field must be a string");
  } else if (b.name.length > MAX_RULE_NAME) {
    causes.push(`name: The field cannot exceed ${MAX_RULE_NAME} characters`);
  } else {
    name = b.name;
  }
  const conditions = obj(b.conditions);
  const expression = obj(conditions?.expression);
  let value = "";
  if (!expression) {
    causes.push("conditions.expression: The field cannot be left blank");
  } else {
    if (expression.type !== undefined && expression.type !== null && expression.type !== EXPRESSION_TYPE) {
      causes.push(`conditions.expression.type: The field must be '${EXPRESSION_TYPE}'`);
    }
    if (typeof expression.value !== "string" || expression.value.trim() === "") {
      causes.push("conditions.expression.value: The field cannot be left blank");
    } else {
      value = expression.value;
      try {
        const ast = ruleAst(value);
        if (referencedGroups(ast).size > MAX_REFERENCED_GROUPS) {
          causes.push(`conditions.expression.value: At most ${MAX_REFERENCED_GROUPS} groups may be referenced`);
        }
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        causes.push(`conditions.expression.value: ${error.message}`);
      }
    }
  }
  const people = obj(conditions?.people);
  const excludeUserIds = stringArray(obj(people?.users)?.exclude, "conditions.people.users.exclude", MAX_EXCLUDED_USERS, causes);
  const excludeGroupIds = stringArray(obj(people?.groups)?.exclude, "conditions.people.groups.exclude", MAX_EXCLUDED_USERS, causes);
  let groupIds: string[] | undefined;
  const assign = obj(obj(b.actions)?.assignUserToGroups);
  if (assign?.groupIds !== undefined && assign.groupIds !== null) {
    groupIds = stringArray(assign.groupIds, "actions.assignUserToGroups.groupIds", MAX_TARGET_GROUPS, causes);
    if (groupIds.length === 0) causes.push("actions.assignUserToGroups.groupIds: The field cannot be left blank");
  } else if (requireActions) {
    causes.push("actions.assignUserToGroups.groupIds: The field cannot be left blank");
  }
  if (causes.length) throw validationError(causes);
  return { name, expression: value, excludeUserIds, excludeGroupIds, groupIds };
}

/** Rules may only assign to existing OKTA_GROUPs (⚠ REFERENCE §2.6): one cause per bad id. */
async function assertTargets(db: Db, orgId: string, groupIds: string[]): Promise<void> {
  const found = new Map((await groupsByIds(db, orgId, groupIds)).map((g) => [g.id, g.type]));
  const causes: string[] = [];
  for (const id of groupIds) {
    const type = found.get(id);
    if (type === undefined) causes.push(`actions.assignUserToGroups.groupIds: Group ${id} does not exist`);
    else if (type !== "OKTA_GROUP") causes.push(`actions.assignUserToGroups.groupIds: Group ${id} is not an OKTA_GROUP; rules can only assign users to OKTA_GROUPs`);
  }
  if (causes.length) throw validationError(causes);
}

export async function findRule(db: Db, orgId: string, id: string): Promise<RuleRow | null> {
  return (
    (await db
      .select()
      .from(groupRules)
      .where(and(eq(groupRules.orgId, orgId), eq(groupRules.id, id)))
      .get()) ?? null
  );
}

export async function requireRule(db: Db, orgId: string, id: string): Promise<RuleRow> {
  const rule = await findRule(db, orgId, id);
  if (!rule) throw ruleNotFound(id);
  return rule;
}

/** POST: always created INACTIVE (REFERENCE §2.6). */
export async function createRule(db: Db, orgId: string, body: unknown): Promise<RuleRow> {
  const input = readRuleBody(body, true);
  const groupIds = input.groupIds!;
  await assertTargets(db, orgId, groupIds);
  const now = nowIso();
  const row: RuleRow = {
    orgId,
    id: newId(IdPrefix.rule),
    name: input.name,
    status: "INACTIVE",
    expressionType: EXPRESSION_TYPE,
    expression: input.expression,
    excludeUserIds: input.excludeUserIds,
    excludeGroupIds: input.excludeGroupIds,
    groupIds,
    created: now,
    lastUpdated: now,
  };
  await db.batch([
    db.insert(groupRules).values(row),
    db.insert(groupRuleTargets).values(groupIds.map((groupId) => ({ orgId, ruleId: row.id, groupId }))),
  ]);
  return row;
}

/**
 * PUT: only while INACTIVE; status is not changed here and `actions` cannot
 * change (an omitted `actions` keeps them). Violations: 400 E0000001 (⚠).
 */
export async function replaceRule(db: Db, orgId: string, id: string, body: unknown): Promise<RuleRow> {
  const rule = await requireRule(db, orgId, id);
  if (rule.status !== "INACTIVE") {
    throw validationError([`status: The rule is ${rule.status}; only an INACTIVE rule can be updated (deactivate it first)`]);
  }
  const input = readRuleBody(body, false);
  if (input.groupIds !== undefined) {
    const same = input.groupIds.length === rule.groupIds.length && input.groupIds.every((g) => rule.groupIds.includes(g));
    if (!same) throw validationError(["actions: The actions of a group rule cannot be changed"]);
  }
  const updated: RuleRow = {
    ...rule,
    name: input.name,
    expression: input.expression,
    excludeUserIds: input.excludeUserIds,
    excludeGroupIds: input.excludeGroupIds,
    lastUpdated: nowIso(),
  };
  await db
    .update(groupRules)
    .set({
      name: updated.name,
      expression: updated.expression,
      excludeUserIds: updated.excludeUserIds,
      excludeGroupIds: updated.excludeGroupIds,
      lastUpdated: updated.lastUpdated,
    })
    .where(and(eq(groupRules.orgId, orgId), eq(groupRules.id, id)));
  return updated;
}

/**
 * DELETE (202). removeUsers=true removes the memberships this rule added;
 * otherwise they stay, as ordinary memberships (rule_id cleared).
 */
export async function deleteRule(db: Db, orgId: string, id: string, removeUsers: boolean): Promise<void> {
  const rule = await requireRule(db, orgId, id);
  const byRule = and(eq(groupMemberships.orgId, orgId), eq(groupMemberships.ruleId, id));
  const now = nowIso();
  const statements: BatchItem<"sqlite">[] = [];
  if (removeUsers) {
    statements.push(
      db
        .update(groups)
        .set({ lastMembershipUpdated: now })
        .where(
          and(
            eq(groups.orgId, orgId),
            inArray(groups.id, db.selectDistinct({ id: groupMemberships.groupId }).from(groupMemberships).where(byRule)),
          ),
        ),
      db.delete(groupMemberships).where(byRule),
    );
  } else {
    statements.push(db.update(groupMemberships).set({ ruleId: null }).where(byRule));
  }
  statements.push(
    db.delete(groupRuleTargets).where(and(eq(groupRuleTargets.orgId, orgId), eq(groupRuleTargets.ruleId, rule.id))),
    db.delete(groupRules).where(and(eq(groupRules.orgId, orgId), eq(groupRules.id, rule.id))),
  );
  await runBatch(db, statements);
}

/** activate (204): INACTIVE → ACTIVE, assigning every matching user; ACTIVE stays; INVALID is refused. */
export async function activate(db: Db, orgId: string, id: string): Promise<void> {
  const rule = await requireRule(db, orgId, id);
  if (rule.status === "ACTIVE") return;
  if (rule.status === "INVALID") {
    throw validationError(["status: The rule is INVALID (one of its target groups no longer exists) and cannot be activated"]);
  }
  await activateRule(db, orgId, rule);
}

/** deactivate (204): ACTIVE → INACTIVE; memberships it added are kept (⚠). INVALID stays INVALID. */
export async function deactivate(db: Db, orgId: string, id: string): Promise<void> {
  const rule = await requireRule(db, orgId, id);
  if (rule.status !== "ACTIVE") return;
  await db
    .update(groupRules)
    .set({ status: "INACTIVE", lastUpdated: nowIso() })
    .where(and(eq(groupRules.orgId, orgId), eq(groupRules.id, id)));
}

async function groupNamesFor(db: Db, orgId: string, rules: RuleRow[]): Promise<Map<string, string>> {
  const rows = await groupsByIds(db, orgId, rules.flatMap((r) => r.groupIds));
  return new Map(rows.map((g) => [g.id, g.name]));
}

/** `expand=groupIdToGroupNameMap` (among others, comma-separated). */
function expandsNames(expand: string | undefined): boolean {
  return (expand ?? "").split(",").some((s) => s.trim() === "groupIdToGroupNameMap");
}

export async function getRuleJson(db: Db, orgId: string, id: string, expand: string | undefined): Promise<Record<string, unknown>> {
  const rule = await requireRule(db, orgId, id);
  return ruleJson(rule, expandsNames(expand) ? await groupNamesFor(db, orgId, [rule]) : undefined);
}

/** GET /groups/rules: keyset by id; `search` matches names containing it, case-insensitively. */
export async function listRules(db: Db, orgId: string, query: ListQuery): Promise<Page<object>> {
  const limit = parseLimit(query.limit, RULE_LIMIT);
  const after = parseAfter(query.after, 1);
  const search = query.search;
  const rows = await db
    .select()
    .from(groupRules)
    .where(
      and(
        eq(groupRules.orgId, orgId),
        after ? gt(groupRules.id, String(after[0])) : undefined,
        search ? sql`instr(lower(${groupRules.name}), ${search.toLowerCase()}) > 0` : undefined,
      ),
    )
    .orderBy(asc(groupRules.id))
    .limit(limit + 1)
    .all();
  const page = pageOf(rows, limit, (r) => [r.id]);
  const names = expandsNames(query.expand) ? await groupNamesFor(db, orgId, page.items) : undefined;
  return { items: page.items.map((r) => ruleJson(r, names)), next: page.next };
}
