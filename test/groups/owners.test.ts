import { beforeAll, describe, expect, it } from "vitest";
import { createOrg, links, type TestOrg } from "../support/http";
import { as, makeGroup, makeUser, type Api } from "./helpers";

let org: TestOrg;
let api: Api;

/**
 * Okta's GroupOwner schema, by hand: test/support/okta-schemas.json does not
 * extract GroupOwner. Properties and enums as in the management spec.
 */
function expectGroupOwner(o: any) {
  expect(Object.keys(o).every((k) => ["displayName", "id", "lastUpdated", "originId", "originType", "resolved", "type"].includes(k))).toBe(true);
  expect(typeof o.id).toBe("string");
  expect(typeof o.displayName).toBe("string");
  expect(["GROUP", "USER"]).toContain(o.type);
  expect(["APPLICATION", "OKTA_DIRECTORY"]).toContain(o.originType);
  expect(typeof o.resolved).toBe("boolean");
  expect(o.lastUpdated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
}

beforeAll(async () => {
  org = await createOrg();
  api = as(org);
});

describe("group owners", () => {
  it("assigns users and groups as owners (201), lists, searches by type, removes (204)", async () => {
    const g = await makeGroup(api, "Owned");
    const ownerGroup = await makeGroup(api, "Owner group");
    const u = await makeUser(api, "owner@example.com", { firstName: "Mabel", lastName: "Mora" });
    const addUser = await api.post(`/api/v1/groups/${g.id}/owners`, { id: u.id, type: "USER" });
    expect(addUser.status).toBe(201);
    expectGroupOwner(addUser.body);
    expect(addUser.body).toMatchObject({ id: u.id, type: "USER", resolved: true, originType: "OKTA_DIRECTORY", displayName: "Mabel Mora" });
    expect(addUser.body.lastUpdated).toMatch(/Z$/);
    const addGroup = await api.post(`/api/v1/groups/${g.id}/owners`, { id: ownerGroup.id, type: "GROUP" });
    expect(addGroup.status).toBe(201);
    expect(addGroup.body).toMatchObject({ id: ownerGroup.id, type: "GROUP", displayName: "Owner group" });
    // Assigning again is idempotent.
    const again = await api.post(`/api/v1/groups/${g.id}/owners`, { id: u.id, type: "USER" });
    expect(again.status).toBe(201);
    expect(again.body.lastUpdated).toBe(addUser.body.lastUpdated);

    const list = await api.get(`/api/v1/groups/${g.id}/owners`);
    expect(list.status).toBe(200);
    expect(list.body.length).toBe(2);
    for (const o of list.body) expectGroupOwner(o);
    const users = await api.get(`/api/v1/groups/${g.id}/owners?search=${encodeURIComponent('type eq "USER"')}`);
    expect(users.body.map((o: any) => o.id)).toEqual([u.id]);
    const page = await api.get(`/api/v1/groups/${g.id}/owners?limit=1`);
    expect(page.body.length).toBe(1);
    const next = links(page.headers).next!;
    expect(next.startsWith(`${org.orgUrl}/api/v1/groups/${g.id}/owners?`)).toBe(true);
    const second = await api.get(next);
    expect(second.body.length).toBe(1);
    expect(second.body[0].id).not.toBe(page.body[0].id);

    expect((await api.del(`/api/v1/groups/${g.id}/owners/${u.id}`)).status).toBe(204);
    expect((await api.get(`/api/v1/groups/${g.id}/owners`)).body.map((o: any) => o.id)).toEqual([ownerGroup.id]);
    const gone = await api.del(`/api/v1/groups/${g.id}/owners/${u.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errorCode).toBe("E0000007");
  });

  it("validates the body and the owner", async () => {
    const g = await makeGroup(api, "Owner validation");
    const bad = await api.post(`/api/v1/groups/${g.id}/owners`, { id: "x", type: "APP" });
    expect(bad.status).toBe(400);
    expect(bad.body.errorCauses[0].errorSummary).toBe("type: The field must be one of USER, GROUP");
    const blank = await api.post(`/api/v1/groups/${g.id}/owners`, {});
    expect(blank.body.errorCauses.map((c: any) => c.errorSummary)).toEqual([
      "id: The field cannot be left blank",
      "type: The field cannot be left blank",
    ]);
    const noUser = await api.post(`/api/v1/groups/${g.id}/owners`, { id: "00unosuchuser0000000", type: "USER" });
    expect(noUser.status).toBe(404);
    expect(noUser.body.errorSummary).toBe("Not found: Resource not found: 00unosuchuser0000000 (User)");
    const noGroup = await api.post(`/api/v1/groups/${g.id}/owners`, { id: "00gnosuchgroup000000", type: "GROUP" });
    expect(noGroup.status).toBe(404);
    expect(noGroup.body.errorSummary).toBe("Not found: Resource not found: 00gnosuchgroup000000 (UserGroup)");
    const everyone = (await api.get("/api/v1/groups?q=Everyone")).body[0];
    const u = await makeUser(api, "owner2@example.com");
    expect((await api.post(`/api/v1/groups/${everyone.id}/owners`, { id: u.id, type: "USER" })).status).toBe(403);
  });

  it("a deleted user stops owning groups", async () => {
    const g = await makeGroup(api, "Owner deletion");
    const u = await makeUser(api, "owner3@example.com");
    await api.post(`/api/v1/groups/${g.id}/owners`, { id: u.id, type: "USER" });
    await api.post(`/api/v1/users/${u.id}/lifecycle/deactivate`);
    expect((await api.del(`/api/v1/users/${u.id}`)).status).toBe(204);
    expect((await api.get(`/api/v1/groups/${g.id}/owners`)).body).toEqual([]);
  });
});
