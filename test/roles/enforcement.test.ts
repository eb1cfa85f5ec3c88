import { beforeAll, describe, expect, it } from "vitest";
import { createOrg, type TestOrg } from "../support/http";
import { registerServiceClient, type ServiceClient } from "../support/oauth";
import { adminWith, as, assignRole, expectNoPermission, expectPermitted, makeGroup, makeUser, tokenFor, type Api } from "./helpers";

/**
 * Role targets on single objects and lists, roles held through groups, and
 * SSWS tokens of admins who are not SUPER_ADMIN (REFERENCE-SIGNIN §7.1, §8.4).
 */
let org: TestOrg;
let root: Api;
let inside: { id: string };
let outside: { id: string };
let insider: { id: string };
let outsider: { id: string };

beforeAll(async () => {
  org = await createOrg();
  root = as(org, org.ssws);
  inside = await makeGroup(root);
  outside = await makeGroup(root);
  insider = await makeUser(root, [inside.id]);
  outsider = await makeUser(root, [outside.id]);
});

describe("a USER_ADMIN limited to one group", () => {
  let admin: Api;
  beforeAll(async () => {
    admin = (await adminWith(org, "USER_ADMIN", { groups: [inside.id] })).api;
  });

  it("lists only that group's members, and only that group (200, filtered)", async () => {
    const users = await admin.get("/api/v1/users");
    expect(users.status).toBe(200);
    expect(users.body.map((u: any) => u.id)).toEqual([insider.id]);
    const searched = await admin.get(`/api/v1/users?search=${encodeURIComponent('status eq "STAGED"')}`);
    expect(searched.body.map((u: any) => u.id)).toEqual([insider.id]);
    const groups = await admin.get("/api/v1/groups");
    expect(groups.status).toBe(200);
    expect(groups.body.map((g: any) => g.id)).toEqual([inside.id]);
    expect((await admin.get(`/api/v1/groups?q=role-group`)).body.map((g: any) => g.id)).toEqual([inside.id]);
  });

  it("reads and manages a member; a user or group outside the targets is 403 E0000006", async () => {
    expect((await admin.get(`/api/v1/users/${insider.id}`)).status).toBe(200);
    expect((await admin.post(`/api/v1/users/${insider.id}`, { profile: { nickName: "in" } })).status).toBe(200);
    expect((await admin.get(`/api/v1/groups/${inside.id}/users`)).status).toBe(200);
    expectNoPermission(await admin.get(`/api/v1/users/${outsider.id}`));
    expectNoPermission(await admin.post(`/api/v1/users/${outsider.id}`, { profile: { nickName: "out" } }));
    expectNoPermission(await admin.get(`/api/v1/groups/${outside.id}`));
    expectNoPermission(await admin.get(`/api/v1/groups/${outside.id}/users`));
    // Membership in a target group, but not outside it; no group writes at all.
    const spare = await makeUser(root);
    expect((await admin.put(`/api/v1/groups/${inside.id}/users/${spare.id}`)).status).toBe(204);
    expectNoPermission(await admin.put(`/api/v1/groups/${outside.id}/users/${spare.id}`));
    expectNoPermission(await admin.put(`/api/v1/groups/${inside.id}`, { profile: { name: "renamed" } }));
    // Nothing outside its families, and no create while limited to targets.
    expectNoPermission(await admin.get("/api/v1/apps"));
    expectNoPermission(await admin.post("/api/v1/users", { profile: {} }));
    expectNoPermission(await admin.get("/api/v1/groups/rules"));
  });
});

describe("an APP_ADMIN limited to one app instance", () => {
  it("lists and reads only that app, as an app and as a client", async () => {
    const [mine, other] = [await registerServiceClient(org), await registerServiceClient(org)];
    const admin = (await adminWith(org, "APP_ADMIN", { apps: [mine.app.id] })).api;
    expect((await admin.get("/api/v1/apps")).body.map((a: any) => a.id)).toEqual([mine.app.id]);
    expect((await admin.get("/oauth2/v1/clients")).body.map((a: any) => a.client_id)).toEqual([mine.clientId]);
    expect((await admin.get(`/api/v1/apps/${mine.app.id}`)).status).toBe(200);
    expect((await admin.get(`/oauth2/v1/clients/${mine.clientId}`)).status).toBe(200);
    expectNoPermission(await admin.get(`/api/v1/apps/${other.app.id}`));
    expectNoPermission(await admin.get(`/oauth2/v1/clients/${other.clientId}`));
    expectNoPermission(await admin.post(`/api/v1/apps/${other.app.id}/lifecycle/deactivate`));
    // Users and groups are readable; grants are the Super Admin's.
    expect((await admin.get("/api/v1/users")).body.length).toBeGreaterThan(2);
    expectNoPermission(await admin.get(`/api/v1/apps/${mine.app.id}/grants`));
  });
});

