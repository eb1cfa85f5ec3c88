import { beforeAll, describe, expect, it } from "vitest";
import { call, type Reply } from "../support/http";
import { activeUser, anon, browserSignIn, PASSWORD } from "../signin/helpers";
import { newCtx, type Ctx } from "../users/helpers";
import { passwordServer } from "../support/user-grants";
import { foreignIssuerToken, passwordApp, userAccessToken } from "./user-token";

/**
 * OAuth for Okta with a user behind the token (REFERENCE-SIGNIN §7): the
 * scope first, then the user's admin roles (direct and through groups)
 * with their targets; `.self` scopes reach exactly the §7.2 rows.
 */

let ctx: Ctx;
let me: any;
let other: any;

const as = (token: string) => (method: string, path: string, body?: unknown): Promise<Reply> =>
  call(method, path, { orgUrl: ctx.org.orgUrl, auth: `Bearer ${token}`, body });

/** 403 insufficient_scope: empty body, the challenge naming `scope`. */
function expectInsufficientScope(reply: Reply, scope: string) {
  expect(reply.status, reply.text).toBe(403);
  expect(reply.text).toBe("");
  const challenge = reply.headers.get("www-authenticate") ?? "";
  expect(challenge).toContain('error="insufficient_scope"');
  expect(challenge).toContain(`scope="${scope}"`);
}

