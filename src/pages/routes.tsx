import { Hono } from "hono";
import { openApiDocument } from "../operator/openapi/document";
import type { AppEnv } from "../platform/context";
import { Errors } from "../platform/errors";
import { Docs } from "./docs";
import { Landing } from "./landing";
import { renderPage, wantsHtml } from "./layout";

/** The org's pages for a browser: the landing page at the org URL and the API docs. */
export const orgPageRoutes = new Hono<AppEnv>();

// API clients keep Okta's answer at the org URL: a JSON 404.
orgPageRoutes.get("/", (c) => {
  if (!wantsHtml(c)) throw Errors.pathNotFound();
  return renderPage(c, <Landing org={c.var.org} />);
});

orgPageRoutes.get("/docs", (c) => renderPage(c, <Docs org={c.var.org} document={openApiDocument()} />));
