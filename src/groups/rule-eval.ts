import type { Db } from "../platform/context";

/** Applies the org's ACTIVE group rules to one user (filled in with the rule engine). */
export async function evaluateRulesForUser(
  _db: Db,
  _orgId: string,
  _user: { id: string; profile: Record<string, unknown> },
): Promise<void> {}
