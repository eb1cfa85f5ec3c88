import { describe, expect, it } from "vitest";
import { call } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { createUser, expectError, newCtx, PASSWORD, profile, userIn } from "./helpers";

describe("read (REFERENCE §1.5)", async () => {
  const ctx = await newCtx();

  it("by id, by login (any case, any diacritics), by unambiguous short name", async () => {
    const p = profile({ login: "zoë.short@example.com", email: "zoe@example.com" });
    const user = await createUser(ctx, { profile: p });
    for (const key of [user.id, "zoë.short@example.com", "ZOE.SHORT@EXAMPLE.COM", "zoë.short", "Zoe.Short"]) {
      const reply = await ctx.req("GET", `/api/v1/users/${encodeURIComponent(key)}`);
      expect(reply.status, key).toBe(200);
      expect(reply.body.id).toBe(user.id);
    }
  });

  it("an ambiguous short name is not found", async () => {
    await createUser(ctx, { profile: profile({ login: "twin@one.example.com" }) });
    await createUser(ctx, { profile: profile({ login: "twin@two.example.com" }) });
    expectError(await ctx.req("GET", "/api/v1/users/twin"), 404, "E0000007", "Not found: Resource not found: twin (User)");
  });

  it("full _links and a weak ETag", async () => {
    const user = await userIn(ctx, "ACTIVE");
    const reply = await ctx.req("GET", `/api/v1/users/${user.id}`);
    expectOktaSchema(reply.body, "User");
    expect(reply.headers.get("etag")).toMatch(/^W\/"[^"]+"$/);
    expect(reply.body._links.self.href).toBe(`${ctx.org.orgUrl}/api/v1/users/${user.id}`);
    expect(reply.body._links.type.href).toBe(`${ctx.org.orgUrl}/api/v1/meta/types/user/${user.type.id}`);
    expect(user.type.id).toMatch(/^oty[0-9A-Za-z]{17}$/);
  });

  it("unknown id → 404 E0000007", async () => {
    expectError(await ctx.req("GET", "/api/v1/users/00u0000000000000000x"), 404, "E0000007", "Not found: Resource not found: 00u0000000000000000x (User)");
  });

  it("me = the API token's owner, the org's built-in super-admin", async () => {
    const reply = await ctx.req("GET", "/api/v1/users/me");
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "User");
    expect(reply.body.status).toBe("ACTIVE");
    expect(reply.body.profile.login).toBe(`admin@${ctx.org.slug}.edgeorg.local`);
    const byId = await ctx.req("GET", `/api/v1/users/${reply.body.id}`);
    expect(byId.body.id).toBe(reply.body.id);
  });

  it("okta-response=omitCredentials,omitCredentialsLinks removes credentials and their links", async () => {
    const user = await userIn(ctx, "ACTIVE", { question: true });
    const reply = await ctx.req("GET", `/api/v1/users/${user.id}`, undefined, {
      "Content-Type": 'application/json; okta-response="omitCredentials,omitCredentialsLinks"',
    });
    expect(reply.body).not.toHaveProperty("credentials");
    expect(Object.keys(reply.body._links).sort()).toEqual(["deactivate", "schema", "self", "suspend", "type"]);
  });

  it("other orgs cannot see the user", async () => {
    const user = await userIn(ctx, "ACTIVE");
    const other = await call("GET", `/api/v1/users/${user.id}`);
    expect(other.status).toBe(404);
  });
});

