import { listTargets } from "../access/roles/service";
import { Hono } from "hono";
import {
  createApp,
  deleteApp,
  findAppByClientId,
  listApps,
  replaceApp,
  rotateClientSecret,
  type AppRow,
} from "../apps/service";
import type { AppContext, AppEnv } from "../platform/context";
import { notFound, oauthError } from "../platform/errors";
import { pageOf, readAfter, readLimit, setLinkHeaders } from "../platform/paging";
import { clientJson, readClientRequest } from "./schema";

/** Dynamic client registration (REFERENCE §4): the same rows as /api/v1/apps, seen as OAuth clients. */
export const clientRoutes = new Hono<AppEnv>();

const CLIENTS_LIMIT = { default: 20, max: 200 };

async function clientOr404(c: AppContext): Promise<AppRow> {
  const clientId = c.req.param("clientId")!;
  const app = await findAppByClientId(c.var.db, c.var.org.id, clientId);
  // Okta-style 404 here, not an OAuth error (§4.3).
  if (!app) throw notFound(clientId, "PublicClientApp");
  return app;
}

clientRoutes.get("/", async (c) => {
  const limit = readLimit(c, CLIENTS_LIMIT);
  const after = readAfter(c, 2);
  const within = listTargets(c, "clients.read") ?? undefined;
  const rows = await listApps(c.var.db, c.var.org.id, { q: c.req.query("q"), limit, after, within });
  const page = pageOf(rows, limit, (app) => [app.created, app.id]);
  setLinkHeaders(c, page.next, ["q"]);
  return c.json(page.items.map((app) => clientJson(app)));
});

clientRoutes.post("/", async (c) => {
  const settings = await readClientRequest(c.var.body);
  const { app, clientSecret } = await createApp(c.var.db, c.var.org.id, { settings, active: true });
  return c.json(clientJson(app, clientSecret), 201);
});

clientRoutes.get("/:clientId", async (c) => c.json(clientJson(await clientOr404(c))));

clientRoutes.put("/:clientId", async (c) => {
  const existing = await clientOr404(c);
  const settings = await readClientRequest(c.var.body, existing);
  const { app, clientSecret } = await replaceApp(c.var.db, existing, settings);
  return c.json(clientJson(app, clientSecret));
});

/** DCR deletes whatever the status (Okta deactivates and deletes in one call). */
clientRoutes.delete("/:clientId", async (c) => {
  await deleteApp(c.var.db, await clientOr404(c));
  return c.body(null, 204);
});

clientRoutes.post("/:clientId/lifecycle/newSecret", async (c) => {
  const existing = await clientOr404(c);
  const method = existing.tokenEndpointAuthMethod;
  if (method !== "client_secret_basic" && method !== "client_secret_post") {
    throw oauthError(
      400,
      "invalid_request",
      `A new client secret can only be generated for clients that use 'client_secret_basic' or 'client_secret_post', not '${method}'`,
    );
  }
  const { app, clientSecret } = await rotateClientSecret(c.var.db, existing);
  return c.json(clientJson(app, clientSecret));
});
