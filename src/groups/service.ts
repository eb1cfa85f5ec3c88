// What other modules may use from groups (DESIGN: a module's service is its only import surface).
export {
  everyoneGroupId,
  assertAssignableGroups,
  membershipRowsForNewUser,
  membershipDeletesForUser,
  listGroupsOfUser,
  applyGroupRulesToUser,
  groupIdsOfUser,
  groupNamesOfUser,
  membersOfGroups,
  groupIdsOfUserQuery,
  userIdsInGroupsQuery,
  isMemberOfAny,
} from "./membership";
export { findGroup, groupsByIds } from "./groups";
export { groupJson, type GroupRow } from "./json";
