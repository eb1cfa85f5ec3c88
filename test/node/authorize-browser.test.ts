import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, newPage, screenshot, type Browser } from "./support/browser";
import { createOrg, defaultOrg, deleteOrg, sswsRequest, type NodeTestOrg } from "./support/org";
import { activeUser, assignedApp, PASSWORD, sessionTokenOf } from "./support/signin-app";

/**
 * A real browser through /authorize: the app's redirect URI is a tiny local
 * http server (it records what reaches it), the user signs in on the hosted
 * page found by its autocomplete fields, and the session then carries a
 * prompt=none request. Screenshots of the consent, form_post,
 * okta_post_message and error pages go to test-output/screenshots/.
 */
let org: NodeTestOrg;
let browser: Browser;
let app: Server;
let appOrigin: string;
const received: { method: string; url: string; body: string }[] = [];

beforeAll(async () => {
  app = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ method: req.method!, url: req.url!, body });
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end("<!doctype html><title>Acme</title><h1>Back at the app</h1>");
    });
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  org = await createOrg();
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => app?.close(resolve));
  if (org) await deleteOrg(org.slug);
});

function authorizeUrl(base: string, clientId: string, extra: Record<string, string> = {}) {
  const url = new URL(`${base}/v1/authorize`);
  const params = { client_id: clientId, response_type: "code", scope: "openid profile", redirect_uri: `${appOrigin}/callback`, state: "st-browser", nonce: "n-browser", ...extra };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

describe("a real browser through /authorize", () => {
  it("signs in on the hosted page, lands on the redirect URI with a code; a second authorize with prompt=none rides the session", async () => {
    const user = await activeUser(org);
    const web = await assignedApp(org, user.id, { redirectUris: [`${appOrigin}/callback`] });
    const page = await newPage(browser);
    await page.goto(authorizeUrl(`${org.orgUrl}/oauth2`, web.clientId, { login_hint: user.profile.login }));
    expect(page.url()).toContain("/login/login.htm?fromURI=");
    expect(await page.inputValue('input[autocomplete="username"]')).toBe(user.profile.login);
    await page.fill('input[autocomplete="current-password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${appOrigin}/callback?**`);
    const landed = new URL(page.url());
    expect(landed.searchParams.get("code")).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(landed.searchParams.get("state")).toBe("st-browser");

    await page.goto(authorizeUrl(`${org.orgUrl}/oauth2/default`, web.clientId, { prompt: "none", state: "st-again" }));
    await page.waitForURL(`${appOrigin}/callback?**`);
    const again = new URL(page.url());
    expect(again.searchParams.get("code")).toBeTruthy();
    expect(again.searchParams.get("state")).toBe("st-again");
    await page.context().close();
  });

  it("asks for consent on a page that looks like a product, and form_post works without JavaScript", async () => {
    const user = await activeUser(org);
    const web = await assignedApp(org, user.id, { redirectUris: [`${appOrigin}/callback`] });
    expect((await sswsRequest(org, "PUT", `/api/v1/apps/${web.id}`, await consentRequiredBody(web.id))).status).toBe(200);
    for (const scope of [
      { name: "orders:read", displayName: "Read your orders", description: "See the orders you placed and their status.", consent: "REQUIRED" },
      { name: "orders:history", displayName: "Your order history", description: "Past orders, kept for two years.", consent: "FLEXIBLE", optional: true },
    ]) {
      const created = await sswsRequest(org, "POST", "/api/v1/authorizationServers/default/scopes", scope);
      expect([201, 400]).toContain(created.status);
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US", javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(authorizeUrl(`${org.orgUrl}/oauth2/default`, web.clientId, { scope: "openid orders:read orders:history", response_mode: "form_post" }));
    await page.fill('input[autocomplete="username"]', user.profile.login);
    await page.fill('input[autocomplete="current-password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForSelector("text=would like to:");
    expect(await page.textContent("h1")).toContain("Acme Dashboard");
    expect(await page.isChecked('input[name="optional_scope"][value="orders:history"]')).toBe(true);
    await screenshot(page, "authorize-consent");

    await page.click('button[value="allow"]');
    await page.waitForSelector("text=Signing you in");
    await screenshot(page, "form-post");
    await page.click('button:has-text("Continue")');
    await page.waitForURL(`${appOrigin}/callback`);
    const posted = new URLSearchParams(received.at(-1)!.body);
    expect(received.at(-1)!.method).toBe("POST");
    expect(posted.get("code")).toBeTruthy();
    expect(posted.get("state")).toBe("st-browser");
    await context.close();
  });
});

describe("the pages /authorize and /logout show instead of redirecting", () => {
  it("an unknown client_id, or a redirect_uri the app does not list: a 400 page, the browser stays put", async () => {
    const user = await activeUser(org);
    const web = await assignedApp(org, user.id, { redirectUris: [`${appOrigin}/callback`] });
    const page = await newPage(browser);
    const unknown = await page.goto(authorizeUrl(`${org.orgUrl}/oauth2/default`, "0oaNoSuchClient"));
    expect(unknown!.status()).toBe(400);
    expect(await page.textContent("h1")).toBe("400 Bad Request");
    // the pages carry a doctype: laid out in standards mode, not quirks mode
    expect(await page.evaluate(() => document.compatMode)).toBe("CSS1Compat");
    expect(await page.textContent("main")).toContain("Invalid value for 'client_id' parameter.");
    await screenshot(page, "authorize-error-client-id");

    const elsewhere = await page.goto(authorizeUrl(`${org.orgUrl}/oauth2/default`, web.clientId, { redirect_uri: "https://evil.example.com/callback" }));
    expect(elsewhere!.status()).toBe(400);
    expect(await page.textContent("main")).toContain("The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.");
    expect(page.url()).toContain("/oauth2/default/v1/authorize?");
    await screenshot(page, "authorize-error-redirect-uri");
    await page.context().close();
  });

  it("/logout with an id_token_hint that is not this server's ID token: the sign-out refused page", async () => {
    const page = await newPage(browser);
    const refused = await page.goto(`${org.orgUrl}/oauth2/default/v1/logout?id_token_hint=not.a.token&post_logout_redirect_uri=${encodeURIComponent(`${appOrigin}/bye`)}`);
    expect(refused!.status()).toBe(400);
    expect(await page.textContent("h1")).toBe("Sign-out refused");
    expect(await page.textContent("main")).toContain("The 'id_token_hint' parameter is not a valid ID token of this authorization server.");
    await screenshot(page, "logout-error");
    await page.context().close();
  });

  it("response_mode=okta_post_message in a popup: the page posts the code and state to its opener, at the app's origin only", async () => {
    const user = await activeUser(org);
    const web = await assignedApp(org, user.id, { redirectUris: [`${appOrigin}/callback`] });
    const sessionToken = await sessionTokenOf(org.orgUrl, user.profile.login);
    const page = await newPage(browser);
    await page.goto(`${appOrigin}/opener`);
    await page.evaluate(() => {
      (window as any).received = new Promise((resolve) => window.addEventListener("message", (e) => resolve({ origin: e.origin, data: e.data }), { once: true }));
    });
    const url = authorizeUrl(`${org.orgUrl}/oauth2/default`, web.clientId, { response_mode: "okta_post_message", sessionToken, state: "st-popup" });
    const [popup] = await Promise.all([page.waitForEvent("popup"), page.evaluate((href) => void window.open(href, "signin", "width=500,height=600"), url)]);
    const message = (await page.evaluate(() => (window as any).received)) as { origin: string; data: Record<string, string> };
    expect(message.origin).toBe(new URL(org.orgUrl).origin);
    expect(message.data.code).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(message.data.state).toBe("st-popup");
    await popup.waitForLoadState();
    // a popup shows what is happening until the app closes it (a hidden iframe shows nothing anyway)
    expect(await popup.textContent("h1")).toBe("Signing you in…");
    await screenshot(popup, "okta-post-message");
    await page.context().close();
  });
});

describe("@okta/okta-auth-js loaded into a page", () => {
  it("token.getWithoutPrompt({ sessionToken }): okta_post_message in a hidden iframe, then the PKCE code exchange (CORS on /token)", async () => {
    // The default org: okta-auth-js takes everything before /oauth2/ of the issuer for the origin the
    // iframe's message must come from, which only holds for an org at the root of its host.
    const root = defaultOrg();
    const user = await activeUser(root);
    const spa = await assignedApp(root, user.id, { spa: true, redirectUris: [`${appOrigin}/spa/callback`] });
    const sessionToken = await sessionTokenOf(root.orgUrl, user.profile.login);
    const page = await newPage(browser);
    await page.goto(`${appOrigin}/spa`);
    await page.addScriptTag({ path: join(process.cwd(), "node_modules/@okta/okta-auth-js/dist/okta-auth-js.min.js") });
    const result = await page.evaluate(
      async ({ issuer, clientId, redirectUri, sessionToken }) => {
        const global = (window as any).OktaAuth;
        const OktaAuth = global.OktaAuth ?? global;
        // http on 127.0.0.1 is a secure context (PKCE has WebCrypto); okta-auth-js itself insists on https unless told
        const auth = new OktaAuth({ issuer, clientId, redirectUri, pkce: true, testing: { disableHttpsCheck: true }, tokenManager: { storage: "memory" } });
        const response = await auth.token.getWithoutPrompt({ sessionToken, scopes: ["openid", "profile", "email"] });
        return {
          sub: response.tokens.idToken?.claims.sub as string | undefined,
          email: response.tokens.idToken?.claims.email as string | undefined,
          accessToken: Boolean(response.tokens.accessToken?.accessToken),
        };
      },
      { issuer: `${root.orgUrl}/oauth2/default`, clientId: spa.clientId, redirectUri: `${appOrigin}/spa/callback`, sessionToken },
    );
    // The SPA has response_types [code] and no implicit grant: the tokens can only have come through the code exchange.
    expect(result).toEqual({ sub: user.id, email: user.profile.login, accessToken: true });
    await page.context().close();
  });
});

/** The app body again with consent_method REQUIRED (PUT replaces the settings). */
async function consentRequiredBody(appId: string) {
  const current = (await sswsRequest(org, "GET", `/api/v1/apps/${appId}`)).body;
  current.settings.oauthClient.consent_method = "REQUIRED";
  return current;
}
