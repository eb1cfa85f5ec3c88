import { describe, expect, it } from "vitest";
import { anon, cookiesOf, originOf } from "../../signin/helpers";
import { PASSWORD } from "../../users/helpers";
import { authorize, codeParams, pkce, redirected, REDIRECT, SERVERS, sessionToken, setup, signedIn, type Setup } from "./helpers";

describe.each(SERVERS)("/authorize on the $kind server", (server) => {
  describe("client and redirect_uri errors are pages, never redirects (§4.2)", () => {
    it("client_id missing, unknown or INACTIVE: 400 page 'Invalid value for 'client_id' parameter.'", async () => {
      const s = await setup();
      for (const client_id of [undefined, "0oanope", s.clientId]) {
        if (client_id === s.clientId) expect((await s.ctx.req("POST", `/api/v1/apps/${s.app.id}/lifecycle/deactivate`)).status).toBe(200);
        const reply = await authorize(s, server, codeParams(s, { client_id }));
        expect(reply.status).toBe(400);
        expect(reply.headers.get("location")).toBeNull();
        expect(reply.headers.get("content-type")).toContain("text/html");
        expect(reply.text).toContain("Invalid value for &#39;client_id&#39; parameter.");
      }
    });

    it("redirect_uri missing or not registered exactly (case, trailing slash, query): 400 page", async () => {
      const s = await setup();
      const missing = await authorize(s, server, codeParams(s, { redirect_uri: undefined }));
      expect(missing.status).toBe(400);
      expect(missing.text).toContain("redirect_uri is missing.");
      for (const redirect_uri of [REDIRECT + "/", REDIRECT.toUpperCase(), REDIRECT + "?x=1", "https://evil.example.com/callback"]) {
        const reply = await authorize(s, server, codeParams(s, { redirect_uri }));
        expect(reply.status, redirect_uri).toBe(400);
        expect(reply.headers.get("location")).toBeNull();
        expect(reply.text).toContain("The &#39;redirect_uri&#39; parameter must be a Login redirect URI in the client app settings.");
      }
    });

    it("wildcard_redirect SUBDOMAIN: '*' stands for one host label of an https URI", async () => {
      const s = await setup({ redirect_uris: ["https://*.example.com/cb"], wildcard_redirect: "SUBDOMAIN" });
      expect(s.app.settings.oauthClient.wildcard_redirect).toBe("SUBDOMAIN");
      const sid = await signedIn(s);
      const ok = await authorize(s, server, codeParams(s, { redirect_uri: "https://tenant-1.example.com/cb" }), sid);
      expect(redirected(ok).url.origin).toBe("https://tenant-1.example.com");
      for (const redirect_uri of ["https://a.b.example.com/cb", "http://tenant.example.com/cb", "https://tenant.example.com/cb2", "https://example.com/cb"]) {
        expect((await authorize(s, server, codeParams(s, { redirect_uri }), sid)).status, redirect_uri).toBe(400);
      }
    });
  });

  describe("parameter errors are delivered to the redirect URI (§4.1, §4.2)", () => {
    const cases: [string, Record<string, string | undefined>, string, string][] = [
      ["unknown response_type", { response_type: "code banana" }, "unsupported_response_type", "The response type is not supported by the authorization server. Configured response types: [code, token, id_token, code id_token, code token, id_token token, code id_token token]."],
      ["unknown response_mode", { response_mode: "web_message" }, "unsupported_response_mode", "The response mode isn't supported by the authorization server. Valid response modes: [`query`, `fragment`, `form_post`, `okta_post_message`]."],
      ["missing state", { state: undefined }, "invalid_request", "The authentication request has an invalid 'state' parameter."],
      ["illegal state", { state: 'a"<b>' }, "invalid_request", "The authentication request has an invalid 'state' parameter."],
      ["bad PKCE method", { code_challenge: "x".repeat(43), code_challenge_method: "plain" }, "invalid_request", "PKCE code challenge method is not supported. Valid values: [S256]"],
      ["PKCE challenge, no method", { code_challenge: "x".repeat(43) }, "invalid_request", "PKCE code challenge method is not supported. Valid values: [S256]"],
      ["illegal PKCE challenge", { code_challenge: "a+b/" + "x".repeat(40), code_challenge_method: "S256" }, "invalid_request", "PKCE code challenge contains illegal characters."],
      ["bad prompt", { prompt: "select_account" }, "invalid_request", "Invalid value for 'prompt' parameter. Supported values: [none, login, consent, login consent, consent login, enroll_authenticator]."],
      ["none with login", { prompt: "none login" }, "invalid_request", "Invalid value for 'prompt' parameter. Supported values: [none, login, consent, login consent, consent login, enroll_authenticator]."],
      ["negative max_age", { max_age: "-1" }, "invalid_request", "Invalid value for 'max_age' parameter."],
      ["max_age=0 with prompt=none", { max_age: "0", prompt: "none" }, "invalid_request", "The 'max_age' parameter cannot be 0 when 'prompt' is 'none'."],
      ["idp", { idp: "0oa1234" }, "invalid_request", "Identity provider is not valid."],
    ];
    it.each(cases)("%s", async (_name, extra, error, description) => {
      const s = await setup();
      const { url, values } = redirected(await authorize(s, server, codeParams(s, extra)));
      expect(url.origin + url.pathname).toBe(REDIRECT);
      expect(values).toMatchObject({ error, error_description: description });
      // state is echoed only when it is legal
      if (extra.state === undefined && !("state" in extra)) expect(values.state).toBe("st-1");
      else expect(values.state).toBeUndefined();
    });

    it("errors are form-encoded with '+' for spaces", async () => {
      const s = await setup();
      const reply = await authorize(s, server, codeParams(s, { idp: "x" }));
      expect(reply.headers.get("location")).toBe(`${REDIRECT}?error=invalid_request&error_description=Identity+provider+is+not+valid.&state=st-1`);
    });

    it("tokens in query mode: unsupported_response_mode (no token is in it, so the query is fine for the error)", async () => {
      const s = await setup();
      const { values } = redirected(await authorize(s, server, codeParams(s, { response_type: "id_token", response_mode: "query" })));
      expect(values).toMatchObject({ error: "unsupported_response_mode", error_description: "'query' response mode cannot be used with either the 'id_token' or 'token' response types.", state: "st-1" });
    });

    it("nonce is required with id_token or token (Okta's message, two periods)", async () => {
      const s = await setup();
      for (const response_type of ["id_token", "token", "code id_token"]) {
        const { values } = redirected(await authorize(s, server, codeParams(s, { response_type, nonce: undefined })), true);
        expect(values.error_description).toBe("The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types..");
      }
    });

    it("a response type the app is not configured for: unauthorized_client", async () => {
      const s = await setup({ grant_types: ["authorization_code"], response_types: ["code"] });
      const { values } = redirected(await authorize(s, server, codeParams(s, { response_type: "token" })), true);
      expect(values).toMatchObject({ error: "unauthorized_client", error_description: "The client is not authorized to use the provided response type. Configured response types: [code]." });
    });

    it("PKCE is required for public clients and apps with pkce_required", async () => {
      const spa = await setup({ application_type: "browser", grant_types: ["authorization_code"], response_types: ["code"] }, { token_endpoint_auth_method: "none" });
      const { values } = redirected(await authorize(spa, server, codeParams(spa)));
      expect(values).toMatchObject({ error: "invalid_request", error_description: "PKCE code challenge is required by the application." });
      const web = await setup({}, { pkce_required: true });
      expect(redirected(await authorize(web, server, codeParams(web))).values.error_description).toBe("PKCE code challenge is required by the application.");
    });
  });

  describe("authenticating the user (§4.4)", () => {
    it("no session: 302 to the sign-in page, which resumes the request; the login_hint prefills it", async () => {
      const s = await setup();
      const reply = await authorize(s, server, codeParams(s, { login_hint: s.user.profile.login, sessionToken: "00spent", prompt: "login consent" }));
      expect(reply.status).toBe(302);
      const location = new URL(reply.headers.get("location")!);
      expect(location.pathname).toBe(new URL(s.ctx.org.orgUrl).pathname.replace(/\/$/, "") + "/login/login.htm");
      const fromURI = new URL(location.searchParams.get("fromURI")!);
      expect(fromURI.href.startsWith(`${s.ctx.org.orgUrl}${server.base}/authorize?`)).toBe(true);
      // the spent sessionToken and the honoured prompt=login would send the user round again
      expect(fromURI.searchParams.get("sessionToken")).toBeNull();
      expect(fromURI.searchParams.get("prompt")).toBe("consent");

      const page = await anon(s.ctx, "GET", location.href);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`value="${s.user.profile.login}"`);
      const csrf = cookiesOf(page).edgeorg_csrf!.value;
      const signIn = await anon(s.ctx, "POST", location.href, new URLSearchParams({ _csrf: csrf, username: s.user.profile.login, password: PASSWORD }).toString(), {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: originOf(s.ctx),
        Cookie: `edgeorg_csrf=${csrf}`,
      });
      expect(signIn.status, signIn.text).toBe(302);
      expect(signIn.headers.get("location")).toBe(fromURI.href);
      const sid = cookiesOf(signIn).sid!.value;
      const resumed = await anon(s.ctx, "GET", fromURI.href, undefined, { Cookie: `sid=${sid}` });
      expect(redirected(resumed).values.code).toBeTruthy();
    });

    it("the sign-in page lets its form's redirects end at the app (CSP form-action), and only there", async () => {
      const s = await setup();
      const reply = await authorize(s, server, codeParams(s));
      const page = await anon(s.ctx, "GET", reply.headers.get("location")!);
      expect(page.headers.get("content-security-policy")).toContain("form-action 'self' https://app.example.com;");
      const plain = await anon(s.ctx, "GET", "/login/login.htm");
      expect(plain.headers.get("content-security-policy")).toContain("form-action 'self';");
    });

    it("fromURI resumes only an authorize request of this org: no open redirect", async () => {
      const s = await setup();
      const other = await setup();
      const targets = ["https://evil.example.com/oauth2/v1/authorize", `${other.ctx.org.orgUrl}${server.base}/authorize?client_id=x`, `${s.ctx.org.orgUrl}/api/v1/users`, "//evil.example.com/x"];
      for (const target of targets) {
        const page = await anon(s.ctx, "GET", `/login/login.htm?fromURI=${encodeURIComponent(target)}`);
        expect(page.text).not.toContain(encodeURIComponent(target));
        const csrf = cookiesOf(page).edgeorg_csrf!.value;
        const signIn = await anon(s.ctx, "POST", `/login/login.htm?fromURI=${encodeURIComponent(target)}`, new URLSearchParams({ _csrf: csrf, username: s.user.profile.login, password: PASSWORD }).toString(), {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: originOf(s.ctx),
          Cookie: `edgeorg_csrf=${csrf}`,
        });
        expect(signIn.headers.get("location"), target).toBe(`${s.ctx.org.orgUrl}/app/UserHome`);
      }
    });

    it("prompt=none without a session: login_required, in the response mode", async () => {
      const s = await setup();
      const { values } = redirected(await authorize(s, server, codeParams(s, { prompt: "none" })));
      expect(values).toEqual({ error: "login_required", error_description: "The client specified not to prompt, but the user is not logged in.", state: "st-1" });
    });

    it("a sid session: a code in the query with the state, Referrer-Policy no-referrer", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const reply = await authorize(s, server, codeParams(s, { prompt: "none" }), sid);
      const { url, values } = redirected(reply);
      expect(url.origin + url.pathname).toBe(REDIRECT);
      expect(Object.keys(values)).toEqual(["code", "state"]);
      expect(values.state).toBe("st-1");
      expect(values.code).toMatch(/^[A-Za-z0-9]{43}$/);
      expect(reply.headers.get("referrer-policy")).toBe("no-referrer");
      expect(reply.headers.get("cache-control")).toBe("no-store");
    });

    it("a sessionToken is redeemed once: creates the session and sets sid on this response", async () => {
      const s = await setup();
      const token = await sessionToken(s);
      const reply = await authorize(s, server, codeParams(s, { sessionToken: token }));
      expect(redirected(reply).values.code).toBeTruthy();
      const sid = cookiesOf(reply).sid;
      expect(sid?.raw).toContain("HttpOnly");
      const me = await anon(s.ctx, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid!.value}` });
      expect(me.body.userId).toBe(s.user.id);
      // spent: the next request goes to the sign-in page, or login_required with prompt=none
      const again = await authorize(s, server, codeParams(s, { sessionToken: token }));
      expect(again.headers.get("location")).toContain("/login/login.htm?fromURI=");
      const none = await authorize(s, server, codeParams(s, { sessionToken: token, prompt: "none" }));
      expect(redirected(none).values.error).toBe("login_required");
    });

    it("with a sid session a sessionToken is ignored (Classic), and stays unspent", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const token = await sessionToken(s);
      const reply = await authorize(s, server, codeParams(s, { sessionToken: token }), sid);
      expect(redirected(reply).values.code).toBeTruthy();
      expect(cookiesOf(reply).sid).toBeUndefined();
      expect(redirected(await authorize(s, server, codeParams(s, { sessionToken: token }))).values.code).toBeTruthy();
    });

    it("prompt=login sets the session aside; max_age exceeded counts as no session", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      expect((await authorize(s, server, codeParams(s, { prompt: "login" }), sid)).headers.get("location")).toContain("/login/login.htm?fromURI=");
      expect((await authorize(s, server, codeParams(s, { max_age: "0" }), sid)).headers.get("location")).toContain("/login/login.htm?fromURI=");
      expect(redirected(await authorize(s, server, codeParams(s, { max_age: "3600" }), sid)).values.code).toBeTruthy();
    });

    it("a user no longer ACTIVE has no session", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      expect((await s.ctx.req("POST", `/api/v1/users/${s.user.id}/lifecycle/suspend`)).status).toBe(200);
      expect(redirected(await authorize(s, server, codeParams(s, { prompt: "none" }), sid)).values.error).toBe("login_required");
    });

    it("a user not assigned to the app: access_denied", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      expect((await s.ctx.req("DELETE", `/api/v1/apps/${s.app.id}/users/${s.user.id}`)).status).toBe(204);
      const { values } = redirected(await authorize(s, server, codeParams(s), sid));
      expect(values).toEqual({ error: "access_denied", error_description: "User is not assigned to the client application.", state: "st-1" });
    });

    it("assignment through a group counts", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      await s.ctx.req("DELETE", `/api/v1/apps/${s.app.id}/users/${s.user.id}`);
      const group = (await s.ctx.req("POST", "/api/v1/groups", { profile: { name: "Dashboard users" } })).body;
      expect((await s.ctx.req("PUT", `/api/v1/groups/${group.id}/users/${s.user.id}`)).status).toBe(204);
      expect((await s.ctx.req("PUT", `/api/v1/apps/${s.app.id}/groups/${group.id}`, {})).status).toBe(200);
      expect(redirected(await authorize(s, server, codeParams(s), sid)).values.code).toBeTruthy();
    });
  });

  describe("response modes (§4.3)", () => {
    it("form_post: a page whose form posts the values to the redirect URI, a <noscript> button, a nonce'd script", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const reply = await authorize(s, server, codeParams(s, { response_mode: "form_post" }), sid);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("content-type")).toContain("text/html");
      expect(reply.text).toContain(`<form method="post" action="${REDIRECT}" id="form_post">`);
      expect(reply.text).toMatch(/<input type="hidden" name="code" value="[A-Za-z0-9]{43}"\/?>/);
      expect(reply.text).toMatch(/<input type="hidden" name="state" value="st-1"\/?>/);
      expect(reply.text).toMatch(/<noscript><button type="submit">Continue<\/button><\/noscript>/);
      const csp = reply.headers.get("content-security-policy")!;
      const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(csp)![1];
      expect(reply.text).toContain(`<script nonce="${nonce}">`);
      expect(csp).toContain("form-action https://app.example.com");
      expect(csp).toContain("frame-ancestors 'none'");
    });

    it("form_post escapes what it echoes", async () => {
      const s = await setup();
      const reply = await authorize(s, server, codeParams(s, { response_mode: "form_post", response_type: "token", state: "ok", nonce: undefined }));
      // the error description has quotes: attribute-escaped, never closing the value
      expect(reply.text).toContain('name="error_description" value="The &#39;nonce&#39; parameter is required');
      expect(reply.text).not.toContain("value=\"The 'nonce'");
    });

    it("okta_post_message: posts to the redirect URI's origin only, framed by that origin only", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const reply = await authorize(s, server, codeParams(s, { response_mode: "okta_post_message", prompt: "none" }), sid);
      expect(reply.status).toBe(200);
      expect(reply.text).toMatch(/var data=\{"code":"[A-Za-z0-9]{43}","state":"st-1"\};var origin="https:\/\/app.example.com";/);
      expect(reply.text).toContain("target.postMessage(data,origin)");
      expect(reply.text).not.toContain('"*"');
      expect(reply.headers.get("content-security-policy")).toContain("frame-ancestors https://app.example.com");
    });

    it("okta_post_message carries errors too, and nothing in them ends the script", async () => {
      const s = await setup();
      const reply = await authorize(s, server, codeParams(s, { response_mode: "okta_post_message", prompt: "none", state: "s-2" }));
      expect(reply.text).toContain('"error":"login_required"');
      expect(reply.text).toContain('"state":"s-2"');
      expect(reply.text.match(/<\/script>/g)!.length).toBe(1);
    });

    it("POST /authorize with a form works like GET", async () => {
      const s = await setup();
      const sid = await signedIn(s);
      const reply = await anon(s.ctx, "POST", `${server.base}/authorize`, new URLSearchParams(codeParams(s)).toString(), {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: `sid=${sid}`,
      });
      expect(redirected(reply).values.code).toBeTruthy();
    });
  });

  it("the sign-in page escapes a login_hint", async () => {
    const s = await setup();
    const reply = await authorize(s, server, codeParams(s, { login_hint: '"><script>alert(1)</script>' }));
    const page = await anon(s.ctx, "GET", reply.headers.get("location")!);
    expect(page.text).not.toContain("<script>alert(1)</script>");
    expect(page.text).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("discovery advertises the authorize endpoint, the seven response types and the four modes", async () => {
    const s: Setup = await setup();
    const discovery = server.kind === "org" ? "/.well-known/openid-configuration" : "/oauth2/default/.well-known/openid-configuration";
    const doc = (await anon(s.ctx, "GET", discovery)).body;
    expect(doc.authorization_endpoint).toBe(`${s.ctx.org.orgUrl}${server.base}/authorize`);
    expect(doc.response_types_supported).toEqual(["code", "token", "id_token", "code id_token", "code token", "id_token token", "code id_token token"]);
    expect(doc.response_modes_supported).toEqual(["query", "fragment", "form_post", "okta_post_message"]);
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "implicit"]));
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("PKCE S256 challenge is accepted", async () => {
    const s = await setup();
    const sid = await signedIn(s);
    const { challenge } = await pkce();
    expect(redirected(await authorize(s, server, codeParams(s, { code_challenge: challenge, code_challenge_method: "S256" }), sid)).values.code).toBeTruthy();
  });
});