describe("update: POST merges, PUT replaces (REFERENCE §1.6)", async () => {
  const ctx = await newCtx();

  it("POST merges the profile and bumps lastUpdated; null removes an attribute", async () => {
    const user = await createUser(ctx, { profile: profile({ nickName: "Nick", title: "Dr" }) });
    const reply = await ctx.req("POST", `/api/v1/users/${user.id}`, { profile: { nickName: "Nicky", title: null } });
    expect(reply.status, reply.text).toBe(200);
    expectOktaSchema(reply.body, "User");
    expect(reply.body.profile).toEqual({ ...user.profile, nickName: "Nicky", title: undefined });
    expect(reply.body.profile).not.toHaveProperty("title");
    expect(reply.body.lastUpdated > user.lastUpdated).toBe(true);
    expect(reply.body.passwordChanged).toBe(user.passwordChanged);
  });

  it("PUT replaces the profile: attributes not supplied are removed", async () => {
    const p = profile({ nickName: "Nick" });
    const user = await createUser(ctx, { profile: p });
    const { nickName: _drop, ...rest } = p as Record<string, unknown>;
    const reply = await ctx.req("PUT", `/api/v1/users/${user.id}`, { profile: rest });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.profile).toEqual(rest);
  });

  it("PUT with a profile missing required fields → 400 E0000001", async () => {
    const user = await createUser(ctx, { profile: profile() });
    const reply = await ctx.req("PUT", `/api/v1/users/${user.id}`, { profile: { login: user.profile.login } });
    expectError(reply, 400, "E0000001");
    expect(reply.body.errorCauses.map((c: any) => c.errorSummary)).toEqual([
      "email: The field cannot be left blank",
      "firstName: The field cannot be left blank",
      "lastName: The field cannot be left blank",
    ]);
  });

  it("changing the login to another user's login (other case) → 400 E0000001", async () => {
    const a = await createUser(ctx, { profile: profile() });
    const b = await createUser(ctx, { profile: profile() });
    const reply = await ctx.req("POST", `/api/v1/users/${b.id}`, { profile: { login: a.profile.login.toUpperCase() } });
    expectError(reply, 400, "E0000001", "Api validation failed: login");
  });

  it("admin sets a password (no old password) → passwordChanged bumps; sets a recovery question", async () => {
    const user = await userIn(ctx, "ACTIVE");
    const reply = await ctx.req("POST", `/api/v1/users/${user.id}`, {
      credentials: { password: { value: "An0therPassw0rd" }, recovery_question: { question: "Pet?", answer: "Rex the dog" } },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.passwordChanged > user.passwordChanged).toBe(true);
    expect(reply.body.credentials.recovery_question).toEqual({ question: "Pet?" });
    const change = await ctx.req("POST", `/api/v1/users/${user.id}/credentials/change_password`, {
      oldPassword: { value: "An0therPassw0rd" },
      newPassword: { value: "Y3tAnotherOne" },
    });
    expect(change.status, change.text).toBe(200);
  });

  it("POST with a different type → 400; same type is fine", async () => {
    const user = await createUser(ctx, { profile: profile() });
    expect((await ctx.req("POST", `/api/v1/users/${user.id}`, { type: { id: user.type.id } })).status).toBe(200);
    expectError(await ctx.req("POST", `/api/v1/users/${user.id}`, { type: { id: "oty00000000000000000" } }), 400, "E0000001");
  });

  it("If-Match: current ETag → 200; stale → 412 E0000231; malformed → 400 E0000242", async () => {
    const user = await createUser(ctx, { profile: profile() });
    const read = await ctx.req("GET", `/api/v1/users/${user.id}`);
    const etag = read.headers.get("etag")!;
    const ok = await ctx.req("POST", `/api/v1/users/${user.id}`, { profile: { nickName: "A" } }, { "If-Match": etag });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get("etag")).not.toBe(etag);
    const stale = await ctx.req("POST", `/api/v1/users/${user.id}`, { profile: { nickName: "B" } }, { "If-Match": etag });
    expectError(stale, 412, "E0000231", "ETag value doesn't match.");
    const stalePut = await ctx.req("PUT", `/api/v1/users/${user.id}`, { profile: user.profile }, { "If-Match": etag });
    expectError(stalePut, 412, "E0000231");
    const bad = await ctx.req("POST", `/api/v1/users/${user.id}`, { profile: { nickName: "C" } }, { "If-Match": "not-quoted" });
    expectError(bad, 400, "E0000242", "ETag syntax is invalid.");
  });

  it("If-Match: '*' and the strong form of the current tag also match", async () => {
    const user = await createUser(ctx, { profile: profile() });
    const star = await ctx.req("POST", `/api/v1/users/${user.id}`, { profile: { nickName: "S" } }, { "If-Match": "*" });
    expect(star.status, star.text).toBe(200);
    const strong = star.headers.get("etag")!.replace(/^W\//, "");
    const ok = await ctx.req("PUT", `/api/v1/users/${user.id}`, { profile: user.profile }, { "If-Match": strong });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.profile).not.toHaveProperty("nickName");
  });

  it("a DEPROVISIONED user's profile can be updated (edgeorg allows it; see notes)", async () => {
    const user = await userIn(ctx, "DEPROVISIONED");
    const reply = await ctx.req("POST", `/api/v1/users/${user.id}`, { profile: { title: "Former" } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.status).toBe("DEPROVISIONED");
    expect(reply.body.profile.title).toBe("Former");
  });

  it("imported hash on update only for STAGED users", async () => {
    const active = await userIn(ctx, "ACTIVE");
    const hash = { algorithm: "SHA-256", value: "XohImNooBHFR0OVvjcYpJ3NgPQ1qq73WKhHvch0VQtg=" };
    expectError(await ctx.req("POST", `/api/v1/users/${active.id}`, { credentials: { password: { hash } } }), 400, "E0000001");
    const staged = await userIn(ctx, "STAGED", { password: false });
    const reply = await ctx.req("POST", `/api/v1/users/${staged.id}`, { credentials: { password: { hash } } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.credentials.provider.type).toBe("IMPORT");
  });
});

describe("delete (REFERENCE §1.7)", async () => {
  const ctx = await newCtx();

  it("first DELETE deactivates, second deletes (memberships too), third is 404", async () => {
    const group = await ctx.req("POST", "/api/v1/groups", { profile: { name: "deletable" } });
    const user = await createUser(ctx, { profile: profile(), groupIds: [group.body.id] });
    const first = await ctx.req("DELETE", `/api/v1/users/${user.id}`);
    expect(first.status).toBe(204);
    const after = await ctx.req("GET", `/api/v1/users/${user.id}`);
    expect(after.body.status).toBe("DEPROVISIONED");
    expect((await ctx.req("GET", `/api/v1/groups/${group.body.id}/users`)).body.map((u: any) => u.id)).toContain(user.id);
    expect((await ctx.req("DELETE", `/api/v1/users/${user.id}?sendEmail=false`)).status).toBe(204);
    expectError(await ctx.req("GET", `/api/v1/users/${user.id}`), 404, "E0000007");
    expect((await ctx.req("GET", `/api/v1/groups/${group.body.id}/users`)).body.map((u: any) => u.id)).not.toContain(user.id);
    expectError(await ctx.req("DELETE", `/api/v1/users/${user.id}`), 404, "E0000007");
    // The login is free again.
    expect((await ctx.req("POST", "/api/v1/users", { profile: user.profile })).status).toBe(200);
  });
});

describe("related resources (REFERENCE §1.9)", async () => {
  const ctx = await newCtx();

  it("groups include Everyone; appLinks is [] (no app assignments modelled)", async () => {
    const user = await createUser(ctx, { profile: profile() });
    const groups = await ctx.req("GET", `/api/v1/users/${user.id}/groups`);
    expect(groups.status).toBe(200);
    expect(groups.body.map((g: any) => g.profile.name)).toEqual(["Everyone"]);
    for (const g of groups.body) expectOktaSchema(g, "Group");
    const apps = await ctx.req("GET", `/api/v1/users/${user.id}/appLinks`);
    expect(apps.status).toBe(200);
    expect(apps.body).toEqual([]);
    expectError(await ctx.req("GET", "/api/v1/users/00u00000000000000000/groups"), 404, "E0000007");
  });

  it("the password never appears, even in errors", async () => {
    const reply = await ctx.req("POST", "/api/v1/users", { profile: profile({ login: "x" }), credentials: { password: { value: PASSWORD } } });
    expect(reply.status).toBe(400);
    expect(reply.text).not.toContain(PASSWORD);
  });
});

describe("me on every /users/{id} route", async () => {
  const ctx = await newCtx();

  it("POST /users/me updates the caller's own user; /users/me/groups lists its groups", async () => {
    const reply = await ctx.req("POST", "/api/v1/users/me", { profile: { nickName: "Boss" } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.profile.nickName).toBe("Boss");
    expect(reply.body.profile.login).toBe(`admin@${ctx.org.slug}.edgeorg.local`);
    const groups = await ctx.req("GET", "/api/v1/users/me/groups");
    expect(groups.body.map((g: any) => g.profile.name)).toEqual(["Everyone"]);
  });

  it("a user whose short name is 'me' is not reached through 'me'", async () => {
    const other = await createUser(ctx, { profile: profile({ login: "me@example.com", email: "me@example.com" }) });
    const reply = await ctx.req("GET", "/api/v1/users/me");
    expect(reply.body.id).not.toBe(other.id);
  });
});
