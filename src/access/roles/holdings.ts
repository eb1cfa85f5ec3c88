import { and, eq, inArray, or } from "drizzle-orm";
import { groupIdsOfUserQuery } from "../../groups/service";
import type { Db } from "../../platform/context";
import { roleAssignments, roleTargets } from "./table";
import type { AssignmentRow, TargetRow } from "./store";

/**
 * What an actor holds: its role assignments — for a user, those assigned to
 * it and to any group it is in (REFERENCE-SIGNIN §8.4 "roles add up") — and
 * their targets, read in one query.
 */
export type Holder = { userId: string } | { clientId: string };

export interface Holding {
  assignment: AssignmentRow;
  targets: TargetRow[];
}

export async function holdingsOf(db: Db, orgId: string, holder: Holder): Promise<Holding[]> {
  const who =
    "userId" in holder
      ? or(
          and(eq(roleAssignments.assigneeType, "USER"), eq(roleAssignments.assigneeId, holder.userId)),
          and(eq(roleAssignments.assigneeType, "GROUP"), inArray(roleAssignments.assigneeId, groupIdsOfUserQuery(db, orgId, holder.userId))),
        )
      : and(eq(roleAssignments.assigneeType, "CLIENT"), eq(roleAssignments.assigneeId, holder.clientId));
  const rows = await db
    .select({ assignment: roleAssignments, target: roleTargets })
    .from(roleAssignments)
    .leftJoin(roleTargets, and(eq(roleTargets.orgId, roleAssignments.orgId), eq(roleTargets.assignmentId, roleAssignments.id)))
    .where(and(eq(roleAssignments.orgId, orgId), who))
    .orderBy(roleAssignments.created, roleAssignments.id)
    .all();
  const byId = new Map<string, Holding>();
  for (const row of rows) {
    let holding = byId.get(row.assignment.id);
    if (!holding) byId.set(row.assignment.id, (holding = { assignment: row.assignment, targets: [] }));
    if (row.target) holding.targets.push(row.target);
  }
  return [...byId.values()];
}
