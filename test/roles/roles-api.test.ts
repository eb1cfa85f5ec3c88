import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, OPERATOR, type TestOrg } from "../support/http";
import { registerServiceClient } from "../support/oauth";
import { expectOktaSchema } from "../support/okta-schema";
import { as, assignRole, makeGroup, makeUser, type Api } from "./helpers";

/** The Roles API (REFERENCE-SIGNIN §8.1–8.3) through an org's bootstrap (SUPER_ADMIN) token. */
let org: TestOrg;
let root: Api;
let adminUserId: string;

beforeAll(async () => {
  org = await createOrg();
  root = as(org, org.ssws);
  adminUserId = (await root.get("/api/v1/users/me")).body.id;
});

function expectRole(body: any, type: string, assignmentType: string, assigneeHref: string) {
  expectOktaSchema(body, "StandardRole");
  expect(body).toMatchObject({ type, status: "ACTIVE", assignmentType, _links: { assignee: { href: assigneeHref } } });
  expect(typeof body.label).toBe("string");
  expect(body.created).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  expect(body.lastUpdated).toBe(body.created);
}

describe("role assignments", () => {
  it("the org's built-in admin (owner of the bootstrap token) is SUPER_ADMIN and the roles API says so", async () => {
    const reply = await root.get(`/api/v1/users/${adminUserId}/roles`);
    expect(reply.status).toBe(200);
    expect(reply.body).toHaveLength(1);
    expectRole(reply.body[0], "SUPER_ADMIN", "USER", `${org.orgUrl}/api/v1/users/${adminUserId}`);
    expect(reply.body[0].label).toBe("Super Organization Administrator");
    expect(reply.body[0].id).toMatch(/^ra1[0-9A-Za-z]{17}$/);
  });

  it("users: assign 201, get 200, list, duplicate 409 E0000090, unassign 204, then 404 E0000007", async () => {
    const user = await makeUser(root);
    const path = `/api/v1/users/${user.id}/roles`;
    const created = await root.post(path, { type: "USER_ADMIN" });
    expect(created.status).toBe(201);
    expectRole(created.body, "USER_ADMIN", "USER", `${org.orgUrl}/api/v1/users/${user.id}`);
    expect(created.body.label).toBe("Group Administrator");
    expect((await root.get(`${path}/${created.body.id}`)).body).toEqual(created.body);
    expect((await root.get(path)).body).toEqual([created.body]);

    const again = await root.post(path, { type: "USER_ADMIN" });
    expect(again.status).toBe(409);
    expect(again.body.errorCode).toBe("E0000090");

    expect((await root.del(`${path}/${created.body.id}`)).status).toBe(204);
    const gone = await root.get(`${path}/${created.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errorCode).toBe("E0000007");
    expect((await root.get(path)).body).toEqual([]);
  });

  it("refuses a missing or unknown type with 400 E0000001, and an unknown user with 404 E0000007", async () => {
    const user = await makeUser(root);
    for (const body of [{}, { type: "" }, { type: "KING" }, { type: "MOBILE_ADMIN" }, { type: "CUSTOM" }, { type: 7 }]) {
      const reply = await root.post(`/api/v1/users/${user.id}/roles`, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
    }
    const unknown = await root.post("/api/v1/users/00uNotThere000000000/roles", { type: "READ_ONLY_ADMIN" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errorCode).toBe("E0000007");
  });

  it("groups: assign 201 (gra… id); members list it with assignmentType GROUP; Everyone is refused", async () => {
    const group = await makeGroup(root);
    const member = await makeUser(root, [group.id]);
    const created = await root.post(`/api/v1/groups/${group.id}/roles`, { type: "READ_ONLY_ADMIN" });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^gra/);
    expectRole(created.body, "READ_ONLY_ADMIN", "GROUP", `${org.orgUrl}/api/v1/groups/${group.id}`);

    const direct = await assignRole(root, `/api/v1/users/${member.id}`, "HELP_DESK_ADMIN");
    const listed = await root.get(`/api/v1/users/${member.id}/roles`);
    expect(listed.body.map((r: any) => [r.type, r.assignmentType]).sort()).toEqual([
      ["HELP_DESK_ADMIN", "USER"],
      ["READ_ONLY_ADMIN", "GROUP"],
    ]);
    // The group's assignment is readable under the member, but only the group unassigns it.
    expect((await root.get(`/api/v1/users/${member.id}/roles/${created.body.id}`)).status).toBe(200);
    expect((await root.del(`/api/v1/users/${member.id}/roles/${created.body.id}`)).status).toBe(404);
    expect((await root.get(`/api/v1/groups/${group.id}/roles/${direct.id}`)).status).toBe(404);

    const everyone = (await root.get("/api/v1/groups?q=Everyone")).body[0];
    const refused = await root.post(`/api/v1/groups/${everyone.id}/roles`, { type: "READ_ONLY_ADMIN" });
    expect(refused.status).toBe(400);
    expect(refused.body.errorCode).toBe("E0000211");
  });

  it("clients: assign 200 (irb… id) to a service app; a non-service client gets 400 E0000227", async () => {
    const client = await registerServiceClient(org);
    const path = `/oauth2/v1/clients/${client.clientId}/roles`;
    const created = await root.post(path, { type: "READ_ONLY_ADMIN" });
    expect(created.status).toBe(200);
    expect(created.body.id).toMatch(/^irb/);
    expectRole(created.body, "READ_ONLY_ADMIN", "CLIENT", `${org.orgUrl}/oauth2/v1/clients/${client.clientId}`);
    expect((await root.get(path)).body).toEqual([created.body]);

    const web = await root.post("/oauth2/v1/clients", {
      client_name: "web",
      redirect_uris: ["https://app.example.com/cb"],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      application_type: "web",
    });
    expect(web.status, web.text).toBe(201);
    const refused = await root.post(`/oauth2/v1/clients/${web.body.client_id}/roles`, { type: "READ_ONLY_ADMIN" });
    expect(refused.status).toBe(400);
    expect(refused.body.errorCode).toBe("E0000227");
  });
});

describe("role targets", () => {
  it("group targets: PUT 204, listed and embedded with expand, wrong role type 400 E0000091, the last one stays", async () => {
    const user = await makeUser(root);
    const [g1, g2] = [await makeGroup(root), await makeGroup(root)];
    const role = await assignRole(root, `/api/v1/users/${user.id}`, "USER_ADMIN");
    const base = `/api/v1/users/${user.id}/roles/${role.id}/targets/groups`;
    expect((await root.get(base)).body).toEqual([]);
    expect((await root.put(`${base}/${g1.id}`)).status).toBe(204);
    expect((await root.put(`${base}/${g2.id}`)).status).toBe(204);
    expect((await root.get(base)).body.map((g: any) => g.id)).toEqual([g1.id, g2.id]);
    expect((await root.put(`${base}/00gNotThere000000000`)).status).toBe(404);

    const expanded = await root.get(`/api/v1/users/${user.id}/roles?expand=targets/groups`);
    expect(expanded.body[0]._embedded.targets.groups.map((g: any) => g.id)).toEqual([g1.id, g2.id]);
    expectOktaSchema(expanded.body[0], "StandardRole");
    expect((await root.get(`/api/v1/users/${user.id}/roles`)).body[0]._embedded).toBeUndefined();

    expect((await root.del(`${base}/${g1.id}`)).status).toBe(204);
    const last = await root.del(`${base}/${g2.id}`);
    expect(last.status).toBe(400);
    expect((await root.get(base)).body.map((g: any) => g.id)).toEqual([g2.id]);

    const readOnly = await assignRole(root, `/api/v1/users/${user.id}`, "READ_ONLY_ADMIN");
    const wrong = await root.put(`/api/v1/users/${user.id}/roles/${readOnly.id}/targets/groups/${g1.id}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errorCode).toBe("E0000091");
  });

  it("app targets: a catalog app or one instance, for APP_ADMIN only", async () => {
    const client = await registerServiceClient(org);
    const user = await makeUser(root);
    const role = await assignRole(root, `/api/v1/users/${user.id}`, "APP_ADMIN");
    const base = `/api/v1/users/${user.id}/roles/${role.id}/targets/catalog/apps`;
    expect((await root.put(`${base}/oidc_client/${client.app.id}`)).status).toBe(204);
    expect((await root.put(`${base}/oidc_client`)).status).toBe(204);
    expect((await root.put(`${base}/salesforce`)).status).toBe(404);
    expect((await root.put(`${base}/oidc_client/0oaNotThere000000000`)).status).toBe(404);
    const listed = await root.get(base);
    expect(listed.status).toBe(200);
    for (const app of listed.body) expectOktaSchema(app, "CatalogApplication");
    const expanded = await root.get(`/api/v1/users/${user.id}/roles?expand=targets/catalog/apps`);
    expect(expanded.body[0]._embedded.targets.catalog.apps).toEqual(listed.body);
    expectOktaSchema(expanded.body[0], "StandardRole");
    expect(listed.body.map((a: any) => [a.name, a.id])).toEqual([
      ["oidc_client", client.app.id],
      ["oidc_client", undefined],
    ]);
    const group = await makeGroup(root);
    const groupRole = await assignRole(root, `/api/v1/groups/${group.id}`, "APP_ADMIN");
    expect((await root.put(`/api/v1/groups/${group.id}/roles/${groupRole.id}/targets/catalog/apps/oidc_client`)).status).toBe(200);
    const wrong = await root.put(`/api/v1/users/${user.id}/roles/${role.id}/targets/groups/${group.id}`);
    expect(wrong.body.errorCode).toBe("E0000091");
  });
});

