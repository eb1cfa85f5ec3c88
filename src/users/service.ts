// The users namespace's public face: the only module other namespaces import.
export { findUser, findUsersByIds, usersAfter, normalizeLogin, type UserRecord, type UserStatus } from "./record";
export { userJson, etagOf } from "./json";
