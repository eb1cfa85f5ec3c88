import { Hono } from "hono";
import type { AppContext, AppEnv } from "../../platform/context";
import { pageOf, readAfter, readLimit, setLinkHeaders } from "../../platform/paging";
import {
  createTrustedOrigin,
  deleteTrustedOrigin,
  listTrustedOrigins,
  readTrustedOrigin,
  replaceTrustedOrigin,
  requireTrustedOrigin,
  setTrustedOriginStatus,
  trustedOriginJson,
} from "./service";

/** /api/v1/trustedOrigins: CRUD and lifecycle, Okta's TrustedOrigin shapes. */
export const trustedOriginRoutes = new Hono<AppEnv>();

/** Who made the change, as createdBy / lastUpdatedBy: the user behind the credential, else the client. */
function actorId(c: AppContext): string {
  const actor = c.var.actor;
  return actor.kind === "client" ? actor.clientId : actor.userId;
}

const byId = (c: AppContext) => requireTrustedOrigin(c.var.db, c.var.org.id, c.req.param("trustedOriginId")!);

trustedOriginRoutes.get("/", async (c) => {
  const limit = readLimit(c, { default: 20, max: 200 });
  const after = readAfter(c, 1)?.[0];
  const rows = await listTrustedOrigins(c.var.db, c.var.org.id, { q: c.req.query("q"), after: after ? String(after) : undefined, limit });
  const page = pageOf(rows, limit, (row) => [row.id]);
  setLinkHeaders(c, page.next);
  return c.json(page.items.map((row) => trustedOriginJson(c.var.org, row)));
});

trustedOriginRoutes.post("/", async (c) => {
  const row = await createTrustedOrigin(c.var.db, c.var.org.id, actorId(c), readTrustedOrigin(c.var.body));
  return c.json(trustedOriginJson(c.var.org, row));
});

trustedOriginRoutes.get("/:trustedOriginId", async (c) => c.json(trustedOriginJson(c.var.org, await byId(c))));

trustedOriginRoutes.put("/:trustedOriginId", async (c) => {
  const row = await replaceTrustedOrigin(c.var.db, await byId(c), actorId(c), readTrustedOrigin(c.var.body));
  return c.json(trustedOriginJson(c.var.org, row));
});

trustedOriginRoutes.delete("/:trustedOriginId", async (c) => {
  await deleteTrustedOrigin(c.var.db, await byId(c));
  return c.body(null, 204);
});

for (const [op, status] of [["activate", "ACTIVE"], ["deactivate", "INACTIVE"]] as const) {
  trustedOriginRoutes.post(`/:trustedOriginId/lifecycle/${op}`, async (c) => {
    const row = await setTrustedOriginStatus(c.var.db, await byId(c), actorId(c), status);
    return c.json(trustedOriginJson(c.var.org, row));
  });
}
