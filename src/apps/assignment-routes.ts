import { Hono } from "hono";
import type { AppContext, AppEnv } from "../platform/context";
import { pageOf, readAfter, readLimit, setLinkHeaders } from "../platform/paging";
import {
  appUserJson,
  assignGroup,
  assignUser,
  getAppGroup,
  getAppUser,
  groupAssignmentJson,
  listAppGroups,
  listAppUsers,
  unassignGroup,
  unassignUser,
  updateAppUser,
} from "./assignments";
import { appOr404 } from "./routes";

/** /api/v1/apps/{appId}/users and /groups (REFERENCE-SIGNIN §9.1), mounted at /api/v1/apps/:appId. */
export const assignmentRoutes = new Hono<AppEnv>();

const cursor = (c: AppContext) => {
  const after = readAfter(c, 1)?.[0];
  return after === undefined || after === null ? undefined : String(after);
};

assignmentRoutes.get("/users", async (c) => {
  const app = await appOr404(c);
  const limit = readLimit(c, { default: 50, max: 500 });
  const rows = await listAppUsers(c.var.db, c.var.org.id, app.id, { after: cursor(c), limit, q: c.req.query("q") });
  const page = pageOf(rows, limit, (v) => [v.user.id]);
  setLinkHeaders(c, page.next);
  return c.json(page.items.map((v) => appUserJson(c.var.org, app, v)));
});

assignmentRoutes.post("/users", async (c) => {
  const app = await appOr404(c);
  return c.json(appUserJson(c.var.org, app, await assignUser(c.var.db, c.var.org.id, app, c.var.body)));
});

assignmentRoutes.get("/users/:userId", async (c) => {
  const app = await appOr404(c);
  return c.json(appUserJson(c.var.org, app, await getAppUser(c.var.db, c.var.org.id, app.id, c.req.param("userId"))));
});

assignmentRoutes.post("/users/:userId", async (c) => {
  const app = await appOr404(c);
  const view = await updateAppUser(c.var.db, c.var.org.id, app, c.req.param("userId"), c.var.body);
  return c.json(appUserJson(c.var.org, app, view));
});

assignmentRoutes.delete("/users/:userId", async (c) => {
  const app = await appOr404(c);
  await unassignUser(c.var.db, c.var.org.id, app, c.req.param("userId"));
  return c.body(null, 204);
});

assignmentRoutes.get("/groups", async (c) => {
  const app = await appOr404(c);
  const limit = readLimit(c, { default: 20, max: 200 });
  const rows = await listAppGroups(c.var.db, c.var.org.id, app.id, { after: cursor(c), limit });
  const page = pageOf(rows, limit, (row) => [row.groupId]);
  setLinkHeaders(c, page.next);
  return c.json(page.items.map((row) => groupAssignmentJson(c.var.org, app, row)));
});

assignmentRoutes.get("/groups/:groupId", async (c) => {
  const app = await appOr404(c);
  return c.json(groupAssignmentJson(c.var.org, app, await getAppGroup(c.var.db, c.var.org.id, app.id, c.req.param("groupId"))));
});

assignmentRoutes.put("/groups/:groupId", async (c) => {
  const app = await appOr404(c);
  const row = await assignGroup(c.var.db, c.var.org.id, app, c.req.param("groupId"), c.var.body);
  return c.json(groupAssignmentJson(c.var.org, app, row));
});

assignmentRoutes.delete("/groups/:groupId", async (c) => {
  const app = await appOr404(c);
  await unassignGroup(c.var.db, c.var.org.id, app.id, c.req.param("groupId"));
  return c.body(null, 204);
});
