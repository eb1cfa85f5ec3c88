import { beforeAll, describe, expect, it } from "vitest";
import { call, links } from "../support/http";
import { getAccessToken } from "../support/oauth";
import { expectOktaSchema } from "../support/okta-schema";
import { createUser, expectError, newCtx, PASSWORD, type Ctx } from "./helpers";

/** A tricky data set: case, diacritics, quotes in values, arrays, a DEPROVISIONED user. */
const PEOPLE = [
  { firstName: "Alice", lastName: "Smith", login: "alice.smith@example.com", department: "Eng", tags: ["x", "Blue"] },
  { firstName: "alice", lastName: "SMITHERS", login: "alice.smithers@example.com", department: "eng" },
  { firstName: "Élodie", lastName: "Dupré", login: "elodie.dupre@example.fr", department: "Sales" },
  { firstName: "Elodie", lastName: "Dupre", login: "elodie2@example.fr", department: "Sales" },
  { firstName: 'Bob "The Builder"', lastName: "O'Brien", login: "bob@example.org", department: 'R&D "Labs"' },
  { firstName: "Carol", lastName: "Smith", login: "carol@example.org", department: "Eng" },
  { firstName: "Dave", lastName: "Gone", login: "dave.gone@example.org", department: "Eng" },
];

describe("GET /api/v1/users (REFERENCE §1.8)", async () => {
  const ctx: Ctx = await newCtx();
  const ids: Record<string, string> = {};
  const list = (query: string) => ctx.req("GET", `/api/v1/users${query}`);
  const search = (expr: string, extra = "") => list(`?search=${encodeURIComponent(expr)}${extra}`);
  const filter = (expr: string) => list(`?filter=${encodeURIComponent(expr)}`);
  const logins = (reply: any) => reply.body.map((u: any) => u.profile.login).sort();

  beforeAll(async () => {
    for (const p of PEOPLE) {
      const user = await createUser(ctx, { profile: { ...p, email: p.login }, credentials: { password: { value: PASSWORD } } });
      ids[p.login] = user.id;
    }
    await ctx.req("POST", `/api/v1/users/${ids["dave.gone@example.org"]}/lifecycle/deactivate`);
  });

  it("plain: every user but DEPROVISIONED, collection links self only, absolute self Link", async () => {
    const reply = await list("");
    expect(reply.status).toBe(200);
    expect(logins(reply)).not.toContain("dave.gone@example.org");
    expect(reply.body).toHaveLength(PEOPLE.length); // 6 + the built-in admin
    for (const u of reply.body) {
      expectOktaSchema(u, "User");
      expect(Object.keys(u._links)).toEqual(["self"]);
    }
    expect(links(reply.headers).self).toBe(`${ctx.org.orgUrl}/api/v1/users`);
    expect(links(reply.headers).next).toBeUndefined();
  });

  it("search eq is case-insensitive on values; diacritics are significant", async () => {
    expect(logins(await search('profile.firstName eq "ALICE"'))).toEqual(["alice.smith@example.com", "alice.smithers@example.com"]);
    expect(logins(await search('profile.firstName eq "élodie"'))).toEqual(["elodie.dupre@example.fr"]);
    expect(logins(await search('profile.lastName eq "dupre"'))).toEqual(["elodie2@example.fr"]);
  });

  it("search sw, co, and/or, parentheses", async () => {
    expect(logins(await search('profile.lastName sw "smi"'))).toEqual(["alice.smith@example.com", "alice.smithers@example.com", "carol@example.org"]);
    expect(logins(await search('profile.email co "SMITH"'))).toEqual(["alice.smith@example.com", "alice.smithers@example.com"]);
    expect(logins(await search('profile.firstName eq "alice" and profile.lastName eq "smith"'))).toEqual(["alice.smith@example.com"]);
    expect(logins(await search('(profile.firstName eq "carol" or profile.lastName sw "o\'b") and status eq "ACTIVE"'))).toEqual([
      "bob@example.org",
      "carol@example.org",
    ]);
  });

  it("search values with escaped quotes; custom attributes; arrays match any element", async () => {
    expect(logins(await search('profile.firstName eq "bob \\"the builder\\""'))).toEqual(["bob@example.org"]);
    expect(logins(await search('profile.department eq "r&d \\"labs\\""'))).toEqual(["bob@example.org"]);
    expect(logins(await search('profile.department eq "ENG"'))).toEqual([
      "alice.smith@example.com",
      "alice.smithers@example.com",
      "carol@example.org",
      "dave.gone@example.org",
    ]);
    expect(logins(await search('profile.tags eq "blue"'))).toEqual(["alice.smith@example.com"]);
  });

  it("search includes DEPROVISIONED users; status values in any case", async () => {
    expect(logins(await search('status eq "DEPROVISIONED"'))).toEqual(["dave.gone@example.org"]);
    expect(logins(await search('status eq "deprovisioned"'))).toEqual(["dave.gone@example.org"]);
    expect(logins(await search('profile.lastName eq "gone"'))).toEqual(["dave.gone@example.org"]);
  });

  it("search on dates and id", async () => {
    const all = await search('created gt "2000-01-01T00:00:00.000Z"');
    expect(all.body.length).toBe(PEOPLE.length + 1);
    const one = await search(`id eq "${ids["carol@example.org"]}"`);
    expect(logins(one)).toEqual(["carol@example.org"]);
    expect((await search('lastUpdated lt "2000-01-01T00:00:00.000Z"')).body).toEqual([]);
  });

  it("sortBy / sortOrder: case-insensitive order, ties by id", async () => {
    const asc = await search('profile.department sw "e"', "&sortBy=profile.firstName&sortOrder=asc");
    expect(asc.body.map((u: any) => u.profile.firstName.toLowerCase())).toEqual(["alice", "alice", "carol", "dave"]);
    const tie = asc.body.slice(0, 2).map((u: any) => u.id);
    expect(tie).toEqual([...tie].sort());
    const desc = await search('profile.department sw "e"', "&sortBy=profile.lastName&sortOrder=desc");
    expect(desc.body.map((u: any) => u.profile.lastName)).toEqual(["SMITHERS", "Smith", "Smith", "Gone"]);
  });

  it("filter: limited grammar, case-sensitive values, includes DEPROVISIONED", async () => {
    expect(logins(await filter('profile.firstName eq "alice"'))).toEqual(["alice.smithers@example.com"]);
    expect(logins(await filter('profile.lastName eq "Smith" or profile.lastName eq "Gone"'))).toEqual([
      "alice.smith@example.com",
      "carol@example.org",
      "dave.gone@example.org",
    ]);
    expect(logins(await filter('status eq "DEPROVISIONED"'))).toEqual(["dave.gone@example.org"]);
    expect((await filter('status eq "deprovisioned"')).body).toEqual([]);
    expect((await filter('lastUpdated gt "2000-01-01T00:00:00.000Z"')).body.length).toBe(PEOPLE.length + 1);
    expectError(await filter('profile.lastName sw "Smi"'), 400, "E0000031", "Invalid search criteria.");
    expectError(await filter('profile.department eq "Eng"'), 400, "E0000031");
  });

  it("q: startsWith on firstName, lastName, email; excludes DEPROVISIONED; default limit 10; no next link", async () => {
    expect(logins(await list("?q=ali"))).toEqual(["alice.smith@example.com", "alice.smithers@example.com"]);
    expect(logins(await list("?q=DUP"))).toEqual(["elodie.dupre@example.fr", "elodie2@example.fr"]);
    expect(logins(await list("?q=carol%40"))).toEqual(["carol@example.org"]);
    expect((await list("?q=dave")).body).toEqual([]);
    const one = await list("?q=e&limit=1");
    expect(one.body).toHaveLength(1);
    expect(links(one.headers).next).toBeUndefined();
  });

  it("search + filter → 400 E0000033; malformed → 400 E0000031", async () => {
    expectError(await list(`?search=${encodeURIComponent('status eq "ACTIVE"')}&filter=${encodeURIComponent('status eq "ACTIVE"')}`), 400, "E0000033",
      "Bad request. Can't specify a search query and filter in the same request.");
    for (const bad of ['profile.firstName eq', 'profile.firstName ne "x"', 'profile.department co "x"', '((status eq "ACTIVE"', 'not status eq "ACTIVE"']) {
      expectError(await search(bad), 400, "E0000031", "Invalid search criteria.");
    }
  });

  it("fields projection: id always, requested fields, profile sub-fields", async () => {
    const reply = await search('profile.lastName eq "dupré"', "&fields=" + encodeURIComponent("status,profile:(firstName,department)"));
    expect(reply.body).toHaveLength(1);
    const { _links, ...rest } = reply.body[0];
    expect(rest).toEqual({ id: ids["elodie.dupre@example.fr"], status: "ACTIVE", profile: { firstName: "Élodie", department: "Sales" } });
    expect(_links.self).toBeDefined();
  });

  it("limit: above 200 is clamped, 0 / junk → 400", async () => {
    expect((await list("?limit=500")).status).toBe(200);
    expectError(await list("?limit=0"), 400, "E0000001");
    expectError(await list("?limit=abc"), 400, "E0000001");
  });

  it("limit=2 follows Link next to the end: every user once, in id order", async () => {
    const seen: string[] = [];
    let url: string | undefined = `${ctx.org.orgUrl}/api/v1/users?limit=2`;
    let pages = 0;
    while (url) {
      const reply: any = await call("GET", url, { auth: ctx.org.ssws });
      expect(reply.status).toBe(200);
      const l = links(reply.headers);
      expect(l.self).toBe(url);
      seen.push(...reply.body.map((u: any) => u.id));
      url = l.next;
      if (url) expect(url).toMatch(/after=00u[0-9A-Za-z]{17}&limit=2$|limit=2&after=00u/);
      pages++;
    }
    expect(pages).toBe(Math.ceil((PEOPLE.length) / 2));
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(PEOPLE.length);
  });

  it("sorted search pages with limit=2 keep the sort and the search in next", async () => {
    const first = await search("profile.department sw \"e\"", "&sortBy=profile.firstName&limit=2");
    const next = links(first.headers).next!;
    expect(new URL(next).searchParams.get("search")).toBe('profile.department sw "e"');
    expect(next).toContain("sortBy=profile.firstName");
    const second = await call("GET", next, { auth: ctx.org.ssws });
    const all = [...first.body, ...second.body].map((u: any) => u.profile.firstName.toLowerCase());
    expect(all).toEqual(["alice", "alice", "carol", "dave"]);
    expect(links(second.headers).next).toBeUndefined();
  });

  it("GET /users/{id} by login with a '+' and quotes needs encoding, found", async () => {
    const reply = await ctx.req("GET", `/api/v1/users/${encodeURIComponent("bob@example.org")}`);
    expect(reply.body.profile.firstName).toBe('Bob "The Builder"');
  });
});

