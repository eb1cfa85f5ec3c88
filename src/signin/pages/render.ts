import type { JSX } from "hono/jsx/jsx-runtime";
import type { AppContext } from "../../platform/context";
import { csrfToken } from "./csrf";
import type { PageContext } from "./layout";

/** The org's display name: edgeorg has no org settings yet, so the slug stands for it. */
export function orgDisplayName(slug: string): string {
  return slug === "default" ? "edgeorg" : slug;
}

/** What a page with a form needs: the org's name and this browser's CSRF token (set as a cookie when new). */
export function pageContext(c: AppContext): PageContext {
  return { orgName: orgDisplayName(c.var.org.slug), csrfToken: csrfToken(c) };
}

/** Pages are never cached and never framed; they load nothing but their inline style. */
export function renderPage(c: AppContext, page: JSX.Element, status = 200) {
  c.header("Cache-Control", "no-store");
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Content-Type-Options", "nosniff");
  return c.html(page, status as 200);
}
