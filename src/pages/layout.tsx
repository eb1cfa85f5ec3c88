import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import type { AppContext } from "../platform/context";
import { CSS, cssHash } from "./style";

/**
 * The shell of every page: one inline stylesheet, no script, a strict CSP.
 * Everything echoed goes through JSX, which escapes text and attributes.
 */
export function Layout(props: { title: string; orgLabel?: string; home: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <header class="top">
          <div class="wrap">
            <a class="brand" href={`${props.home}/`}>
              edge<span>org</span>
            </a>
            {props.orgLabel ? <span class="badge">{props.orgLabel}</span> : null}
            <nav class="links">
              <a href={`${props.home}/`}>Overview</a>
              <a href={`${props.home}/docs`}>API docs</a>
              <a href={`${props.home}/openapi.json`}>openapi.json</a>
            </nav>
          </div>
        </header>
        <main>
          <div class="wrap">{props.children}</div>
        </main>
        <footer>
          <div class="wrap">edgeorg — an Okta-compatible org on Cloudflare Workers. Operations and shapes from Okta's OpenAPI description (Apache-2.0).</div>
        </footer>
      </body>
    </html>
  );
}

/** Renders a page with the headers every page carries. */
export async function renderPage(c: AppContext, page: Child, status: 200 | 401 = 200, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = {
    "Content-Security-Policy": `default-src 'none'; style-src ${await cssHash()}; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    ...extra,
  };
  return c.html(`<!doctype html>${await page}`, status, headers);
}

/** A browser asking for a page (Accept names text/html); API clients send JSON or *\/*. */
export function wantsHtml(c: AppContext): boolean {
  return (c.req.header("accept") ?? "").toLowerCase().includes("text/html");
}