describe("deleting a principal or a target", () => {
  it("a deleted user, group or client takes its assignments and targets along; a role whose only target goes is removed", async () => {
    const group = await makeGroup(root);
    const user = await makeUser(root);
    const role = await assignRole(root, `/api/v1/users/${user.id}`, "USER_ADMIN");
    await root.put(`/api/v1/users/${user.id}/roles/${role.id}/targets/groups/${group.id}`);
    await assignRole(root, `/api/v1/groups/${group.id}`, "READ_ONLY_ADMIN");
    const deleted = await root.del(`/api/v1/groups/${group.id}`);
    expect(deleted.status, deleted.text).toBe(204);
    // Left without targets the USER_ADMIN would reach every user: it went with its last target.
    expect((await root.get(`/api/v1/users/${user.id}/roles`)).body).toEqual([]);

    const client = await registerServiceClient(org);
    await assignRole(root, `/oauth2/v1/clients/${client.clientId}`, "READ_ONLY_ADMIN");
    await root.post(`/api/v1/apps/${client.app.id}/lifecycle/deactivate`);
    const appDeleted = await root.del(`/api/v1/apps/${client.app.id}`);
    expect(appDeleted.status, appDeleted.text).toBe(204);
    const again = await registerServiceClient(org);
    expect((await root.get(`/oauth2/v1/clients/${again.clientId}/roles`)).body).toEqual([]);

    await assignRole(root, `/api/v1/users/${user.id}`, "ORG_ADMIN");
    await root.post(`/api/v1/users/${user.id}/lifecycle/deactivate`);
    expect((await root.del(`/api/v1/users/${user.id}`)).status).toBe(204);
    const stats = await call("GET", `/api/v1/users/${user.id}/roles`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(stats.status).toBe(404);
  });

  it("org settings: publicClientAppAdmins defaults on, settable at creation and by PATCH, validated", async () => {
    expect(org).toMatchObject({ settings: { publicClientAppAdmins: true } });
    const strict = await createOrg({ settings: { publicClientAppAdmins: false } });
    expect(strict).toMatchObject({ settings: { publicClientAppAdmins: false } });
    const patched = await call("PATCH", `/_edgeorg/orgs/${strict.slug}`, { auth: OPERATOR, body: { settings: { publicClientAppAdmins: true } } });
    expect(patched.status).toBe(200);
    expect(patched.body.settings).toEqual({ publicClientAppAdmins: true });
    const listed = (await call("GET", "/_edgeorg/orgs", { auth: OPERATOR })).body.find((o: any) => o.slug === strict.slug);
    expect(listed.settings).toEqual({ publicClientAppAdmins: true });
    for (const settings of [{ publicClientAppAdmins: "yes" }, { other: true }, []]) {
      const bad = await call("PATCH", `/_edgeorg/orgs/${strict.slug}`, { auth: OPERATOR, body: { settings } });
      expect(bad.status, JSON.stringify(settings)).toBe(400);
      expect(bad.body.errorCode).toBe("E0000001");
    }
    expect((await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: { settings: { publicClientAppAdmins: 1 } } })).status).toBe(400);
    expect((await call("PATCH", "/_edgeorg/orgs/no-such-org", { auth: OPERATOR, body: {} })).status).toBe(404);
    expect((await call("PATCH", `/_edgeorg/orgs/${strict.slug}`, { auth: strict.ssws, body: {} })).status).toBe(401);
  });
});
