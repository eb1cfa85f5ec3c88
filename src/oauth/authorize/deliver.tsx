import type { Child } from "hono/jsx";
import type { AppContext } from "../../platform/context";
import { randomBase62 } from "../../platform/ids";
import { Layout } from "../../signin/pages/layout";
import { cspSourceOf, orgDisplayName } from "../../signin/pages/render";
import type { Target } from "./request";

/**
 * Delivering the result or an error to the redirect URI in the request's
 * response mode (REFERENCE-SIGNIN §4.3): query and fragment by 302,
 * form_post as a page whose form posts itself (a button under <noscript>
 * for browsers without JavaScript), okta_post_message as a page that posts
 * the values to the window that opened or framed it — to the redirect URI's
 * origin only, never "*". Nothing that reaches a page is written unescaped.
 */
export function deliver(c: AppContext, target: Target, values: Record<string, string>): Response | Promise<Response> {
  const all: Record<string, string> = { ...values };
  if (target.state !== null) all.state = target.state;
  c.header("Cache-Control", "no-store");
  c.header("Pragma", "no-cache");
  c.header("Referrer-Policy", "no-referrer");
  c.header("X-Content-Type-Options", "nosniff");
  const encoded = new URLSearchParams(all).toString();
  switch (target.mode) {
    case "query":
      return c.redirect(target.redirectUri + (target.redirectUri.includes("?") ? "&" : "?") + encoded, 302);
    case "fragment":
      return c.redirect(`${target.redirectUri}#${encoded}`, 302);
    case "form_post":
      return formPost(c, target.redirectUri, all);
    case "okta_post_message":
      return postMessage(c, target.redirectUri, all);
  }
}

/** The delivery of an OAuth error (§4.2): error, error_description and the state. */
export function deliverError(c: AppContext, target: Target, error: string, description: string) {
  return deliver(c, target, { error, error_description: description });
}

/** The CSP source of the redirect URI ('none' if it has none a CSP can name). */
const sourceOf = (uri: string) => cspSourceOf(uri) ?? "'none'";

function pageHeaders(c: AppContext, nonce: string, extra: string) {
  c.header("Content-Security-Policy", `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; base-uri 'none'; ${extra}`);
}

function formPost(c: AppContext, redirectUri: string, values: Record<string, string>) {
  const nonce = randomBase62(22);
  pageHeaders(c, nonce, `form-action ${sourceOf(redirectUri)}; frame-ancestors 'none'`);
  return c.html(
    <SigningIn c={c}>
      <form method="post" action={redirectUri} id="form_post">
        {Object.entries(values).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <noscript>
          <button type="submit">Continue</button>
        </noscript>
      </form>
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: 'document.getElementById("form_post").submit();' }} />
    </SigningIn>,
  );
}

/** The page a browser shows while the response travels back to the app (a form_post, or an okta_post_message popup). */
function SigningIn({ c, children }: { c: AppContext; children: Child }) {
  const page = { orgName: orgDisplayName(c.var.org.slug), csrfToken: "" };
  return (
    <Layout page={page} title="Signing in">
      <h1>Signing you in…</h1>
      <p class="lede">Taking you back to the application.</p>
      {children}
    </Layout>
  );
}

/** JSON that cannot end the <script> it is written into, whatever the values hold. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function postMessage(c: AppContext, redirectUri: string, values: Record<string, string>) {
  const nonce = randomBase62(22);
  const origin = sourceOf(redirectUri);
  // The page lives in the app's hidden iframe (getWithoutPrompt) or popup: only the app's origin may frame it.
  pageHeaders(c, nonce, `frame-ancestors ${origin}`);
  const script =
    `(function(){var data=${scriptJson(values)};var origin=${scriptJson(origin)};` +
    "var target=window.opener||(window.parent!==window?window.parent:null);" +
    "if(target){target.postMessage(data,origin);}})();";
  // A hidden iframe shows nothing; a popup (getWithPopup) shows this until the app closes it.
  return c.html(
    <SigningIn c={c}>
      <script nonce={nonce} dangerouslySetInnerHTML={{ __html: script }} />
    </SigningIn>,
  );
}
