// A sign-in as an app drives it: POST /api/v1/authn (password check), GET /authorize with the
// sessionToken (session + code), POST /token with the code and the PKCE verifier (access, ID and
// refresh tokens) — and the SSO path: /authorize from the sid cookie (prompt=none) + /token.
import { createHash, randomUUID } from "node:crypto";
import { deleteBenchOrg } from "./lib/orgs.mjs";
import { orgWithAssignedUser, PASSWORD } from "./lib/signed-in-user.mjs";

const REDIRECT = "http://127.0.0.1:9/callback";

/** A response header from autocannon's onResponse (an object keyed as the server spelled the names). */
const headerOf = (headers, name) => {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return String(value);
  return undefined;
};

export async function bench({ orgUrl: baseUrl, operatorToken, report }) {
  const { org, post, login, clientId, basic } = await orgWithAssignedUser(baseUrl, operatorToken, "bench-signin", "bench web app", {
    application_type: "web",
    grant_types: ["authorization_code", "refresh_token"],
    redirect_uris: [REDIRECT],
  });
  try {
    const verifier = randomUUID() + randomUUID();
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const base = new URL(org.orgUrl).pathname.replace(/\/$/, "");
    const authorizePath = (extra) =>
      `${base}/oauth2/v1/authorize?` +
      new URLSearchParams({ client_id: clientId, response_type: "code", scope: "openid profile offline_access", redirect_uri: REDIRECT, state: "bench", code_challenge: challenge, code_challenge_method: "S256", ...extra });
    const codeOf = (headers) => new URL(headerOf(headers, "location") ?? "http://x/").searchParams.get("code") ?? "";
    const tokenRequest = {
      method: "POST",
      path: `${base}/oauth2/v1/token`,
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic },
      setupRequest: (req, context) => ({ ...req, body: new URLSearchParams({ grant_type: "authorization_code", code: context.code, redirect_uri: REDIRECT, code_verifier: verifier }).toString() }),
    };
    const signIn = await report.run("sign-in: POST /api/v1/authn + GET /authorize?sessionToken + POST /token (3 requests)", {
      url: org.orgUrl,
      requests: [
        {
          method: "POST",
          path: `${base}/api/v1/authn`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: login, password: PASSWORD }),
          onResponse: (_status, body, context) => (context.sessionToken = JSON.parse(body).sessionToken),
        },
        {
          method: "GET",
          setupRequest: (req, context) => ({ ...req, path: authorizePath({ sessionToken: context.sessionToken }) }),
          onResponse: (_status, _body, context, headers) => (context.code = codeOf(headers)),
        },
        tokenRequest,
      ],
    });
    // The SSO path: a session cookie from one sign-in, then authorize + token per request pair.
    const token = (await post("/api/v1/authn", { username: login, password: PASSWORD }, "authn")).sessionToken;
    const bridge = await fetch(`${org.orgUrl}/login/sessionCookieRedirect?token=${token}&redirectUrl=${encodeURIComponent(org.orgUrl + "/app/UserHome")}`, { redirect: "manual" });
    const sid = bridge.headers.getSetCookie().find((c) => c.startsWith("sid="))?.split(";")[0];
    if (!sid) throw new Error("no sid cookie from sessionCookieRedirect");
    const sso = await report.run("SSO: GET /authorize (sid cookie, prompt=none) + POST /token (2 requests)", {
      url: org.orgUrl,
      requests: [
        { method: "GET", path: authorizePath({ prompt: "none" }), headers: { cookie: sid }, onResponse: (_s, _b, context, headers) => (context.code = codeOf(headers)) },
        tokenRequest,
      ],
    });
    if (signIn) report.ratio("sign-ins per second (3 requests each)", signIn.reqPerSec / 3);
    if (sso) report.ratio("SSO sign-ins per second (2 requests each)", sso.reqPerSec / 2);
  } finally {
    await deleteBenchOrg(baseUrl, operatorToken, org.slug);
  }
}
