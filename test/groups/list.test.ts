import { beforeAll, describe, expect, it } from "vitest";
import { createOrg, links, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { as, makeGroup, makeUser, type Api } from "./helpers";

let org: TestOrg;
let api: Api;
const made: Record<string, any> = {};

beforeAll(async () => {
  org = await createOrg();
  api = as(org);
  for (const [name, description] of [
    ["West Coast users", "All users West of The Rockies"],
    ["West", "Exactly west"],
    ["Western Europe", "EU west"],
    ["East Coast users", "All users east"],
    ["Engineering", "Builds things"],
    ["eng-oncall", "Pager \"duty\""],
  ]) {
    made[name!] = await makeGroup(api, name!, description);
    await new Promise((r) => setTimeout(r, 3));
  }
});

const names = (body: any[]) => body.map((g) => g.profile.name);

describe("GET /groups", () => {
  it("lists every group (Everyone included) by id, each a valid Group, with a self Link", async () => {
    const reply = await api.get("/api/v1/groups");
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(7);
    for (const g of reply.body) expectOktaSchema(g, "Group");
    const ids = reply.body.map((g: any) => g.id);
    expect(ids).toEqual([...ids].sort());
    expect(links(reply.headers)).toEqual({ self: `${org.orgUrl}/api/v1/groups` });
  });

  it("pages with limit/after through absolute next links, no empty last page", async () => {
    const seen: string[] = [];
    let url: string | undefined = "/api/v1/groups?limit=3";
    let pages = 0;
    while (url) {
      const reply = await api.get(url);
      seen.push(...reply.body.map((g: any) => g.id));
      url = links(reply.headers).next;
      if (url) expect(url).toMatch(new RegExp(`^${org.orgUrl}/api/v1/groups\\?limit=3&after=`));
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.length).toBe(7);
    expect(new Set(seen).size).toBe(7);
  });

  it("q: name prefix, case-insensitive, exact match first, never paged", async () => {
    const reply = await api.get("/api/v1/groups?q=west");
    expect(names(reply.body)).toEqual(["West", "West Coast users", "Western Europe"]);
    const limited = await api.get("/api/v1/groups?q=West&limit=2");
    expect(names(limited.body)).toEqual(["West", "West Coast users"]);
    expect(links(limited.headers).next).toBeUndefined();
    expect((await api.get("/api/v1/groups?q=zzz")).body).toEqual([]);
  });

  it("filter: id, type, lastUpdated, lastMembershipUpdated; unsupported attribute → 400 E0000031", async () => {
    const byType = await api.get(`/api/v1/groups?filter=${encodeURIComponent('type eq "BUILT_IN"')}`);
    expect(names(byType.body)).toEqual(["Everyone"]);
    const byId = await api.get(`/api/v1/groups?filter=${encodeURIComponent(`id eq "${made.West.id}"`)}`);
    expect(names(byId.body)).toEqual(["West"]);
    const since = made.Engineering.lastUpdated;
    const after = await api.get(`/api/v1/groups?filter=${encodeURIComponent(`type eq "OKTA_GROUP" and lastUpdated ge "${since}"`)}`);
    expect(names(after.body).sort()).toEqual(["Engineering", "eng-oncall"]);
    const either = await api.get(
      `/api/v1/groups?filter=${encodeURIComponent(`lastMembershipUpdated lt "${made.West.lastMembershipUpdated}" or id eq "${made["East Coast users"].id}"`)}`,
    );
    expect(names(either.body)).toContain("East Coast users");
    const bad = await api.get(`/api/v1/groups?filter=${encodeURIComponent('profile.name eq "West"')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe("E0000031");
  });

  it("search: profile attributes (values case-insensitive), sw, co on name/description, dates", async () => {
    const s = (expr: string, extra = "") => api.get(`/api/v1/groups?search=${encodeURIComponent(expr)}${extra}`);
    expect(names((await s('profile.name eq "west"')).body)).toEqual(["West"]);
    expect(names((await s('profile.name sw "WEST"', "&sortBy=profile.name")).body)).toEqual(["West", "West Coast users", "Western Europe"]);
    expect(names((await s('profile.name co "coast"', "&sortBy=profile.name")).body)).toEqual(["East Coast users", "West Coast users"]);
    expect(names((await s('profile.description co "\\"DUTY\\""')).body)).toEqual(["eng-oncall"]);
    expect(names((await s('profile.description sw "all users"', "&sortBy=profile.name&sortOrder=desc")).body)).toEqual(["West Coast users", "Everyone", "East Coast users"]);
    expect(names((await s('type eq "okta_group" and profile.name sw "eng"', "&sortBy=profile.name")).body)).toEqual(["eng-oncall", "Engineering"]);
    expect(names((await s(`created gt "${made.Engineering.created}"`)).body)).toEqual(["eng-oncall"]);
    const coOther = await s('type co "GROUP"');
    expect(coOther.status).toBe(400);
    expect(coOther.body.errorCode).toBe("E0000031");
  });

  it("search with sortBy pages by (sort key, id)", async () => {
    const seen: string[] = [];
    let url: string | undefined = `/api/v1/groups?search=${encodeURIComponent('type eq "OKTA_GROUP"')}&sortBy=profile.name&sortOrder=desc&limit=2`;
    while (url) {
      const reply = await api.get(url);
      expect(reply.status).toBe(200);
      seen.push(...names(reply.body));
      url = links(reply.headers).next;
    }
    expect(seen).toEqual(["Western Europe", "West Coast users", "West", "Engineering", "eng-oncall", "East Coast users"]);
  });

  it("search and filter (or q) together: 400 E0000033; bad limit and cursor refused", async () => {
    const both = await api.get(`/api/v1/groups?search=${encodeURIComponent('type eq "OKTA_GROUP"')}&filter=${encodeURIComponent('type eq "OKTA_GROUP"')}`);
    expect(both.status).toBe(400);
    expect(both.body.errorCode).toBe("E0000033");
    expect((await api.get(`/api/v1/groups?q=a&filter=${encodeURIComponent('type eq "OKTA_GROUP"')}`)).body.errorCode).toBe("E0000033");
    expect((await api.get("/api/v1/groups?limit=abc")).status).toBe(400);
    expect((await api.get("/api/v1/groups?after=%%%")).body.errorCode).toBe("E0000029");
    expect((await api.get(`/api/v1/groups?search=${encodeURIComponent('type eq "OKTA_GROUP"')}&sortBy=nonsense`)).status).toBe(400);
  });

  it("expand=stats embeds usersCount on each group", async () => {
    const u = await makeUser(api, "lister@example.com");
    await api.put(`/api/v1/groups/${made.West.id}/users/${u.id}`);
    const reply = await api.get("/api/v1/groups?expand=stats");
    for (const g of reply.body) expectOktaSchema(g, "Group");
    const byName = Object.fromEntries(reply.body.map((g: any) => [g.profile.name, g._embedded.stats.usersCount]));
    expect(byName.West).toBe(1);
    expect(byName.Everyone).toBe(2);
    expect(byName.Engineering).toBe(0);
    const q = await api.get("/api/v1/groups?q=West&expand=stats");
    expect(q.body[0]._embedded.stats.usersCount).toBe(1);
  });
});
