import { and, eq } from "drizzle-orm";
import type { Db } from "../platform/context";
import { OrgWriteCache } from "../platform/org-write-cache";
import { groupRules } from "./table";

type RuleRow = typeof groupRules.$inferSelect;

/**
 * An org's ACTIVE group rules, kept per isolate so that a warm user create
 * or profile update reads none of them: every user write evaluates them, and
 * they change far less often than users do. Lifetime RULES_TTL_MS; the
 * writing isolate voids the org's entry once a management write has
 * answered (access/config-writes.ts) — rule create, update, activate,
 * deactivate and delete, and group deletes that edit rules, are all such
 * writes. Another isolate applies a rule change ≤ RULES_TTL_MS late to the
 * users it writes meanwhile (an activation's own sweep is not affected).
 * Entries are shared: callers never change them.
 */
export const RULES_TTL_MS = 5_000;
const rules = new OrgWriteCache<readonly RuleRow[]>(RULES_TTL_MS);

export function activeRules(db: Db, orgId: string): Promise<readonly RuleRow[]> {
  return rules.get(orgId, "rules", () =>
    db
      .select()
      .from(groupRules)
      .where(and(eq(groupRules.orgId, orgId), eq(groupRules.status, "ACTIVE")))
      .all(),
  );
}
