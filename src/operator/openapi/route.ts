import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { openApiDocument } from "./document";

/** GET /openapi.json: the org's API description, its server being this org's URL. */
export const openApiRoutes = new Hono<AppEnv>();

openApiRoutes.get("/openapi.json", (c) => {
  const document = openApiDocument();
  return c.json({ ...document, servers: [{ url: c.var.org.url }] });
});
