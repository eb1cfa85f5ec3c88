import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { openApiDocument } from "./document";

/** GET /openapi.json: the org's API description, its server being this org's URL. */
export const openApiRoutes = new Hono<AppEnv>();

// ~390 KB of JSON: serialised once per org URL and isolate, a few orgs at a time.
const serialised = new Map<string, string>();
const MAX_SERIALISED = 16;

openApiRoutes.get("/openapi.json", (c) => {
  const url = c.var.org.url;
  let text = serialised.get(url);
  if (text === undefined) {
    text = JSON.stringify({ ...openApiDocument(), servers: [{ url }] });
    if (serialised.size >= MAX_SERIALISED) serialised.delete(serialised.keys().next().value!);
    serialised.set(url, text);
  }
  return c.body(text, 200, { "Content-Type": "application/json" });
});
