// What other modules may use from groups (DESIGN: a module's service is its only import surface).
export {
  everyoneGroupId,
  assertAssignableGroups,
  membershipRowsForNewUser,
  membershipDeletesForUser,
  listGroupsOfUser,
  applyGroupRulesToUser,
  groupIdsOfUser,
  membersOfGroups,
} from "./membership";
export { findGroup } from "./groups";
