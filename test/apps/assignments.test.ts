import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { isUserAssignedToApp } from "../../src/apps/assignments";
import * as schema from "../../src/db/schema";
import { expectOktaSchema } from "../support/okta-schema";
import { newCtx, type Ctx } from "../users/helpers";
import { activeUser } from "../signin/helpers";
import { webAppBody } from "./fixtures";

const db = () => drizzle(env.DB, { schema });

async function setup() {
  const ctx = await newCtx();
  const app = (await ctx.req("POST", "/api/v1/apps", webAppBody())).body;
  const user = await activeUser(ctx);
  return { ctx, app, user };
}

async function group(ctx: Ctx, name: string) {
  return (await ctx.req("POST", "/api/v1/groups", { profile: { name } })).body;
}

describe("/api/v1/apps/{appId}/users", () => {
  it("assigns, reads, lists, updates and unassigns a user with Okta's AppUser shape", async () => {
    const { ctx, app, user } = await setup();
    const assigned = await ctx.req("POST", `/api/v1/apps/${app.id}/users`, { id: user.id, scope: "USER", profile: { role: "dev" } });
    expect(assigned.status, assigned.text).toBe(200);
    expectOktaSchema(assigned.body, "AppUser");
    expect(assigned.body).toMatchObject({ id: user.id, scope: "USER", status: "ACTIVE", syncState: "DISABLED", credentials: { userName: user.profile.login }, profile: { role: "dev" } });
    expect(assigned.body._links.app.href).toBe(`${ctx.org.orgUrl}/api/v1/apps/${app.id}`);
    expect((await ctx.req("GET", `/api/v1/apps/${app.id}/users/${user.id}`)).body.id).toBe(user.id);
    const list = await ctx.req("GET", `/api/v1/apps/${app.id}/users`);
    expect(list.body.map((u: any) => u.id)).toEqual([user.id]);
    const updated = await ctx.req("POST", `/api/v1/apps/${app.id}/users/${user.id}`, { credentials: { userName: "alias" } });
    expect(updated.body.credentials.userName).toBe("alias");
    expect(updated.body.profile.role).toBe("dev");
    expect(await isUserAssignedToApp(db(), ctx.org.id, app.id, user.id)).toBe(true);
    expect((await ctx.req("DELETE", `/api/v1/apps/${app.id}/users/${user.id}`)).status).toBe(204);
    const gone = await ctx.req("GET", `/api/v1/apps/${app.id}/users/${user.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errorCode).toBe("E0000007");
    expect(await isUserAssignedToApp(db(), ctx.org.id, app.id, user.id)).toBe(false);
  });

  it("answers a second assignment of the same user with 200 (idempotent); id is required; inactive users are refused", async () => {
    const { ctx, app, user } = await setup();
    await ctx.req("POST", `/api/v1/apps/${app.id}/users`, { id: user.id });
    expect((await ctx.req("POST", `/api/v1/apps/${app.id}/users`, { id: user.id })).status).toBe(200);
    const noId = await ctx.req("POST", `/api/v1/apps/${app.id}/users`, {});
    expect(noId.status).toBe(400);
    expect(noId.body.errorCode).toBe("E0000001");
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/deactivate`);
    const inactive = await ctx.req("POST", `/api/v1/apps/${app.id}/users`, { id: user.id });
    expect(inactive.status).toBe(403);
    expect(inactive.body.errorCode).toBe("E0000117");
    expect((await ctx.req("POST", "/api/v1/apps/0oanope/users", { id: user.id })).status).toBe(404);
  });

  it("deleting the user removes its assignment", async () => {
    const { ctx, app, user } = await setup();
    await ctx.req("POST", `/api/v1/apps/${app.id}/users`, { id: user.id });
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/deactivate`);
    expect((await ctx.req("DELETE", `/api/v1/users/${user.id}`)).status).toBe(204);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM app_user_assignments WHERE org_id = ?").bind(ctx.org.id).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});

describe("/api/v1/apps/{appId}/groups", () => {
  it("assigns a group with a priority; its members are assigned with scope GROUP; unassigning ends it", async () => {
    const { ctx, app, user } = await setup();
    const g = await group(ctx, "Engineers");
    await ctx.req("PUT", `/api/v1/groups/${g.id}/users/${user.id}`);
    expect(await isUserAssignedToApp(db(), ctx.org.id, app.id, user.id)).toBe(false);
    const put = await ctx.req("PUT", `/api/v1/apps/${app.id}/groups/${g.id}`, { priority: 2 });
    expect(put.status, put.text).toBe(200);
    expectOktaSchema(put.body, "ApplicationGroupAssignment");
    expect(put.body).toMatchObject({ id: g.id, priority: 2, profile: {} });
    expect(put.body._links.group.href).toBe(`${ctx.org.orgUrl}/api/v1/groups/${g.id}`);
    expect(await isUserAssignedToApp(db(), ctx.org.id, app.id, user.id)).toBe(true);
    const users = await ctx.req("GET", `/api/v1/apps/${app.id}/users`);
    expect(users.body).toHaveLength(1);
    expect(users.body[0].scope).toBe("GROUP");
    expect((await ctx.req("GET", `/api/v1/apps/${app.id}/groups`)).body.map((x: any) => x.id)).toEqual([g.id]);
    expect((await ctx.req("GET", `/api/v1/apps/${app.id}/groups/${g.id}`)).body.priority).toBe(2);
    expect((await ctx.req("DELETE", `/api/v1/apps/${app.id}/groups/${g.id}`)).status).toBe(204);
    expect((await ctx.req("GET", `/api/v1/apps/${app.id}/groups/${g.id}`)).status).toBe(404);
    expect(await isUserAssignedToApp(db(), ctx.org.id, app.id, user.id)).toBe(false);
  });

  it("an unknown group is 404; a bad priority is 400 E0000001; deleting the group or the app removes the assignment", async () => {
    const { ctx, app } = await setup();
    expect((await ctx.req("PUT", `/api/v1/apps/${app.id}/groups/00gnope`, {})).status).toBe(404);
    const g = await group(ctx, "Ops");
    expect((await ctx.req("PUT", `/api/v1/apps/${app.id}/groups/${g.id}`, { priority: "x" })).body.errorCode).toBe("E0000001");
    await ctx.req("PUT", `/api/v1/apps/${app.id}/groups/${g.id}`, {});
    expect((await ctx.req("DELETE", `/api/v1/groups/${g.id}`)).status).toBe(204);
    expect((await ctx.req("GET", `/api/v1/apps/${app.id}/groups`)).body).toEqual([]);
    const g2 = await group(ctx, "Ops 2");
    await ctx.req("PUT", `/api/v1/apps/${app.id}/groups/${g2.id}`, {});
    await ctx.req("POST", `/api/v1/apps/${app.id}/lifecycle/deactivate`);
    expect((await ctx.req("DELETE", `/api/v1/apps/${app.id}`)).status).toBe(204);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM app_group_assignments WHERE org_id = ?").bind(ctx.org.id).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});
