import { listTargets } from "../access/roles/service";
import { Hono } from "hono";
import type { AppContext, AppEnv } from "../platform/context";
import { notFound, oktaError, validationError } from "../platform/errors";
import { compileFilter } from "../platform/filter";
import { pageOf, readAfter, readLimit, setLinkHeaders } from "../platform/paging";
import { appJson, grantJson, readAppRequest } from "./schema";
import {
  appFilterAttributes,
  createApp,
  createGrant,
  deleteApp,
  deleteGrant,
  findApp,
  findAppByClientId,
  findGrant,
  isOktaScope,
  listApps,
  listGrants,
  replaceApp,
  setAppStatus,
  type AppRow,
  type GrantActor,
} from "./service";

/**
 * GET /api/v1/apps pages by 20 (the documented default) up to 200; the
 * spec's `limit=-1` ("all") is read as the maximum page, with a next link.
 */
const APPS_LIMIT = { default: 20, max: 200 };

export const appRoutes = new Hono<AppEnv>();

/** The path's app, or 404 E0000007 (the assignment routes use it too). */
export async function appOr404(c: AppContext): Promise<AppRow> {
  const appId = c.req.param("appId")!;
  const app = await findApp(c.var.db, c.var.org.id, appId);
  if (!app) throw notFound(appId, "AppInstance");
  return app;
}

appRoutes.get("/", async (c) => {
  const limit = c.req.query("limit") === "-1" ? APPS_LIMIT.max : readLimit(c, APPS_LIMIT);
  const after = readAfter(c, 2);
  const filter = c.req.query("filter");
  const where = filter ? compileFilter(filter, appFilterAttributes, { caseInsensitive: false, param: "filter" }) : undefined;
  const within = listTargets(c, "apps.read") ?? undefined;
  const rows = await listApps(c.var.db, c.var.org.id, { q: c.req.query("q"), qOnName: true, where, limit, after, within });
  const page = pageOf(rows, limit, (app) => [app.created, app.id]);
  setLinkHeaders(c, page.next, ["q", "filter", "expand"]);
  return c.json(page.items.map((app) => appJson(c.var.org, app)));
});

appRoutes.post("/", async (c) => {
  const activate = c.req.query("activate");
  if (activate !== undefined && activate !== "true" && activate !== "false") {
    throw validationError([`activate: Must be true or false, got '${activate.slice(0, 20)}'`]);
  }
  const request = await readAppRequest(c.var.body);
  const { app, clientSecret } = await createApp(c.var.db, c.var.org.id, { ...request, active: activate !== "false" });
  return c.json(appJson(c.var.org, app, clientSecret), 200);
});

appRoutes.get("/:appId", async (c) => c.json(appJson(c.var.org, await appOr404(c))));

appRoutes.put("/:appId", async (c) => {
  const existing = await appOr404(c);
  const request = await readAppRequest(c.var.body, existing);
  const { app, clientSecret } = await replaceApp(c.var.db, existing, request.settings, { clientSecret: request.clientSecret });
  return c.json(appJson(c.var.org, app, clientSecret));
});

appRoutes.delete("/:appId", async (c) => {
  const app = await appOr404(c);
  if (app.status !== "INACTIVE") {
    throw oktaError(403, "E0000056", "Delete application forbidden.", ["The application must be deactivated before deletion."]);
  }
  await deleteApp(c.var.db, app);
  return c.body(null, 204);
});

appRoutes.post("/:appId/lifecycle/activate", async (c) => {
  await setAppStatus(c.var.db, await appOr404(c), "ACTIVE");
  return c.json({});
});

appRoutes.post("/:appId/lifecycle/deactivate", async (c) => {
  await setAppStatus(c.var.db, await appOr404(c), "INACTIVE");
  return c.json({});
});

// Grants (REFERENCE §3.2). The path names the app id; Okta's docs also call
// it with the client id (the same by default), so a custom client_id works too.

async function grantAppOr404(c: AppContext): Promise<AppRow> {
  const appId = c.req.param("appId")!;
  const app = (await findApp(c.var.db, c.var.org.id, appId)) ?? (await findAppByClientId(c.var.db, c.var.org.id, appId));
  if (!app) throw notFound(appId, "AppInstance");
  return app;
}

/** Who granted: the acting user, or the service client acting without one. */
function actorOf(c: AppContext): GrantActor {
  const actor = c.var.actor;
  return actor.kind === "client" ? { id: actor.clientId, type: "PublicClientApp" } : { id: actor.userId, type: "User" };
}

const expandsScope = (c: AppContext) => (c.req.query("expand") ?? "").split(",").includes("scope");

appRoutes.get("/:appId/grants", async (c) => {
  const app = await grantAppOr404(c);
  const grants = await listGrants(c.var.db, c.var.org.id, app.id);
  return c.json(grants.map((grant) => grantJson(c.var.org, app, grant, expandsScope(c))));
});

appRoutes.post("/:appId/grants", async (c) => {
  const app = await grantAppOr404(c);
  const body = c.var.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw validationError(["body: The request body must be a JSON object"]);
  }
  const { scopeId, issuer } = body as Record<string, unknown>;
  const problems: string[] = [];
  if (scopeId === undefined || scopeId === null || scopeId === "") problems.push("scopeId: The field cannot be left blank");
  else if (typeof scopeId !== "string" || !isOktaScope(scopeId)) {
    problems.push(`scopeId: '${String(scopeId).slice(0, 100)}' is not an Okta scope of the org authorization server`);
  }
  if (issuer === undefined || issuer === null || issuer === "") problems.push("issuer: The field cannot be left blank");
  else if (typeof issuer !== "string" || issuer.replace(/\/$/, "") !== c.var.org.url) {
    problems.push(`issuer: Must be the org authorization server's issuer '${c.var.org.url}'`);
  }
  if (problems.length) throw validationError(problems);
  const grant = await createGrant(c.var.db, app, {
    scopeId: scopeId as string,
    issuer: c.var.org.url,
    createdBy: actorOf(c),
    publicClientAppAdmins: c.var.org.publicClientAppAdmins,
  });
  return c.json(grantJson(c.var.org, app, grant), 201);
});

appRoutes.get("/:appId/grants/:grantId", async (c) => {
  const app = await grantAppOr404(c);
  const grantId = c.req.param("grantId");
  const grant = await findGrant(c.var.db, c.var.org.id, app.id, grantId);
  if (!grant) throw notFound(grantId, "OAuth2ScopeConsentGrant");
  return c.json(grantJson(c.var.org, app, grant, expandsScope(c)));
});

appRoutes.delete("/:appId/grants/:grantId", async (c) => {
  const app = await grantAppOr404(c);
  const grantId = c.req.param("grantId");
  const grant = await findGrant(c.var.db, c.var.org.id, app.id, grantId);
  if (!grant) throw notFound(grantId, "OAuth2ScopeConsentGrant");
  await deleteGrant(c.var.db, grant);
  return c.body(null, 204);
});
