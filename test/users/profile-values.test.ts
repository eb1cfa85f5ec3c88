import { describe, expect, it } from "vitest";
import { createUser, expectError, newCtx, profile, type Ctx } from "./helpers";

/** {"a": {"a": … "leaf" …}} `depth` levels deep, as JSON text (JSON.stringify recurses too deep for 10,000). */
function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '"leaf"' + "}".repeat(depth);
}

/** A request body with `deep` (JSON text) as the value of the profile property `deep`. */
function withDeep(base: Record<string, unknown>, deep: string): string {
  return JSON.stringify({ profile: { ...base, deep: "@DEEP@" } }).replace('"@DEEP@"', deep);
}

async function userCount(ctx: Ctx): Promise<number> {
  const reply = await ctx.req("GET", "/api/v1/users?limit=200");
  expect(reply.status, reply.text).toBe(200);
  return reply.body.length;
}

/** The org still lists and searches (a stored deep value broke both for the whole org). */
async function expectOrgAnswers(ctx: Ctx) {
  expect((await ctx.req("GET", "/api/v1/users")).status).toBe(200);
  const search = await ctx.req("GET", `/api/v1/users?search=${encodeURIComponent('profile.nickName eq "x"')}`);
  expect(search.status, search.text).toBe(200);
}

const REFUSED = [
  ["an object 10,000 levels deep", nested(10_000)],
  ["an object 1,001 levels deep", nested(1_001)],
  ["a flat object", '{"a":1}'],
  ["an array of objects", '[{"a":1}]'],
  ["an array of arrays", '[["a"]]'],
] as const;

// Issue 14 §1: a nested profile value was stored (500 at 10,000 levels, then every list and
// search of the org failed; at 1,001 levels every search on a custom attribute failed).
describe("profile values: strings, numbers, booleans, null and arrays of those (REFERENCE §1.3)", async () => {
  const ctx = await newCtx();

  it("create refuses any other value with 400 E0000001 naming the property, and stores nothing", async () => {
    for (const [what, value] of REFUSED) {
      const before = await userCount(ctx);
      const reply = await ctx.req("POST", "/api/v1/users?activate=false", withDeep(profile(), value));
      expectError(reply, 400, "E0000001", "Api validation failed: deep");
      expect(reply.body.errorCauses, what).toEqual([
        { errorSummary: "deep: Property value must be a string, number, boolean, null or an array of them" },
      ]);
      expect(await userCount(ctx), what).toBe(before);
    }
    await expectOrgAnswers(ctx);
  });

  it("POST (partial), PUT (replace) and /users/me refuse it too, and leave the profile as it was", async () => {
    const user = await createUser(ctx, { profile: profile({ nickName: "kept" }) }, "?activate=false");
    const me = (await ctx.req("GET", "/api/v1/users/me")).body;
    for (const [method, id] of [["POST", user.id], ["PUT", user.id], ["POST", "me"], ["PUT", "me"]] as const) {
      const current = (await ctx.req("GET", `/api/v1/users/${id}`)).body;
      const reply = await ctx.req(method, `/api/v1/users/${id}`, withDeep(current.profile, nested(10_000)));
      expectError(reply, 400, "E0000001", "Api validation failed: deep");
      const after = (await ctx.req("GET", `/api/v1/users/${id}`)).body;
      expect(after.profile, `${method} ${id}`).toEqual(current.profile);
      expect(after.lastUpdated).toBe(current.lastUpdated);
    }
    expect((await ctx.req("GET", "/api/v1/users/me")).body.profile).toEqual(me.profile);
    await expectOrgAnswers(ctx);
  });

  it("refuses a property name Okta's schema could not declare", async () => {
    const reply = await ctx.req("POST", "/api/v1/users?activate=false", { profile: profile({ "bad.name": "x" }) });
    expectError(reply, 400, "E0000001", "Api validation failed: bad.name");
  });

  it("keeps the values Okta allows, custom and built-in", async () => {
    const extra = { str: "s", num: 1.5, int: -3, yes: true, none: null, strings: ["a", "b"], numbers: [1, 2], flags: [false] };
    const user = await createUser(ctx, { profile: profile(extra) }, "?activate=false");
    const { none: _none, ...stored } = extra;
    expect(user.profile).toMatchObject(stored);
    const merged = await ctx.req("POST", `/api/v1/users/${user.id}`, { profile: { strings: ["c"], num: 2 } });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.body.profile).toMatchObject({ strings: ["c"], num: 2, str: "s" });
  });
});
