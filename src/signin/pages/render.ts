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

/** What a CSP may name for a URI: its origin, or its scheme for a native app's custom scheme. */
export function cspSourceOf(uri: string): string | null {
  try {
    const url = new URL(uri);
    if (url.origin !== "null") return url.origin;
    return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? url.protocol : null;
  } catch {
    return null;
  }
}

/**
 * Pages are never cached and never framed; they load nothing but their
 * inline style. Their forms post to the org itself; `formTargets` adds
 * where the redirects that follow a post may end (CSP form-action covers
 * them too): the app's redirect URI after sign-in or consent.
 */
export function renderPage(c: AppContext, page: JSX.Element, status = 200, formTargets: readonly string[] = []) {
  const formAction = ["'self'", ...formTargets.map(cspSourceOf).filter((s): s is string => s !== null)].join(" ");
  c.header("Cache-Control", "no-store");
  c.header("Content-Security-Policy", `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`);
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Content-Type-Options", "nosniff");
  return c.html(page, status as 200);
}
