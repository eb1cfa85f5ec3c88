import type { Org } from "../platform/context";
import { findRouteRow } from "../access/route-table";
import { Layout } from "./layout";

/** Okta Classic's hosted sign-in page (REFERENCE-SIGNIN §4.4); linked only once a route serves it. */
const SIGN_IN_PATH = "/login/login.htm";

/** What a browser opening the org URL sees: what this is, its URLs, where to go next. */
export function Landing(props: { org: Org }) {
  const { org } = props;
  const signIn = findRouteRow("GET", SIGN_IN_PATH) ? `${org.url}${SIGN_IN_PATH}` : null;
  // The operator API lives at the root, whichever org this is.
  const requestLog = `${new URL(org.url).origin}/_edgeorg/requests-view?org=${encodeURIComponent(org.slug)}`;
  const urls: [string, string][] = [
    ["Org URL (issuer)", org.url],
    ["Discovery", `${org.url}/.well-known/openid-configuration`],
    ["JWKS", `${org.url}/oauth2/v1/keys`],
    ["Token endpoint", `${org.url}/oauth2/v1/token`],
    ["Management API", `${org.url}/api/v1`],
    ["Default custom server", `${org.url}/oauth2/default`],
  ];
  const snippet = [
    "import okta from '@okta/okta-sdk-nodejs';",
    "",
    `const client = new okta.Client({`,
    `  orgUrl: '${org.url}',`,
    `  token: process.env.OKTA_API_TOKEN,`,
    `});`,
    "for await (const user of await client.userApi.listUsers()) console.log(user.profile.login);",
  ].join("\n");
  return (
    <Layout title={`edgeorg · ${org.slug}`} orgLabel={org.slug === "default" ? "default org" : `org ${org.slug}`} home={org.url}>
      <h1>An Okta-compatible org</h1>
      <p class="lead">
        Point Okta's SDKs, your app or <code>curl</code> at this URL and it answers like an Okta org: the management API,
        OAuth 2.0 scoped tokens and custom authorization servers — running on Cloudflare Workers.
      </p>
      <div class="grid">
        <div class="card">
          <h2>This org</h2>
          <dl class="urls">
            {urls.map(([label, url]) => (
              <>
                <dt>{label}</dt>
                <dd>
                  <code>{url}</code>
                </dd>
              </>
            ))}
          </dl>
        </div>
        <div class="card">
          <h2>Start here</h2>
          <p class="muted">Browse what the org serves and the scope each call needs, or hand the document to your tools.</p>
          <div class="actions">
            <a class="btn" href={`${org.url}/docs`}>API docs</a>
            <a class="btn ghost" href={`${org.url}/openapi.json`}>openapi.json</a>
            {signIn ? (
              <a class="btn ghost" href={signIn}>
                Sign in
              </a>
            ) : null}
          </div>
          <p class="muted mt">
            Operators: the <a href={requestLog}>request log</a> shows this org's last requests — status, caller and error code — to
            see why an app got a 401 or 403. It asks for the operator token.
          </p>
        </div>
      </div>
      <div class="card mt">
        <h2>Okta's Node SDK</h2>
        <pre>{snippet}</pre>
      </div>
    </Layout>
  );
}
