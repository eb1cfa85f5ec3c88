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

function ruleBody(name: string, value: string, groupIds: string[], exclude?: string[]) {
  return {
    type: "group_rule",
    name,
    conditions: {
      ...(exclude ? { people: { users: { exclude } } } : {}),
      expression: { value, type: "urn:okta:expression:1.0" },
    },
    actions: { assignUserToGroups: { groupIds } },
  };
}

async function makeRule(name: string, value: string, groupIds: string[], exclude?: string[]) {
  const reply = await api.post("/api/v1/groups/rules", ruleBody(name, value, groupIds, exclude));
  if (reply.status !== 200) throw new Error(`rule creation failed: ${reply.status} ${reply.text}`);
  return reply.body;
}

describe("group rules: CRUD", () => {
  it("creates INACTIVE (200) shaped as Okta's GroupRule; get, list, expand", async () => {
    const g = await makeGroup(api, "Rule target");
    const reply = await api.post("/api/v1/groups/rules", ruleBody("Engineers", 'user.department == "Engineering"', [g.id]));
    expect(reply.status).toBe(200);
    const rule = reply.body;
    expectOktaSchema(rule, "GroupRule");
    expect(rule).toMatchObject({
      type: "group_rule",
      status: "INACTIVE",
      name: "Engineers",
      conditions: {
        people: { users: { exclude: [] }, groups: { exclude: [] } },
        expression: { value: 'user.department == "Engineering"', type: "urn:okta:expression:1.0" },
      },
      actions: { assignUserToGroups: { groupIds: [g.id] } },
    });
    expect(rule.id).toMatch(/^0pr[0-9A-Za-z]{17}$/);
    expect(rule._embedded).toBeUndefined();
    expect((await api.get(`/api/v1/groups/rules/${rule.id}`)).body).toEqual(rule);
    const expanded = await api.get(`/api/v1/groups/rules/${rule.id}?expand=groupIdToGroupNameMap`);
    expect(expanded.body._embedded).toEqual({ groupIdToGroupNameMap: { [g.id]: "Rule target" } });
    expectOktaSchema(expanded.body, "GroupRule");
    const list = await api.get("/api/v1/groups/rules?expand=groupIdToGroupNameMap");
    expect(list.status).toBe(200);
    const listed = list.body.find((r: any) => r.id === rule.id);
    expect(listed._embedded.groupIdToGroupNameMap[g.id]).toBe("Rule target");
  });

  it("validates type, name 1–50, expression and targets", async () => {
    const g = await makeGroup(api, "Validation target");
    const everyone = (await api.get("/api/v1/groups?q=Everyone")).body[0];
    const cases: [unknown, string][] = [
      [{ ...ruleBody("x", "true", [g.id]), type: "other" }, "type: The field must be 'group_rule'"],
      [{ ...ruleBody("x", "true", [g.id]), type: undefined }, "type: The field cannot be left blank"],
      [ruleBody("", "true", [g.id]), "name: The field cannot be left blank"],
      [ruleBody("n".repeat(51), "true", [g.id]), "name: The field cannot exceed 50 characters"],
      [ruleBody("x", 'user.a === "b"', [g.id]), "conditions.expression.value: Unsupported token '=' at position 9"],
      [ruleBody("x", 'user.getGroups() == "b"', [g.id]), "conditions.expression.value: Unsupported function 'user.getGroups' at position 0"],
      [ruleBody("x", "", [g.id]), "conditions.expression.value: The field cannot be left blank"],
      [{ ...ruleBody("x", "true", [g.id]), conditions: { expression: { type: "urn:other", value: "true" } } }, "conditions.expression.type: The field must be 'urn:okta:expression:1.0'"],
      [ruleBody("x", "true", []), "actions.assignUserToGroups.groupIds: The field cannot be left blank"],
      [{ ...ruleBody("x", "true", [g.id]), actions: undefined }, "actions.assignUserToGroups.groupIds: The field cannot be left blank"],
      [ruleBody("x", "true", ["00gnosuchgroup000000"]), "actions.assignUserToGroups.groupIds: Group 00gnosuchgroup000000 does not exist"],
      [ruleBody("x", "true", [everyone.id]), `actions.assignUserToGroups.groupIds: Group ${everyone.id} is not an OKTA_GROUP; rules can only assign users to OKTA_GROUPs`],
    ];
    for (const [body, cause] of cases) {
      const reply = await api.post("/api/v1/groups/rules", body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(reply.body.errorCauses.map((c: any) => c.errorSummary)).toContain(cause);
    }
    expect((await api.post("/api/v1/groups/rules", ruleBody("n".repeat(50), "true", [g.id]))).status).toBe(200);
  });

  it("PUT only while INACTIVE; actions cannot change; status is not changed by PUT", async () => {
    const g = await makeGroup(api, "PUT target");
    const other = await makeGroup(api, "PUT other");
    const rule = await makeRule("Before", 'user.department == "A"', [g.id]);
    const put = await api.put(`/api/v1/groups/rules/${rule.id}`, { ...ruleBody("After", 'user.department == "B"', [g.id]), status: "ACTIVE" });
    expect(put.status).toBe(200);
    expectOktaSchema(put.body, "GroupRule");
    expect(put.body).toMatchObject({ name: "After", status: "INACTIVE", conditions: { expression: { value: 'user.department == "B"' } } });
    const changed = await api.put(`/api/v1/groups/rules/${rule.id}`, ruleBody("After", "true", [other.id]));
    expect(changed.status).toBe(400);
    expect(changed.body.errorCauses[0].errorSummary).toBe("actions: The actions of a group rule cannot be changed");
    expect((await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`)).status).toBe(204);
    const active = await api.put(`/api/v1/groups/rules/${rule.id}`, ruleBody("Again", "true", [g.id]));
    expect(active.status).toBe(400);
    expect(active.body.errorCode).toBe("E0000001");
    expect((await api.get(`/api/v1/groups/rules/${rule.id}`)).body.name).toBe("After");
  });

  it("unknown rule: 404 E0000007 on every route", async () => {
    const id = "0prnosuchrule0000000";
    for (const reply of [
      await api.get(`/api/v1/groups/rules/${id}`),
      await api.put(`/api/v1/groups/rules/${id}`, ruleBody("x", "true", ["00g"])),
      await api.del(`/api/v1/groups/rules/${id}`),
      await api.post(`/api/v1/groups/rules/${id}/lifecycle/activate`),
      await api.post(`/api/v1/groups/rules/${id}/lifecycle/deactivate`),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.body.errorCode).toBe("E0000007");
      expect(reply.body.errorSummary).toBe(`Not found: Resource not found: ${id} (GroupRule)`);
    }
  });

  it("lists with limit (paged by Link), search on name", async () => {
    const g = await makeGroup(api, "List target");
    for (const n of ["Alpha list", "Beta list", "Gamma LIST"]) await makeRule(n, "true", [g.id]);
    const all: string[] = [];
    let url: string | undefined = "/api/v1/groups/rules?limit=2";
    while (url) {
      const reply = await api.get(url);
      expect(reply.body.length).toBeLessThanOrEqual(2);
      all.push(...reply.body.map((r: any) => r.id));
      url = links(reply.headers).next;
    }
    expect(new Set(all).size).toBe(all.length);
    const search = await api.get("/api/v1/groups/rules?search=list");
    expect(search.body.map((r: any) => r.name).sort()).toEqual(["Alpha list", "Beta list", "Gamma LIST"]);
    const bad = await api.get("/api/v1/groups/rules?limit=0");
    expect(bad.status).toBe(400);
  });
});

describe("group rules: evaluation", () => {
  it("activate assigns matching users (not excluded ones); new and updated users are re-evaluated", async () => {
    const eng = await makeGroup(api, "Eng by rule");
    const ada = await makeUser(api, "ada.rule@example.com", { department: "Engineering" });
    const bob = await makeUser(api, "bob.rule@example.com", { department: "engineering" });
    const cy = await makeUser(api, "cy.rule@example.com", { department: "Engineering" });
    const rule = await makeRule("Eng", 'user.department == "Engineering"', [eng.id], [cy.id]);
    expect(await memberIds(api, eng.id)).toEqual([]);
    const before = (await api.get(`/api/v1/groups/${eng.id}`)).body.lastMembershipUpdated;
    const act = await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`);
    expect(act.status).toBe(204);
    expect((await api.get(`/api/v1/groups/rules/${rule.id}`)).body.status).toBe("ACTIVE");
    expect(await memberIds(api, eng.id)).toEqual([ada.id]);
    expect((await api.get(`/api/v1/groups/${eng.id}`)).body.lastMembershipUpdated >= before).toBe(true);
    expect((await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`)).status).toBe(204);

    // A new user that matches joins at creation.
    const dee = await makeUser(api, "dee.rule@example.com", { department: "Engineering" });
    expect(await memberIds(api, eng.id)).toEqual([ada.id, dee.id].sort());
    // A profile change that makes bob match adds him; one that makes ada stop matching removes her.
    expect((await api.post(`/api/v1/users/${bob.id}`, { profile: { department: "Engineering" } })).status).toBe(200);
    expect((await api.post(`/api/v1/users/${ada.id}`, { profile: { department: "Sales" } })).status).toBe(200);
    expect(await memberIds(api, eng.id)).toEqual([bob.id, dee.id].sort());
    // An excluded user never joins, even when updated.
    await api.post(`/api/v1/users/${cy.id}`, { profile: { title: "x" } });
    expect(await memberIds(api, eng.id)).not.toContain(cy.id);

    // Deactivating keeps memberships; updates then no longer apply the rule.
    expect((await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/deactivate`)).status).toBe(204);
    expect((await api.get(`/api/v1/groups/rules/${rule.id}`)).body.status).toBe("INACTIVE");
    expect(await memberIds(api, eng.id)).toEqual([bob.id, dee.id].sort());
    await api.post(`/api/v1/users/${bob.id}`, { profile: { department: "Sales" } });
    expect(await memberIds(api, eng.id)).toEqual([bob.id, dee.id].sort());
  });

  it("admin-added memberships survive the rule; removeUsers=true removes only what the rule added", async () => {
    const g = await makeGroup(api, "Remove users target");
    const a = await makeUser(api, "ru.a@example.com", { costCenter: "42" });
    const b = await makeUser(api, "ru.b@example.com", { costCenter: "42" });
    const c = await makeUser(api, "ru.c@example.com", { costCenter: "7" });
    await api.put(`/api/v1/groups/${g.id}/users/${a.id}`); // admin-added before the rule
    await api.put(`/api/v1/groups/${g.id}/users/${c.id}`); // admin-added, never matches
    const rule = await makeRule("CC42", 'user.costCenter == "42"', [g.id]);
    await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`);
    expect(await memberIds(api, g.id)).toEqual([a.id, b.id, c.id].sort());
    // a stops matching: the rule did not add a, so a stays.
    await api.post(`/api/v1/users/${a.id}`, { profile: { costCenter: "1" } });
    expect(await memberIds(api, g.id)).toEqual([a.id, b.id, c.id].sort());
    const del = await api.del(`/api/v1/groups/rules/${rule.id}?removeUsers=true`);
    expect(del.status).toBe(202);
    expect(del.text).toBe("");
    expect(await memberIds(api, g.id)).toEqual([a.id, c.id].sort());
    expect((await api.get(`/api/v1/groups/rules/${rule.id}`)).status).toBe(404);
  });

  it("DELETE without removeUsers keeps the rule's memberships as ordinary ones", async () => {
    const g = await makeGroup(api, "Keep users target");
    const a = await makeUser(api, "ku.a@example.com", { team: "blue" });
    const rule = await makeRule("Blue", 'user.team == "blue"', [g.id]);
    await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`);
    expect((await api.del(`/api/v1/groups/rules/${rule.id}`)).status).toBe(202);
    expect(await memberIds(api, g.id)).toEqual([a.id]);
    await api.post(`/api/v1/users/${a.id}`, { profile: { team: "red" } });
    expect(await memberIds(api, g.id)).toEqual([a.id]);
  });

  it("a user created after a rule write sees it: the isolate's cached ACTIVE rules are voided by activate, deactivate, update and delete", async () => {
    const g = await makeGroup(api, "Cache target");
    const rule = await makeRule("Cached", 'user.division == "cached"', [g.id]);
    const user = (n: number) => makeUser(api, `cache.${n}@example.com`, { division: "cached" });
    const first = await user(1); // caches the org's ACTIVE rules: none of them is this one
    expect(await memberIds(api, g.id)).toEqual([]);
    await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`);
    expect(await memberIds(api, g.id)).toEqual([first.id]);
    const second = await user(2);
    expect(await memberIds(api, g.id)).toEqual([first.id, second.id].sort());
    expect((await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/deactivate`)).status).toBe(204);
    await user(3);
    expect(await memberIds(api, g.id)).toEqual([first.id, second.id].sort());
    const edited = ruleBody("Cached", 'user.division == "edited"', [g.id]);
    expect((await api.put(`/api/v1/groups/rules/${rule.id}`, edited)).status).toBe(200);
    await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`);
    const fourth = await makeUser(api, "cache.4@example.com", { division: "edited" });
    expect(await memberIds(api, g.id)).toContain(fourth.id);
    expect((await api.del(`/api/v1/groups/rules/${rule.id}`)).status).toBe(202);
    const fifth = await makeUser(api, "cache.5@example.com", { division: "edited" });
    expect(await memberIds(api, g.id)).not.toContain(fifth.id);
  });

  it("isMemberOfGroup rules follow group membership", async () => {
    const source = await makeGroup(api, "Member source");
    const target = await makeGroup(api, "Member target");
    const a = await makeUser(api, "mo.a@example.com");
    await makeUser(api, "mo.b@example.com");
    await api.put(`/api/v1/groups/${source.id}/users/${a.id}`);
    const rule = await makeRule("Members of source", `isMemberOfGroup("${source.id}")`, [target.id]);
    await api.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`);
    expect(await memberIds(api, target.id)).toEqual([a.id]);
    const c = await makeUser(api, "mo.c@example.com", {}, [source.id]);
    expect(await memberIds(api, target.id)).toEqual([a.id, c.id].sort());
    // Membership changes re-evaluate the rules for that user.
    const d = await makeUser(api, "mo.d@example.com");
    await api.put(`/api/v1/groups/${source.id}/users/${d.id}`);
    expect(await memberIds(api, target.id)).toEqual([a.id, c.id, d.id].sort());
    await api.del(`/api/v1/groups/${source.id}/users/${a.id}`);
    expect(await memberIds(api, target.id)).toEqual([c.id, d.id].sort());
  });

  it("activation over 1,100 users (two read batches, two write chunks) assigns exactly the matching ones", async () => {
    const big = await createOrg();
    const bigApi = as(big);
    const g = await makeGroup(bigApi, "Half of them");
    const all = await makeGroup(bigApi, "All of them");
    const expected: string[] = [];
    const everyone: string[] = [];
    for (let i = 0; i < 1100; i += 50) {
      const made = await Promise.all(
        Array.from({ length: 50 }, (_, j) => {
          const n = i + j;
          return makeUser(bigApi, `bulk${n}@example.com`, { department: n % 2 === 0 ? "Even" : "Odd", n });
        }),
      );
      for (const u of made) if (u.profile.department === "Even") expected.push(u.id);
      everyone.push(...made.map((u) => u.id));
    }
    const rule = (await bigApi.post("/api/v1/groups/rules", ruleBody("Even", 'user.department == "Even"', [g.id]))).body;
    const started = Date.now();
    expect((await bigApi.post(`/api/v1/groups/rules/${rule.id}/lifecycle/activate`)).status).toBe(204);
    const took = Date.now() - started;
    const members = await memberIds(bigApi, g.id);
    expect(members.length).toBe(550);
    expect(members).toEqual(expected.sort());
    const stats = await bigApi.get(`/api/v1/groups/${g.id}?expand=stats`);
    expect(stats.body._embedded.stats.usersCount).toBe(550);
    console.log(`activation over 1100 users took ${took} ms`);

    // Every user matches (the org's admin has no department): 1,100 ids → two INSERT…SELECT chunks.
    const allRule = (await bigApi.post("/api/v1/groups/rules", ruleBody("All", 'user.department != null', [all.id]))).body;
    expect((await bigApi.post(`/api/v1/groups/rules/${allRule.id}/lifecycle/activate`)).status).toBe(204);
    const allMembers: string[] = [];
    let url: string | undefined = `/api/v1/groups/${all.id}/users`;
    while (url) {
      const reply = await bigApi.get(url);
      allMembers.push(...reply.body.map((u: any) => u.id));
      url = links(reply.headers).next;
    }
    expect(allMembers).toEqual(everyone.sort());
  }, 120_000);
});
