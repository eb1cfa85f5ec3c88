// What other modules may use from admin roles (DESIGN: a module's service is its only import surface).
export { roleDeletesForAssignee, roleDeletesForTarget, insertAssignmentIfAbsent, newAssignment } from "./store";
export { listTargets } from "./list-filter";
export type { Targets } from "./targets";
