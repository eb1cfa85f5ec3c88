import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../platform/context";
import { nowIso, randomBase62 } from "../../platform/ids";
import type { RoleType } from "./permissions";
import { roleAssignments, roleTargets } from "./table";

export type AssignmentRow = typeof roleAssignments.$inferSelect;
export type TargetRow = typeof roleTargets.$inferSelect;
export type AssigneeType = AssignmentRow["assigneeType"];

/** Assignment ids as Okta shapes them (REFERENCE-SIGNIN §0): ra1… to a user, gra… to a group, irb… to a client. */
const ID_PREFIX: Record<AssigneeType, string> = { USER: "ra1", GROUP: "gra", CLIENT: "irb" };

export function newAssignment(orgId: string, assigneeType: AssigneeType, assigneeId: string, type: RoleType): AssignmentRow {
  const now = nowIso();
  return { orgId, id: ID_PREFIX[assigneeType] + randomBase62(17), assigneeType, assigneeId, type, created: now, lastUpdated: now };
}

/** Insert of an assignment that does nothing when the principal already holds the role. */
export function insertAssignmentIfAbsent(db: Db, row: AssignmentRow): BatchItem<"sqlite"> {
  return db.insert(roleAssignments).values(row).onConflictDoNothing();
}

/** A principal's role assignments and their targets go with it, in the caller's batch. */
export function roleDeletesForAssignee(db: Db, orgId: string, assigneeType: AssigneeType, assigneeId: string): BatchItem<"sqlite">[] {
  const ids = db
    .select({ id: roleAssignments.id })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.orgId, orgId), eq(roleAssignments.assigneeType, assigneeType), eq(roleAssignments.assigneeId, assigneeId)));
  return [
    db.delete(roleTargets).where(and(eq(roleTargets.orgId, orgId), inArray(roleTargets.assignmentId, ids))),
    db
      .delete(roleAssignments)
      .where(and(eq(roleAssignments.orgId, orgId), eq(roleAssignments.assigneeType, assigneeType), eq(roleAssignments.assigneeId, assigneeId))),
  ];
}

/**
 * A deleted group or app leaves every role's targets. An assignment whose
 * only targets were that object is removed with it: left without targets it
 * would reach every object, more than it was ever given.
 */
export function roleDeletesForTarget(db: Db, orgId: string, target: { kind: "GROUP"; groupId: string } | { kind: "APP"; appId: string }): BatchItem<"sqlite">[] {
  const isTarget =
    target.kind === "GROUP"
      ? and(eq(roleTargets.kind, "GROUP"), eq(roleTargets.targetId, target.groupId))!
      : eq(roleTargets.appId, target.appId);
  const other =
    target.kind === "GROUP"
      ? sql`NOT (t2.kind = 'GROUP' AND t2.target_id = ${target.groupId})`
      : sql`t2.app_id <> ${target.appId}`;
  return [
    db.delete(roleAssignments).where(
      and(
        eq(roleAssignments.orgId, orgId),
        inArray(roleAssignments.id, db.select({ id: roleTargets.assignmentId }).from(roleTargets).where(and(eq(roleTargets.orgId, orgId), isTarget))),
        sql`NOT EXISTS (SELECT 1 FROM role_targets t2 WHERE t2.org_id = ${orgId} AND t2.assignment_id = ${roleAssignments.id} AND ${other})`,
      ),
    ),
    db.delete(roleTargets).where(and(eq(roleTargets.orgId, orgId), isTarget)),
  ];
}

/** The roles assigned directly to one principal, oldest first. */
export async function assignmentsOf(db: Db, orgId: string, assigneeType: AssigneeType, assigneeId: string): Promise<AssignmentRow[]> {
  return db
    .select()
    .from(roleAssignments)
    .where(and(eq(roleAssignments.orgId, orgId), eq(roleAssignments.assigneeType, assigneeType), eq(roleAssignments.assigneeId, assigneeId)))
    .orderBy(asc(roleAssignments.created), asc(roleAssignments.id))
    .all();
}

export async function findAssignment(db: Db, orgId: string, id: string): Promise<AssignmentRow | null> {
  return (await db.select().from(roleAssignments).where(and(eq(roleAssignments.orgId, orgId), eq(roleAssignments.id, id))).get()) ?? null;
}

export async function insertAssignment(db: Db, row: AssignmentRow): Promise<boolean> {
  const inserted = await db.insert(roleAssignments).values(row).onConflictDoNothing().returning({ id: roleAssignments.id });
  return inserted.length > 0;
}

export async function deleteAssignment(db: Db, row: AssignmentRow): Promise<void> {
  await db.batch([
    db.delete(roleTargets).where(and(eq(roleTargets.orgId, row.orgId), eq(roleTargets.assignmentId, row.id))),
    db.delete(roleAssignments).where(and(eq(roleAssignments.orgId, row.orgId), eq(roleAssignments.id, row.id))),
  ]);
}

/** Targets of assignments, in the order they were added. */
export async function targetsOf(db: Db, orgId: string, assignmentIds: string[]): Promise<TargetRow[]> {
  if (!assignmentIds.length) return [];
  return db
    .select()
    .from(roleTargets)
    .where(and(eq(roleTargets.orgId, orgId), inArray(roleTargets.assignmentId, assignmentIds)))
    .orderBy(asc(roleTargets.created), asc(roleTargets.targetId), asc(roleTargets.appId))
    .all();
}

export async function addTarget(db: Db, row: TargetRow): Promise<void> {
  await db.batch([
    db.insert(roleTargets).values(row).onConflictDoNothing(),
    db
      .update(roleAssignments)
      .set({ lastUpdated: row.created })
      .where(and(eq(roleAssignments.orgId, row.orgId), eq(roleAssignments.id, row.assignmentId))),
  ]);
}

export async function removeTarget(db: Db, row: Omit<TargetRow, "created">): Promise<void> {
  await db.batch([
    db
      .delete(roleTargets)
      .where(
        and(
          eq(roleTargets.orgId, row.orgId),
          eq(roleTargets.assignmentId, row.assignmentId),
          eq(roleTargets.kind, row.kind),
          eq(roleTargets.targetId, row.targetId),
          eq(roleTargets.appId, row.appId),
        ),
      ),
    db
      .update(roleAssignments)
      .set({ lastUpdated: nowIso() })
      .where(and(eq(roleAssignments.orgId, row.orgId), eq(roleAssignments.id, row.assignmentId))),
  ]);
}
