import { Hono } from "hono";
import { listTargets } from "../access/roles/service";
import type { AppContext, AppEnv } from "../platform/context";
import { setLinkHeaders, type Page } from "../platform/paging";
import { createGroup, deleteGroup, getGroupJson, readExpand, readGroupProfile, replaceGroup } from "./groups";
import { groupJson } from "./json";
import { listGroups } from "./list";
import { addMember, listGroupApps, listMembers, removeMember } from "./members";
import { assignOwner, listOwners, removeOwner } from "./owners";
import { activate, createRule, deactivate, deleteRule, getRuleJson, listRules, replaceRule, ruleJson } from "./rules";

/** /api/v1/groups (REFERENCE §2). Rule routes come first: "rules" is not a group id. */
export const groupRoutes = new Hono<AppEnv>();

/** A page as Okta sends it: the items, and the Link headers. */
function sendPage(c: AppContext, page: Page<object>, params: readonly string[] = []) {
  // Only the parameters the list reads are echoed in Link (never junk or repeats).
  setLinkHeaders(c, page.next, params);
  return c.json(page.items);
}

groupRoutes.get("/rules", async (c) => sendPage(c, await listRules(c.var.db, c.var.org.id, c.req.query()), ["search", "expand"]));
groupRoutes.post("/rules", async (c) => c.json(ruleJson(await createRule(c.var.db, c.var.org.id, c.var.body)), 200));
groupRoutes.get("/rules/:groupRuleId", async (c) =>
  c.json(await getRuleJson(c.var.db, c.var.org.id, c.req.param("groupRuleId"), c.req.query("expand"))),
);
groupRoutes.put("/rules/:groupRuleId", async (c) =>
  c.json(ruleJson(await replaceRule(c.var.db, c.var.org.id, c.req.param("groupRuleId"), c.var.body))),
);
groupRoutes.delete("/rules/:groupRuleId", async (c) => {
  const removeUsers = (c.req.query("removeUsers") ?? "false").toLowerCase() === "true";
  await deleteRule(c.var.db, c.var.org.id, c.req.param("groupRuleId"), removeUsers);
  return c.body(null, 202);
});
groupRoutes.post("/rules/:groupRuleId/lifecycle/activate", async (c) => {
  await activate(c.var.db, c.var.org.id, c.req.param("groupRuleId"));
  return c.body(null, 204);
});
groupRoutes.post("/rules/:groupRuleId/lifecycle/deactivate", async (c) => {
  await deactivate(c.var.db, c.var.org.id, c.req.param("groupRuleId"));
  return c.body(null, 204);
});

groupRoutes.get("/", async (c) => {
  const targets = listTargets(c, "groups.read");
  const page = await listGroups(c.var.db, c.var.org, c.req.query(), targets ? [...targets.groupIds] : undefined);
  return sendPage(c, page, ["q", "filter", "search", "sortBy", "sortOrder", "expand"]);
});
groupRoutes.post("/", async (c) => {
  const row = await createGroup(c.var.db, c.var.org.id, readGroupProfile(c.var.body));
  return c.json(groupJson(c.var.org, row), 200);
});
groupRoutes.get("/:groupId", async (c) =>
  c.json(await getGroupJson(c.var.db, c.var.org, c.req.param("groupId"), readExpand(c.req.query("expand")))),
);
groupRoutes.put("/:groupId", async (c) => {
  const row = await replaceGroup(c.var.db, c.var.org.id, c.req.param("groupId"), readGroupProfile(c.var.body));
  return c.json(groupJson(c.var.org, row));
});
groupRoutes.delete("/:groupId", async (c) => {
  await deleteGroup(c.var.db, c.var.org.id, c.req.param("groupId"));
  return c.body(null, 204);
});

groupRoutes.get("/:groupId/users", async (c) =>
  sendPage(c, await listMembers(c.var.db, c.var.org, c.req.param("groupId"), c.req.query())),
);
groupRoutes.put("/:groupId/users/:userId", async (c) => {
  await addMember(c.var.db, c.var.org.id, c.req.param("groupId"), c.req.param("userId"));
  return c.body(null, 204);
});
groupRoutes.delete("/:groupId/users/:userId", async (c) => {
  await removeMember(c.var.db, c.var.org.id, c.req.param("groupId"), c.req.param("userId"));
  return c.body(null, 204);
});

groupRoutes.get("/:groupId/apps", async (c) =>
  sendPage(c, await listGroupApps(c.var.db, c.var.org.id, c.req.param("groupId"), c.req.query())),
);

groupRoutes.get("/:groupId/owners", async (c) =>
  sendPage(c, await listOwners(c.var.db, c.var.org.id, c.req.param("groupId"), c.req.query()), ["search"]),
);
groupRoutes.post("/:groupId/owners", async (c) =>
  c.json(await assignOwner(c.var.db, c.var.org.id, c.req.param("groupId"), c.var.body), 201),
);
groupRoutes.delete("/:groupId/owners/:ownerId", async (c) => {
  await removeOwner(c.var.db, c.var.org.id, c.req.param("groupId"), c.req.param("ownerId"));
  return c.body(null, 204);
});
