import { beforeAll, describe, expect, it } from "vitest";
import { ROLE_PERMISSIONS, ROLE_TYPES, PERMISSIONS, type Permission } from "../../src/access/roles/permissions";
import { routePermission } from "../../src/access/roles/route-permissions";
import { routeTable } from "../../src/access/route-table";
import { createOrg, type TestOrg } from "../support/http";
import { adminWith, expectNoPermission, expectPermitted, type Api } from "./helpers";

/**
 * The role matrix, generated from the one role → permission table
 * (src/access/roles/permissions.ts): for every standard role, held without
 * targets through an SSWS token of its admin, and every permission (endpoint
 * family × action), one representative request either gets past the role
 * step or is refused with 403 E0000006. The representatives name objects that
 * do not exist or send empty bodies, so a permitted request ends in the
 * handler's 400/404 and changes nothing.
 */
const NONE = "0zzNotThere000000000";
const REPRESENTATIVE: Record<Permission, [string, string, unknown?]> = {
  "users.read": ["GET", `/api/v1/users/00u${NONE.slice(3)}`],
  "users.manage": ["POST", `/api/v1/users/00u${NONE.slice(3)}`, {}],
  "users.helpDesk": ["POST", `/api/v1/users/00u${NONE.slice(3)}/lifecycle/unlock`],
  "groups.read": ["GET", `/api/v1/groups/00g${NONE.slice(3)}`],
  "groups.manage": ["PUT", `/api/v1/groups/00g${NONE.slice(3)}`, {}],
  "groups.membership": ["PUT", `/api/v1/groups/00g${NONE.slice(3)}/users/00u${NONE.slice(3)}`],
  "apps.read": ["GET", `/api/v1/apps/0oa${NONE.slice(3)}`],
  "apps.manage": ["DELETE", `/api/v1/apps/0oa${NONE.slice(3)}`],
  "clients.read": ["GET", `/oauth2/v1/clients/0oa${NONE.slice(3)}`],
  "clients.manage": ["DELETE", `/oauth2/v1/clients/0oa${NONE.slice(3)}`],
  "authorizationServers.read": ["GET", `/api/v1/authorizationServers/aus${NONE.slice(3)}`],
  "authorizationServers.manage": ["DELETE", `/api/v1/authorizationServers/aus${NONE.slice(3)}`],
  "roles.read": ["GET", `/api/v1/users/00u${NONE.slice(3)}/roles`],
  "roles.manage": ["POST", `/api/v1/users/00u${NONE.slice(3)}/roles`, {}],
  "appGrants.read": ["GET", `/api/v1/apps/0oa${NONE.slice(3)}/grants`],
  "appGrants.manage": ["POST", `/api/v1/apps/0oa${NONE.slice(3)}/grants`, {}],
  "apiTokens.read": ["GET", `/api/v1/api-tokens/00T${NONE.slice(3)}`],
  "apiTokens.manage": ["DELETE", `/api/v1/api-tokens/00T${NONE.slice(3)}`],
  "sessions.read": ["GET", `/api/v1/sessions/102${NONE.slice(3)}`],
  "sessions.manage": ["DELETE", `/api/v1/sessions/102${NONE.slice(3)}`],
  "trustedOrigins.read": ["GET", `/api/v1/trustedOrigins/tos${NONE.slice(3)}`],
  "trustedOrigins.manage": ["DELETE", `/api/v1/trustedOrigins/tos${NONE.slice(3)}`],
};

let org: TestOrg;
const admins = new Map<string, Api>();

beforeAll(async () => {
  org = await createOrg();
  for (const type of ROLE_TYPES) admins.set(type, (await adminWith(org, type)).api);
}, 120_000);

function send(api: Api, [method, path, body]: [string, string, unknown?]) {
  if (method === "GET") return api.get(path);
  if (method === "DELETE") return api.del(path);
  return method === "PUT" ? api.put(path, body) : api.post(path, body);
}

describe("role matrix", () => {
  it("every route with an okta.* scope has a permission (or acts on the caller's own user)", () => {
    const missing = routeTable.filter((r) => r.access.kind === "scope" && routePermission(r.method, r.path, r.access.scope) === null);
    expect(missing).toEqual([]);
    expect(Object.keys(REPRESENTATIVE).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const role of ROLE_TYPES) {
    for (const permission of PERMISSIONS) {
      const allowed = ROLE_PERMISSIONS[role][permission] !== undefined;
      it(`${role} ${allowed ? "may" : "may not"} ${permission}`, async () => {
        const reply = await send(admins.get(role)!, REPRESENTATIVE[permission]);
        if (allowed) expectPermitted(reply);
        else expectNoPermission(reply);
      });
    }
  }
});
