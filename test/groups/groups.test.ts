import { beforeAll, describe, expect, it } from "vitest";
import { createOrg, links, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { as, makeGroup, makeUser, memberIds, type Api } from "./helpers";

let org: TestOrg;
let api: Api;

beforeAll(async () => {
  org = await createOrg();
  api = as(org);
});

describe("Everyone", () => {
  it("exists in every org as BUILT_IN with Okta's profile, and holds the super-admin", async () => {
    const reply = await api.get("/api/v1/groups?q=Everyone");
    expect(reply.status).toBe(200);
    const everyone = reply.body.find((g: any) => g.type === "BUILT_IN");
    expect(everyone.profile).toEqual({ name: "Everyone", description: "All users in your organization" });
    expect(everyone.objectClass).toEqual(["okta:user_group"]);
    expectOktaSchema(everyone, "Group");
    const members = await api.get(`/api/v1/groups/${everyone.id}/users`);
    expect(members.status).toBe(200);
    expect(members.body.length).toBe(1);
    expect(members.body[0].profile.login).toMatch(/^admin@/);
  });

  it("gains every new user", async () => {
    const everyone = (await api.get("/api/v1/groups?q=Everyone")).body[0];
    const user = await makeUser(api, "everyone-check@example.com");
    expect(await memberIds(api, everyone.id)).toContain(user.id);
  });

  it("cannot be edited, deleted or have members changed: 403 E0000006", async () => {
    const everyone = (await api.get("/api/v1/groups?q=Everyone")).body[0];
    const user = await makeUser(api, "everyone-refusal@example.com");
    for (const reply of [
      await api.put(`/api/v1/groups/${everyone.id}`, { profile: { name: "All" } }),
      await api.del(`/api/v1/groups/${everyone.id}`),
      await api.put(`/api/v1/groups/${everyone.id}/users/${user.id}`),
      await api.del(`/api/v1/groups/${everyone.id}/users/${user.id}`),
    ]) {
      expect(reply.status).toBe(403);
      expect(reply.body.errorCode).toBe("E0000006");
    }
    expect(await memberIds(api, everyone.id)).toContain(user.id);
  });
});

describe("create, get, replace, delete", () => {
  it("creates an OKTA_GROUP (200) shaped as Okta's Group, with no self link", async () => {
    const reply = await api.post("/api/v1/groups", { profile: { name: "West Coast users", description: "West of the Rockies" } });
    expect(reply.status).toBe(200);
    const g = reply.body;
    expectOktaSchema(g, "Group");
    expect(g.id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(g.type).toBe("OKTA_GROUP");
    expect(g.objectClass).toEqual(["okta:user_group"]);
    expect(Object.keys(g)).toEqual(["id", "created", "lastUpdated", "lastMembershipUpdated", "objectClass", "type", "profile", "_links"]);
    expect(g.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(g._links.self).toBeUndefined();
    expect(g._links.users.href).toBe(`${org.orgUrl}/api/v1/groups/${g.id}/users`);
    expect(g._links.apps.href).toBe(`${org.orgUrl}/api/v1/groups/${g.id}/apps`);
    expect(g._links.logo.map((l: any) => l.name)).toEqual(["medium", "large"]);
    expect(g._embedded).toBeUndefined();
    const got = await api.get(`/api/v1/groups/${g.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(g);
  });

  it("ignores a type in the body: always OKTA_GROUP", async () => {
    const reply = await api.post("/api/v1/groups", { type: "BUILT_IN", profile: { name: "Not built in" } });
    expect(reply.status).toBe(200);
    expect(reply.body.type).toBe("OKTA_GROUP");
  });

  it("validates the profile: name 1–255, description ≤ 1024", async () => {
    const cases: [unknown, string][] = [
      [{}, "profile: The field cannot be left blank"],
      [{ profile: {} }, "name: The field cannot be left blank"],
      [{ profile: { name: "" } }, "name: The field cannot be left blank"],
      [{ profile: { name: 5 } }, "name: The field must be a string"],
      [{ profile: { name: "x".repeat(256) } }, "name: The field cannot exceed 255 characters"],
      [{ profile: { name: "ok", description: "d".repeat(1025) } }, "description: The field cannot exceed 1024 characters"],
      [{ profile: { name: "ok", nested: { a: 1 } } }, "nested: Property value must be a string, number, boolean, null or an array of them"],
    ];
    for (const [body, cause] of cases) {
      const reply = await api.post("/api/v1/groups", body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(reply.body.errorCauses.map((c: any) => c.errorSummary)).toContain(cause);
    }
    expect((await api.post("/api/v1/groups", { profile: { name: "n".repeat(255), description: "d".repeat(1024) } })).status).toBe(200);
  });

  it("refuses a duplicate name, case-insensitively, on create and on replace", async () => {
    const a = await makeGroup(api, "Engineering");
    for (const name of ["Engineering", "ENGINEERING", "engineering"]) {
      const reply = await api.post("/api/v1/groups", { profile: { name } });
      expect(reply.status).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(reply.body.errorSummary).toBe("Api validation failed: name");
      expect(reply.body.errorCauses).toEqual([{ errorSummary: "name: An object with this field already exists in the current organization" }]);
    }
    const b = await makeGroup(api, "Marketing");
    const clash = await api.put(`/api/v1/groups/${b.id}`, { profile: { name: "engineering" } });
    expect(clash.status).toBe(400);
    expect(clash.body.errorCauses[0].errorSummary).toBe("name: An object with this field already exists in the current organization");
    // Renaming a group to its own name in another case is fine.
    const self = await api.put(`/api/v1/groups/${a.id}`, { profile: { name: "ENGINEERING" } });
    expect(self.status).toBe(200);
    expect(self.body.profile.name).toBe("ENGINEERING");
  });

  it("allows a name another org uses", async () => {
    const other = await createOrg();
    await makeGroup(api, "Shared name");
    expect((await as(other).post("/api/v1/groups", { profile: { name: "Shared name" } })).status).toBe(200);
  });

  it("PUT replaces the whole profile and moves lastUpdated, not lastMembershipUpdated", async () => {
    const g = await makeGroup(api, "Replace me", "old description");
    await new Promise((r) => setTimeout(r, 5));
    const reply = await api.put(`/api/v1/groups/${g.id}`, { profile: { name: "Replaced", custom: "x" } });
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "Group");
    expect(reply.body.profile).toEqual({ name: "Replaced", custom: "x" });
    expect(reply.body.lastUpdated > g.lastUpdated).toBe(true);
    expect(reply.body.lastMembershipUpdated).toBe(g.lastMembershipUpdated);
    expect((await api.get(`/api/v1/groups/${g.id}`)).body.profile).toEqual({ name: "Replaced", custom: "x" });
    const bad = await api.put(`/api/v1/groups/${g.id}`, { profile: { description: "no name" } });
    expect(bad.status).toBe(400);
  });

  it("unknown group: 404 E0000007 (UserGroup) on every route", async () => {
    const id = "00gnosuchgroup000000";
    const user = await makeUser(api, "unknown-group@example.com");
    for (const reply of [
      await api.get(`/api/v1/groups/${id}`),
      await api.put(`/api/v1/groups/${id}`, { profile: { name: "x" } }),
      await api.del(`/api/v1/groups/${id}`),
      await api.get(`/api/v1/groups/${id}/users`),
      await api.put(`/api/v1/groups/${id}/users/${user.id}`),
      await api.del(`/api/v1/groups/${id}/users/${user.id}`),
      await api.get(`/api/v1/groups/${id}/apps`),
      await api.get(`/api/v1/groups/${id}/owners`),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.body.errorCode).toBe("E0000007");
      expect(reply.body.errorSummary).toBe(`Not found: Resource not found: ${id} (UserGroup)`);
    }
  });

  it("expand=stats embeds counts that follow membership", async () => {
    const g = await makeGroup(api, "Stats group");
    const u1 = await makeUser(api, "stats1@example.com");
    const u2 = await makeUser(api, "stats2@example.com");
    await api.put(`/api/v1/groups/${g.id}/users/${u1.id}`);
    await api.put(`/api/v1/groups/${g.id}/users/${u2.id}`);
    const reply = await api.get(`/api/v1/groups/${g.id}?expand=stats`);
    expectOktaSchema(reply.body, "Group");
    expect(reply.body._embedded).toEqual({ stats: { usersCount: 2, appsCount: 0, groupPushMappingsCount: 0, hasAdminPrivlege: false } });
    const apps = await api.get(`/api/v1/groups/${g.id}/apps`);
    expect(apps.status).toBe(200);
    expect(apps.body).toEqual([]);
    expect(reply.body._embedded.stats.appsCount).toBe(apps.body.length);
    expect((await api.get(`/api/v1/groups/${g.id}?expand=app`)).body._embedded).toBeUndefined();
  });

  it("DELETE removes the group, its memberships, owners and rule targets (rules become INVALID) in one go", async () => {
    const g = await makeGroup(api, "Doomed");
    const keep = await makeGroup(api, "Survivor");
    const u = await makeUser(api, "doomed@example.com");
    await api.put(`/api/v1/groups/${g.id}/users/${u.id}`);
    await api.post(`/api/v1/groups/${g.id}/owners`, { id: u.id, type: "USER" });
    await api.post(`/api/v1/groups/${keep.id}/owners`, { id: g.id, type: "GROUP" });
    const rule = await api.post("/api/v1/groups/rules", {
      type: "group_rule",
      name: "targets doomed",
      conditions: { expression: { type: "urn:okta:expression:1.0", value: 'user.department == "X"' } },
      actions: { assignUserToGroups: { groupIds: [g.id, keep.id] } },
    });
    expect(rule.status).toBe(200);
    const del = await api.del(`/api/v1/groups/${g.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await api.get(`/api/v1/groups/${g.id}`)).status).toBe(404);
    const groupsOfUser = await api.get(`/api/v1/users/${u.id}/groups`);
    expect(groupsOfUser.body.map((x: any) => x.id)).not.toContain(g.id);
    expect((await api.get(`/api/v1/groups/${keep.id}/owners`)).body).toEqual([]);
    const after = await api.get(`/api/v1/groups/rules/${rule.body.id}`);
    expect(after.body.status).toBe("INVALID");
    const activate = await api.post(`/api/v1/groups/rules/${rule.body.id}/lifecycle/activate`);
    expect(activate.status).toBe(400);
    expect(activate.body.errorCode).toBe("E0000001");
  });
});

describe("membership", () => {
  it("PUT adds (204, idempotent), DELETE removes (204, also for non-members); lastMembershipUpdated moves", async () => {
    const g = await makeGroup(api, "Members");
    const u = await makeUser(api, "member@example.com");
    await new Promise((r) => setTimeout(r, 5));
    const add = await api.put(`/api/v1/groups/${g.id}/users/${u.id}`);
    expect(add.status).toBe(204);
    expect(add.text).toBe("");
    const afterAdd = (await api.get(`/api/v1/groups/${g.id}`)).body;
    expect(afterAdd.lastMembershipUpdated > g.lastMembershipUpdated).toBe(true);
    expect(afterAdd.lastUpdated).toBe(g.lastUpdated);
    expect((await api.put(`/api/v1/groups/${g.id}/users/${u.id}`)).status).toBe(204);
    expect(await memberIds(api, g.id)).toEqual([u.id]);
    const members = await api.get(`/api/v1/groups/${g.id}/users`);
    expectOktaSchema(members.body[0], "User");
    expect(members.body[0]._links).toEqual({ self: { href: `${org.orgUrl}/api/v1/users/${u.id}` } });
    await new Promise((r) => setTimeout(r, 5));
    expect((await api.del(`/api/v1/groups/${g.id}/users/${u.id}`)).status).toBe(204);
    const afterRemove = (await api.get(`/api/v1/groups/${g.id}`)).body;
    expect(afterRemove.lastMembershipUpdated > afterAdd.lastMembershipUpdated).toBe(true);
    expect(await memberIds(api, g.id)).toEqual([]);
    expect((await api.del(`/api/v1/groups/${g.id}/users/${u.id}`)).status).toBe(204);
  });

  it("unknown user: 404 E0000007 (User)", async () => {
    const g = await makeGroup(api, "No such user");
    for (const reply of [
      await api.put(`/api/v1/groups/${g.id}/users/00unosuchuser0000000`),
      await api.del(`/api/v1/groups/${g.id}/users/00unosuchuser0000000`),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.body.errorCode).toBe("E0000007");
      expect(reply.body.errorSummary).toBe("Not found: Resource not found: 00unosuchuser0000000 (User)");
    }
  });

  it("/users/{id}/groups lists Everyone and the user's groups; deleting the user removes memberships", async () => {
    const g1 = await makeGroup(api, "UG one");
    const g2 = await makeGroup(api, "UG two");
    const u = await makeUser(api, "ug@example.com", {}, [g1.id]);
    await api.put(`/api/v1/groups/${g2.id}/users/${u.id}`);
    const reply = await api.get(`/api/v1/users/${u.id}/groups`);
    expect(reply.status).toBe(200);
    const names = reply.body.map((g: any) => g.profile.name).sort();
    expect(names).toEqual(["Everyone", "UG one", "UG two"]);
    for (const g of reply.body) expectOktaSchema(g, "Group");
    await api.post(`/api/v1/users/${u.id}/lifecycle/deactivate`);
    expect((await api.del(`/api/v1/users/${u.id}`)).status).toBe(204);
    expect(await memberIds(api, g1.id)).toEqual([]);
    expect(await memberIds(api, g2.id)).toEqual([]);
  });

  it("user creation refuses groupIds that are not OKTA_GROUPs or do not exist", async () => {
    const everyone = (await api.get("/api/v1/groups?q=Everyone")).body[0];
    const reply = await api.post("/api/v1/users?activate=false", {
      profile: { firstName: "A", lastName: "B", email: "gid@example.com", login: "gid@example.com" },
      groupIds: [everyone.id, "00gnosuchgroup000000"],
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errorCode).toBe("E0000001");
    expect(reply.body.errorCauses.length).toBe(2);
  });

  it("pages members by user id with absolute Link headers", async () => {
    const g = await makeGroup(api, "Paged members");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const u = await makeUser(api, `paged${i}@example.com`);
      ids.push(u.id);
      await api.put(`/api/v1/groups/${g.id}/users/${u.id}`);
    }
    ids.sort();
    const seen: string[] = [];
    let url: string | undefined = `/api/v1/groups/${g.id}/users?limit=2`;
    let pages = 0;
    while (url) {
      const reply = await api.get(url);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.map((u: any) => u.id));
      const l = links(reply.headers);
      expect(l.self).toBe(url.startsWith("http") ? url : `${org.orgUrl}${url}`);
      url = l.next;
      if (url) expect(url.startsWith(`${org.orgUrl}/api/v1/groups/${g.id}/users?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it("returns a page of more members than D1 binds parameters (150 in one page, in id order)", async () => {
    const g = await makeGroup(api, "Large page");
    const ids: string[] = [];
    for (let start = 0; start < 150; start += 25) {
      const made = await Promise.all(
        Array.from({ length: 25 }, (_, i) => makeUser(api, `wide${start + i}@example.com`, {}, [g.id])),
      );
      ids.push(...made.map((u) => u.id));
    }
    const reply = await api.get(`/api/v1/groups/${g.id}/users?limit=1000`);
    expect(reply.status).toBe(200);
    expect(reply.body.map((u: any) => u.id)).toEqual(ids.sort());
    expect(links(reply.headers).next).toBeUndefined();
    // 151 writes, each through the role step: more than the default 5 s on a loaded machine.
  }, 30_000);
});