describe("paging while users are inserted and deleted between pages", async () => {
  const ctx = await newCtx();

  it("no skip, no duplicate of users that exist throughout", async () => {
    const stable: string[] = [];
    for (let i = 0; i < 8; i++) {
      const u = await createUser(ctx, { profile: { firstName: "P", lastName: `L${i}`, email: `p${i}@example.com`, login: `p${i}@example.com` } }, "?activate=false");
      stable.push(u.id);
    }
    const doomed = await createUser(ctx, { profile: { firstName: "D", lastName: "D", email: "doomed@example.com", login: "doomed@example.com" } }, "?activate=false");
    const seen: string[] = [];
    let url: string | undefined = `${ctx.org.orgUrl}/api/v1/users?limit=2`;
    let n = 0;
    while (url) {
      const reply: any = await call("GET", url, { auth: ctx.org.ssws });
      seen.push(...reply.body.map((u: any) => u.id));
      url = links(reply.headers).next;
      n++;
      if (n === 2) {
        // Between pages: delete one (twice: deactivate, delete) and add two.
        await ctx.req("DELETE", `/api/v1/users/${doomed.id}`);
        await ctx.req("DELETE", `/api/v1/users/${doomed.id}`);
        for (const k of ["x1", "x2"]) {
          await ctx.req("POST", "/api/v1/users?activate=false", { profile: { firstName: "X", lastName: k, email: `${k}@example.com`, login: `${k}@example.com` } });
        }
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of stable) expect(seen).toContain(id);
  });
});

describe("tokens and the users list", async () => {
  const ctx = await newCtx();
  const org = { orgUrl: ctx.org.orgUrl, ssws: ctx.org.ssws };

  it("a client-credentials token has no user: /users/me is 404 E0000007 (and it cannot hold .self scopes)", async () => {
    const token = await getAccessToken(["okta.users.read"], { org });
    const me = await call("GET", `${ctx.org.orgUrl}/api/v1/users/me`, { auth: `Bearer ${token.accessToken}` });
    expectError(me, 404, "E0000007", "Not found: Resource not found: me (User)");
    await expect(getAccessToken(["okta.users.read.self"], { org })).rejects.toThrow(/self/);
  });

  it("okta.users.read: the whole list", async () => {
    const token = await getAccessToken(["okta.users.read"], { org });
    const reply = await call("GET", `${ctx.org.orgUrl}/api/v1/users`, { auth: `Bearer ${token.accessToken}` });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBeGreaterThanOrEqual(1);
  });
});
