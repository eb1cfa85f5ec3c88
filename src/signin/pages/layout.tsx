import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { STYLES } from "./styles";

/** What every page knows: the org's display name and the CSRF token its forms carry. */
export interface PageContext {
  orgName: string;
  csrfToken: string;
}

/** The org's initials for the mark beside its name (no logo upload exists). */
function initials(name: string): string {
  const words = name.split(/[\s._-]+/).filter((word) => /^\p{L}/u.test(word));
  return ((words[0]?.[0] ?? "E") + (words[1]?.[0] ?? "")).toUpperCase();
}

export function Layout(props: { page: PageContext; title: string; children: Child }) {
  // Without the doctype the browser lays the page out in quirks mode (forms gain a bottom margin, and more).
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} · ${props.page.orgName}`}</title>
          <style>{STYLES}</style>
        </head>
        <body>
          <div class="brandbar" />
          <main>
            <div class="card">
              <div class="org">
                <div class="mark" aria-hidden="true">{initials(props.page.orgName)}</div>
                <div class="orgname">{props.page.orgName}</div>
              </div>
              {props.children}
            </div>
          </main>
          <footer>Powered by edgeorg · an Okta-compatible org</footer>
        </body>
      </html>
    </>
  );
}

/** The hidden CSRF field every form carries (double submit with the csrf cookie). */
export function CsrfField(props: { page: PageContext }) {
  return <input type="hidden" name="_csrf" value={props.page.csrfToken} />;
}

export function Alert(props: { kind: "error" | "ok"; message?: string | null }) {
  if (!props.message) return null;
  return (
    <div class={`alert ${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.message}
    </div>
  );
}
