import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Db } from "../platform/context";
import { Errors } from "../platform/errors";
import { parseWith } from "../platform/validate";
import { orgRouteOf } from "../orgs/route";
import type { Provisioner } from "../orgs/provisioner";
import { DEFAULT_ORG_SLUG, ensureDefaultOrg, findOrgBySlug, listOrgs, type OrgRecord } from "../orgs/service";
import { renderPage } from "../pages/layout";
import { RequestLogPage } from "../pages/request-log";
import { faultRuleInput } from "./faults/schema";
import { addFault, clearFaults, faultJson, listFaults } from "./faults/service";
import { basicOperatorToken } from "./operator-token";
import { requestLogJson } from "./request-log/json";
import { REQUEST_LOG_SIZE, recentRequests } from "./request-log/writer";

/**
 * The operator API about one org (/_edgeorg/orgs/{slug}/…): its fault rules
 * and its request log. `default` names the org at the root here.
 */
export function operatorOrgRoutes(provisioners: readonly Provisioner[]): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  async function orgOf(db: Db, slug: string): Promise<OrgRecord> {
    const org = slug === DEFAULT_ORG_SLUG ? await ensureDefaultOrg(db, provisioners) : await findOrgBySlug(db, slug);
    if (!org) throw Errors.pathNotFound();
    return org;
  }

  routes.get("/orgs/:slug/faults", async (c) => {
    const org = await orgOf(c.var.db, c.req.param("slug"));
    return c.json((await listFaults(c.var.db, org.id)).map(faultJson));
  });

  routes.post("/orgs/:slug/faults", async (c) => {
    const org = await orgOf(c.var.db, c.req.param("slug"));
    const input = parseWith(faultRuleInput, c.var.body);
    return c.json(faultJson(await addFault(c.var.db, org.id, input)), 201);
  });

  routes.delete("/orgs/:slug/faults", async (c) => {
    const org = await orgOf(c.var.db, c.req.param("slug"));
    await clearFaults(c.var.db, org.id);
    return c.body(null, 204);
  });

  routes.delete("/orgs/:slug/faults/:faultId", async (c) => {
    const org = await orgOf(c.var.db, c.req.param("slug"));
    await clearFaults(c.var.db, org.id, c.req.param("faultId"));
    return c.body(null, 204);
  });

  const logQuery = z.object({ limit: z.coerce.number().int().min(1).max(REQUEST_LOG_SIZE).default(REQUEST_LOG_SIZE) });

  routes.get("/orgs/:slug/requests", async (c) => {
    const org = await orgOf(c.var.db, c.req.param("slug"));
    const { limit } = parseWith(logQuery, c.req.query(), "query");
    return c.json((await recentRequests(c.var.db, org.id, limit)).map(requestLogJson));
  });

  /**
   * The request log for a browser. Public in the route table because it checks
   * the operator token itself, by HTTP Basic (see operator-token.ts).
   */
  routes.get("/requests-view", async (c) => {
    if (orgRouteOf(c.req.raw).slug !== null) throw Errors.pathNotFound();
    if (!(await basicOperatorToken(c.env, c.req.header("authorization")))) {
      return c.text("The request log needs the operator token (any user name, the token as password).", 401, {
        "WWW-Authenticate": 'Basic realm="edgeorg operator", charset="UTF-8"',
        "Cache-Control": "no-store",
      });
    }
    const slug = c.req.query("org") ?? DEFAULT_ORG_SLUG;
    const org = await orgOf(c.var.db, slug);
    const origin = new URL(c.req.url).origin;
    const orgs = await listOrgs(c.var.db);
    const entries = (await recentRequests(c.var.db, org.id, REQUEST_LOG_SIZE)).map(requestLogJson);
    return renderPage(c, <RequestLogPage origin={origin} slug={org.slug} slugs={orgs.map((o) => o.slug)} entries={entries} />);
  });

  return routes;
}
