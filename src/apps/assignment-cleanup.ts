import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../platform/context";
import { appGroupAssignments, appUserAssignments } from "./table";

/**
 * The statements that remove an object's app assignments, for the batch
 * that deletes the object (a user, a group or an app): no assignment
 * outlives what it names. Only tables are imported here, so users and
 * groups can use it without an import circle.
 */
export function assignmentDeletesForUser(db: Db, orgId: string, userId: string): BatchItem<"sqlite">[] {
  return [db.delete(appUserAssignments).where(and(eq(appUserAssignments.orgId, orgId), eq(appUserAssignments.userId, userId)))];
}

export function assignmentDeletesForGroup(db: Db, orgId: string, groupId: string): BatchItem<"sqlite">[] {
  return [db.delete(appGroupAssignments).where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.groupId, groupId)))];
}

export function assignmentDeletesForApp(db: Db, orgId: string, appId: string): BatchItem<"sqlite">[] {
  return [
    db.delete(appUserAssignments).where(and(eq(appUserAssignments.orgId, orgId), eq(appUserAssignments.appId, appId))),
    db.delete(appGroupAssignments).where(and(eq(appGroupAssignments.orgId, orgId), eq(appGroupAssignments.appId, appId))),
  ];
}