function expectNoPermission(reply: Reply) {
  expect(reply.status, reply.text).toBe(403);
  expect(reply.body).toMatchObject({ errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action" });
}

beforeAll(async () => {
  ctx = await newCtx();
  me = await activeUser(ctx);
  other = await activeUser(ctx);
});

describe("okta.users.read.self (REFERENCE-SIGNIN §7.2)", () => {
  let get: ReturnType<typeof as>;
  beforeAll(async () => {
    get = as(await userAccessToken(ctx, me, ["okta.users.read.self"]));
  });

  it("reads GET /users/me, the caller's own id and login, its appLinks and groups — no admin role needed", async () => {
    const byMe = await get("GET", "/api/v1/users/me");
    expect(byMe.status, byMe.text).toBe(200);
    expect(byMe.body.id).toBe(me.id);
    for (const id of [me.id, encodeURIComponent(me.profile.login)]) {
      const own = await get("GET", `/api/v1/users/${id}`);
      expect(own.status, own.text).toBe(200);
      expect(own.body.id).toBe(me.id);
    }
    const links = await get("GET", "/api/v1/users/me/appLinks");
    expect(links.status, links.text).toBe(200);
    expect(links.body).toEqual([]);
    const groups = await get("GET", "/api/v1/users/me/groups");
    expect(groups.status, groups.text).toBe(200);
    expect(groups.body.map((g: any) => g.profile.name)).toContain("Everyone");
  });

  it("GET /users lists only the caller", async () => {
    const list = await get("GET", "/api/v1/users");
    expect(list.status, list.text).toBe(200);
    expect(list.body.map((u: any) => u.id)).toEqual([me.id]);
  });

  it("another user, by id, login, appLinks or groups → 403 insufficient_scope naming okta.users.read", async () => {
    expectInsufficientScope(await get("GET", `/api/v1/users/${other.id}`), "okta.users.read");
    expectInsufficientScope(await get("GET", `/api/v1/users/${encodeURIComponent(other.profile.login)}`), "okta.users.read");
    expectInsufficientScope(await get("GET", `/api/v1/users/${other.id}/groups`), "okta.users.read");
    expectInsufficientScope(await get("GET", `/api/v1/users/${other.id}/appLinks`), "okta.users.read");
    // Not a §7.2 row even for the caller's own id.
    expectInsufficientScope(await get("GET", `/api/v1/users/${me.id}/groups`), "okta.users.read");
  });

  it("writes and other resources → 403 insufficient_scope", async () => {
    expectInsufficientScope(await get("POST", "/api/v1/users/me", { profile: { nickName: "x" } }), "okta.users.manage");
    expectInsufficientScope(await get("POST", "/api/v1/users/me/credentials/change_password", {}), "okta.users.manage.self");
    expectInsufficientScope(await get("GET", "/api/v1/groups"), "okta.groups.read");
    expectInsufficientScope(await get("GET", "/api/v1/apps"), "okta.apps.read");
  });
});

describe("okta.users.manage.self (REFERENCE-SIGNIN §7.2)", () => {
  let send: ReturnType<typeof as>;
  beforeAll(async () => {
    send = as(await userAccessToken(ctx, me, ["okta.users.manage.self"]));
  });

  it("POST /users/me updates the caller's profile (partial), and reads like read.self", async () => {
    const updated = await send("POST", "/api/v1/users/me", { profile: { nickName: "Selfie" } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.profile).toMatchObject({ nickName: "Selfie", login: me.profile.login, firstName: me.profile.firstName });
    const read = await send("GET", "/api/v1/users/me");
    expect(read.status, read.text).toBe(200);
    expect(read.body.profile.nickName).toBe("Selfie");
  });

  it("POST /users/me with anything but profile → 403 E0000006", async () => {
    expectNoPermission(await send("POST", "/api/v1/users/me", { profile: {}, credentials: { password: { value: "An0ther-Pass!" } } }));
  });

  it("POST /users/me/credentials/change_password changes the caller's password", async () => {
    const changed = await send("POST", "/api/v1/users/me/credentials/change_password", {
      oldPassword: { value: PASSWORD },
      newPassword: { value: "N3w-Passw0rd!x" },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await anon(ctx, "POST", "/api/v1/authn", { username: me.profile.login, password: "N3w-Passw0rd!x" })).body.status).toBe("SUCCESS");
  });

  it("nothing else: another user, the own id, PUT, DELETE, other credential and lifecycle operations", async () => {
    expectInsufficientScope(await send("POST", `/api/v1/users/${other.id}`, { profile: { nickName: "x" } }), "okta.users.manage");
    expectInsufficientScope(await send("POST", `/api/v1/users/${me.id}`, { profile: { nickName: "x" } }), "okta.users.manage");
    expectInsufficientScope(await send("PUT", "/api/v1/users/me", { profile: me.profile }), "okta.users.manage");
    expectInsufficientScope(await send("DELETE", "/api/v1/users/me"), "okta.users.manage");
    expectInsufficientScope(await send("POST", "/api/v1/users/me/credentials/change_recovery_question", {}), "okta.users.manage");
    expectInsufficientScope(await send("POST", "/api/v1/users/me/credentials/forgot_password", {}), "okta.users.manage");
    expectInsufficientScope(await send("POST", "/api/v1/users/me/lifecycle/reset_factors"), "okta.users.manage");
    expectInsufficientScope(await send("POST", `/api/v1/users/${other.id}/lifecycle/suspend`), "okta.users.manage");
    expectInsufficientScope(await send("GET", `/api/v1/users/${other.id}`), "okta.users.read");
  });
});

describe("full scopes: the user's admin roles decide (REFERENCE-SIGNIN §7.1 steps 3–4)", () => {
  it("a user without an admin role: 403 E0000006 despite okta.users.read; its own /users/me still reads", async () => {
    const nobody = await activeUser(ctx);
    const get = as(await userAccessToken(ctx, nobody, ["okta.users.read", "okta.apps.read"]));
    expectNoPermission(await get("GET", `/api/v1/users/${other.id}`));
    expectNoPermission(await get("GET", "/api/v1/apps"));
    expect((await get("GET", "/api/v1/users/me")).status).toBe(200);
  });

  it("a direct USER_ADMIN role targeted to a group: its members only, the list filtered", async () => {
    const admin = await activeUser(ctx);
    const group = await ctx.req("POST", "/api/v1/groups", { profile: { name: `targets-${crypto.randomUUID().slice(0, 8)}` } });
    const member = await activeUser(ctx);
    expect((await ctx.req("PUT", `/api/v1/groups/${group.body.id}/users/${member.id}`)).status).toBe(204);
    const role = await ctx.req("POST", `/api/v1/users/${admin.id}/roles`, { type: "USER_ADMIN" });
    expect(role.status, role.text).toBe(201);
    const target = await ctx.req("PUT", `/api/v1/users/${admin.id}/roles/${role.body.id}/targets/groups/${group.body.id}`);
    expect(target.status, target.text).toBe(204);

    const get = as(await userAccessToken(ctx, admin, ["okta.users.read"]));
    expect((await get("GET", `/api/v1/users/${member.id}`)).status).toBe(200);
    expectNoPermission(await get("GET", `/api/v1/users/${other.id}`));
    const list = await get("GET", "/api/v1/users");
    expect(list.status).toBe(200);
    expect(list.body.map((u: any) => u.id)).toEqual([member.id]);
  });

  it("a role held through a group counts (roles add up across direct and group assignments)", async () => {
    const viaGroup = await activeUser(ctx);
    const group = await ctx.req("POST", "/api/v1/groups", { profile: { name: `admins-${crypto.randomUUID().slice(0, 8)}` } });
    expect((await ctx.req("PUT", `/api/v1/groups/${group.body.id}/users/${viaGroup.id}`)).status).toBe(204);
    const get = as(await userAccessToken(ctx, viaGroup, ["okta.groups.read"]));
    expectNoPermission(await get("GET", "/api/v1/groups"));
    const role = await ctx.req("POST", `/api/v1/groups/${group.body.id}/roles`, { type: "READ_ONLY_ADMIN" });
    expect([200, 201], role.text).toContain(role.status);
    const listed = await get("GET", "/api/v1/groups");
    expect(listed.status, listed.text).toBe(200);
  });
});

describe("tokens /api/v1 refuses (REFERENCE §5.11, REFERENCE-SIGNIN §6.2)", () => {
  it("a custom authorization server's user token → 401 'The access token provided is not intended for Okta.'", async () => {
    const user = await activeUser(ctx);
    const server = await passwordServer(ctx.org);
    const token = await userAccessToken(ctx, user, ["openid"], { server });
    const reply = await as(token)("GET", "/api/v1/users/me");
    expect(reply.status).toBe(401);
    expect(reply.body.errorCode).toBe("E0000011");
    expect(reply.headers.get("www-authenticate")).toContain('error_description="The access token provided is not intended for Okta."');
  });

  it("another issuer altogether is still 'an invalid issuer'", async () => {
    const token = await foreignIssuerToken(ctx, me, (await passwordApp(ctx)).clientId);
    const reply = await as(token)("GET", "/api/v1/users/me");
    expect(reply.status).toBe(401);
    expect(reply.headers.get("www-authenticate")).toContain('error_description="The access token provided has an invalid issuer."');
  });
});

describe("the browser session in the access pipeline (REFERENCE-SIGNIN §3.1)", () => {
  it("GET /users/me with the sid cookie and no Authorization answers the session's user", async () => {
    const user = await activeUser(ctx);
    const { sid } = await browserSignIn(ctx, user.profile.login);
    const reply = await anon(ctx, "GET", "/api/v1/users/me", undefined, { Cookie: `sid=${sid}` });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.id).toBe(user.id);
  });

  it("no session → 403 E0000005; a session reaches no other row", async () => {
    const none = await anon(ctx, "GET", "/api/v1/users/me");
    expect(none.status).toBe(403);
    expect(none.body).toMatchObject({ errorCode: "E0000005", errorSummary: "Invalid session" });
    const user = await activeUser(ctx);
    const { sid } = await browserSignIn(ctx, user.profile.login);
    for (const path of [`/api/v1/users/${user.id}`, "/api/v1/users", "/api/v1/groups"]) {
      const reply = await anon(ctx, "GET", path, undefined, { Cookie: `sid=${sid}` });
      expect(reply.status, path).toBe(403);
      expect(reply.body.errorCode, path).toBe("E0000005");
    }
  });

  it("an API token does not stand for a session on /sessions/me", async () => {
    const reply = await ctx.req("DELETE", "/api/v1/sessions/me");
    expect(reply.status).toBe(404);
    expect(reply.body.errorSummary).toBe("Not found: Resource not found: me (Session)");
  });
});
