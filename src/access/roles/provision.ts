import type { NewOrg, Provisioner } from "../../orgs/provisioner";
import type { Db } from "../../platform/context";
import { insertAssignmentIfAbsent, newAssignment } from "./store";

/** The org's built-in admin (owner of its bootstrap API token) is SUPER_ADMIN, and the roles API says so. */
export const provisionRoles: Provisioner = (db: Db, org: NewOrg) => [
  insertAssignmentIfAbsent(db, { ...newAssignment(org.id, "USER", org.adminUserId, "SUPER_ADMIN"), created: org.created, lastUpdated: org.created }),
];
