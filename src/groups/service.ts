// What other modules may use from groups (DESIGN: a module's service is its only import surface).
export {
  everyoneGroupId,
  assertAssignableGroups,
  membershipRowsForNewUser,
  membershipDeletesForUser,
  listGroupsOfUser,
  applyGroupRulesToUser,
} from "./membership";