describe("roles through groups", () => {
  it("a member of a group holding READ_ONLY_ADMIN reads, cannot write; leaving the group ends it", async () => {
    const admins = await makeGroup(root);
    await assignRole(root, `/api/v1/groups/${admins.id}`, "READ_ONLY_ADMIN");
    const member = await makeUser(root, [admins.id]);
    const api = as(org, (await tokenFor(org, member.id)).ssws);
    expect((await api.get("/api/v1/users")).status).toBe(200);
    expect((await api.get(`/api/v1/groups/${outside.id}`)).status).toBe(200);
    expectNoPermission(await api.post("/api/v1/groups", { profile: { name: "nope" } }));
    expectNoPermission(await api.get(`/api/v1/users/${member.id}/roles`));
    expect((await root.del(`/api/v1/groups/${admins.id}/users/${member.id}`)).status).toBe(204);
    expectNoPermission(await api.get("/api/v1/users"));
  });

  it("joining a group that holds a role gives it at the next request (the roles kept per isolate are voided by the write)", async () => {
    const admins = await makeGroup(root);
    await assignRole(root, `/api/v1/groups/${admins.id}`, "READ_ONLY_ADMIN");
    const user = await makeUser(root);
    const api = as(org, (await tokenFor(org, user.id)).ssws);
    expectNoPermission(await api.get("/api/v1/users"));
    expect((await root.put(`/api/v1/groups/${admins.id}/users/${user.id}`)).status).toBe(204);
    expect((await api.get("/api/v1/users")).status).toBe(200);
  });

  it("roles add up: a direct HELP_DESK_ADMIN on one group plus a group's USER_ADMIN on another", async () => {
    const holders = await makeGroup(root);
    const role = await assignRole(root, `/api/v1/groups/${holders.id}`, "USER_ADMIN");
    await root.put(`/api/v1/groups/${holders.id}/roles/${role.id}/targets/groups/${outside.id}`);
    const member = await makeUser(root, [holders.id]);
    const help = await assignRole(root, `/api/v1/users/${member.id}`, "HELP_DESK_ADMIN");
    await root.put(`/api/v1/users/${member.id}/roles/${help.id}/targets/groups/${inside.id}`);
    const api = as(org, (await tokenFor(org, member.id)).ssws);
    const listed = (await api.get("/api/v1/users")).body.map((u: any) => u.id);
    expect(listed).toEqual(expect.arrayContaining([insider.id, outsider.id]));
    expect(listed).not.toContain(member.id);
    expectPermitted(await api.post(`/api/v1/users/${insider.id}/lifecycle/unlock`));
    expectNoPermission(await api.post(`/api/v1/users/${insider.id}`, { profile: { nickName: "x" } }));
    expect((await api.post(`/api/v1/users/${outsider.id}`, { profile: { nickName: "x" } })).status).toBe(200);
  });
});

describe("SSWS tokens of an admin without roles, and of a SUPER_ADMIN", () => {
  it("a user with no admin role gets 403 E0000006 everywhere but its own user", async () => {
    const user = await makeUser(root);
    const api = as(org, (await tokenFor(org, user.id)).ssws);
    expectNoPermission(await api.get("/api/v1/users"));
    expectNoPermission(await api.get(`/api/v1/users/${user.id}`));
    expect((await api.get("/api/v1/users/me")).body.id).toBe(user.id);
  });

  it("a second SUPER_ADMIN's token does everything", async () => {
    const api = (await adminWith(org, "SUPER_ADMIN")).api;
    const group = await api.post("/api/v1/groups", { profile: { name: `by-super-${Date.now()}` } });
    expect(group.status).toBe(200);
    expect((await api.get(`/api/v1/users/${insider.id}/roles`)).status).toBe(200);
  });
});

describe("client_credentials tokens act with the client's roles", () => {
  async function tokenOf(client: ServiceClient, scopes: string[]) {
    const { requestToken } = await import("../support/oauth");
    const reply = await requestToken(client, { scopes });
    expect(reply.status, reply.text).toBe(200);
    return `Bearer ${reply.body.access_token}`;
  }

  it("setting on: a granted service app is SUPER_ADMIN, listed in its roles", async () => {
    const client = await registerServiceClient(org, { scopes: ["okta.users.manage", "okta.groups.read"] });
    const roles = await root.get(`/oauth2/v1/clients/${client.clientId}/roles`);
    expect(roles.body.map((r: any) => [r.type, r.assignmentType])).toEqual([["SUPER_ADMIN", "CLIENT"]]);
    const api = as(org, await tokenOf(client, ["okta.users.manage"]));
    expect((await api.get(`/api/v1/users/${outsider.id}`)).status).toBe(200);
    // Unassigning the role takes the permission away at once.
    expect((await root.del(`/oauth2/v1/clients/${client.clientId}/roles/${roles.body[0].id}`)).status).toBe(204);
    expectNoPermission(await api.get(`/api/v1/users/${outsider.id}`));
  });

  it("setting off: no role until one is assigned; READ_ONLY_ADMIN reads but cannot write; USER_ADMIN on a group sees its members", async () => {
    const strict = await createOrg({ settings: { publicClientAppAdmins: false } });
    const strictRoot = as(strict, strict.ssws);
    const group = await makeGroup(strictRoot);
    const member = await makeUser(strictRoot, [group.id]);
    const client = await registerServiceClient(strict, { scopes: ["okta.users.manage", "okta.groups.read"] });
    expect((await strictRoot.get(`/oauth2/v1/clients/${client.clientId}/roles`)).body).toEqual([]);
    const api = as(strict, await tokenOf(client, ["okta.users.manage", "okta.groups.read"]));
    expectNoPermission(await api.get("/api/v1/users"));

    const readOnly = await assignRole(strictRoot, `/oauth2/v1/clients/${client.clientId}`, "READ_ONLY_ADMIN");
    expect((await api.get("/api/v1/users")).body.length).toBe(2);
    expectNoPermission(await api.post("/api/v1/users", { profile: {} }));
    await strictRoot.del(`/oauth2/v1/clients/${client.clientId}/roles/${readOnly.id}`);

    const userAdmin = await assignRole(strictRoot, `/oauth2/v1/clients/${client.clientId}`, "USER_ADMIN");
    await strictRoot.put(`/oauth2/v1/clients/${client.clientId}/roles/${userAdmin.id}/targets/groups/${group.id}`);
    expect((await api.get("/api/v1/users")).body.map((u: any) => u.id)).toEqual([member.id]);
    expect((await api.get("/api/v1/groups")).body.map((g: any) => g.id)).toEqual([group.id]);
  });
});
