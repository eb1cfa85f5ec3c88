import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../platform/context";
import { notFound, validationError } from "../../platform/errors";
import { nowIso, randomBase62 } from "../../platform/ids";
import { MAX_RULES_PER_ORG, type FaultRuleInput } from "./schema";
import { faults } from "./table";

export type FaultRecord = typeof faults.$inferSelect;

/** A rule as the operator API shows it. */
export function faultJson(rule: FaultRecord) {
  return {
    id: rule.id,
    method: rule.method,
    path: rule.path,
    fault: rule.fault,
    ...(rule.latencyMs !== null ? { latencyMs: rule.latencyMs } : {}),
    ...(rule.status !== null ? { status: rule.status } : {}),
    ...(rule.resetSeconds !== null ? { resetSeconds: rule.resetSeconds } : {}),
    probability: rule.probability,
    remaining: rule.remaining,
    created: rule.created,
  };
}

/**
 * Every org request asks whether a rule matches, so each isolate keeps an
 * org's rules for FAULT_CACHE_MS; a change made through this isolate is seen
 * at once, one made through another isolate within that time.
 */
export const FAULT_CACHE_MS = 5_000;

export interface CompiledRule extends FaultRecord {
  regex: RegExp;
}

const cache = new Map<string, { rules: CompiledRule[]; at: number }>();

export async function listFaults(db: Db, orgId: string): Promise<FaultRecord[]> {
  return db.select().from(faults).where(eq(faults.orgId, orgId)).orderBy(asc(faults.created), asc(faults.id)).all();
}

export async function addFault(db: Db, orgId: string, input: FaultRuleInput): Promise<FaultRecord> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(faults).where(eq(faults.orgId, orgId)).all();
  if (n >= MAX_RULES_PER_ORG) throw validationError([`faults: An org has at most ${MAX_RULES_PER_ORG} fault rules; clear some first`]);
  const rule: FaultRecord = {
    orgId,
    id: `flt${randomBase62(17)}`,
    method: input.method,
    path: input.path,
    fault: input.fault,
    latencyMs: input.latencyMs ?? null,
    status: input.fault === "serverError" ? (input.status ?? 500) : null,
    resetSeconds: input.fault === "rateLimit" ? (input.resetSeconds ?? 1) : null,
    probability: input.probability,
    remaining: input.count ?? null,
    created: nowIso(),
  };
  await db.insert(faults).values(rule);
  cache.delete(orgId);
  return rule;
}

export async function clearFaults(db: Db, orgId: string, id?: string): Promise<void> {
  const where = id ? and(eq(faults.orgId, orgId), eq(faults.id, id)) : eq(faults.orgId, orgId);
  const deleted = await db.delete(faults).where(where).returning({ id: faults.id }).all();
  cache.delete(orgId);
  if (id && deleted.length === 0) throw notFound(id, "FaultRule");
}

/** The org's rules, compiled, from this isolate's cache when fresh. */
export async function activeRules(db: Db, orgId: string): Promise<CompiledRule[]> {
  const hit = cache.get(orgId);
  if (hit && Date.now() - hit.at < FAULT_CACHE_MS) return hit.rules;
  const rules = (await listFaults(db, orgId)).map((rule) => ({ ...rule, regex: patternToRegex(rule.path) }));
  cache.set(orgId, { rules, at: Date.now() });
  return rules;
}

/** `*` any characters (slashes too), `:name` one segment; the rest literal. Trailing slash optional. */
export function patternToRegex(pattern: string): RegExp {
  if (pattern === "*") return /^/;
  const source = pattern
    .split(/(\*|:[A-Za-z0-9_]+)/)
    .map((part) => (part === "*" ? ".*" : part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}/?$`);
}

/**
 * A count-limited rule hits only while D1 agrees it has hits left: the
 * decrement is one conditional UPDATE, so N hits stay N across isolates.
 */
export async function consumeHit(db: Db, rule: CompiledRule): Promise<boolean> {
  if (rule.remaining === null) return true;
  if (rule.remaining <= 0) return false;
  const updated = await db
    .update(faults)
    .set({ remaining: sql`${faults.remaining} - 1` })
    .where(and(eq(faults.orgId, rule.orgId), eq(faults.id, rule.id), gt(faults.remaining, 0)))
    .returning({ remaining: faults.remaining })
    .all();
  rule.remaining = updated[0]?.remaining ?? 0;
  return updated.length > 0;
}
