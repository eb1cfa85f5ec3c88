import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { anon, cookiesOf, originOf } from "../../signin/helpers";
import { authorize, codeParams, redirected, REDIRECT, SERVERS, setup, signedIn, type Setup } from "./helpers";

const db = () => drizzle(env.DB, { schema });
const [ORG, CUSTOM] = SERVERS;

async function addScope(s: Setup, body: Record<string, unknown>) {
  const reply = await s.ctx.req("POST", "/api/v1/authorizationServers/default/scopes", body);
  expect(reply.status, reply.text).toBe(201);
}

/** An app with consent_method REQUIRED and a REQUIRED scope `orders:read` on the default server. */
async function consentSetup(consentMethod = "REQUIRED") {
  const s = await setup({ consent_method: consentMethod });
  expect(s.app.settings.oauthClient.consent_method).toBe(consentMethod);
  await addScope(s, { name: "orders:read", displayName: "Read your orders", description: "See the orders you placed.", consent: "REQUIRED" });
  await addScope(s, { name: "orders:history", description: "Your order history.", consent: "FLEXIBLE", optional: true });
  await addScope(s, { name: "catalog", consent: "IMPLICIT" });
  return { s, sid: await signedIn(s) };
}

/** Posts the consent page's form back the way the browser would. */
async function answer(s: Setup, sid: string, page: { text: string; headers: Headers }, consent: "allow" | "deny", untick: string[] = []) {
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, "&");
  const form = new URLSearchParams();
  for (const m of page.text.matchAll(/<input type="(hidden|checkbox)" name="([^"]+)" value="([^"]*)"/g)) {
    if (m[1] === "checkbox" && untick.includes(m[3]!)) continue;
    form.append(m[2]!, m[3]!.replace(/&amp;/g, "&").replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
  }
  form.set("consent", consent);
  const csrf = form.get("_csrf")!;
  return anon(s.ctx, "POST", action, form.toString(), {
    "Content-Type": "application/x-www-form-urlencoded",
    Origin: originOf(s.ctx),
    Cookie: `sid=${sid}; edgeorg_csrf=${csrf}`,
  });
}

const grantsOf = (s: Setup) =>
  db().select().from(schema.userConsentGrants).where(and(eq(schema.userConsentGrants.orgId, s.ctx.org.id), eq(schema.userConsentGrants.userId, s.user.id))).all();

const codeScopes = async (s: Setup) => (await db().select().from(schema.oauthAuthorizationCodes).where(eq(schema.oauthAuthorizationCodes.orgId, s.ctx.org.id)).all()).map((r) => r.scopes);

describe("consent (§4.6)", () => {
  it("consent_method REQUIRED × REQUIRED scope: the consent page, CSRF-protected, carrying the request", async () => {
    const { s, sid } = await consentSetup();
    const page = await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read catalog" }), sid);
    expect(page.status, page.text).toBe(200);
    expect(page.text).toContain("Acme Dashboard would like to:");
    expect(page.text).toContain("Read your orders");
    expect(page.text).toContain("See the orders you placed.");
    expect(page.text).not.toContain(">catalog<");
    expect(page.text).toContain(`action="${s.ctx.org.orgUrl}/oauth2/default/v1/authorize/consent"`);
    expect(page.text).toMatch(/name="_csrf" value="[A-Za-z0-9]{32}"/);
    expect(page.text).toContain(`name="redirect_uri" value="${REDIRECT}"`);
    // the answer is redirected to the app: form-action must allow its origin
    expect(page.headers.get("content-security-policy")).toContain("form-action 'self' https://app.example.com;");
    expect(cookiesOf(page).edgeorg_csrf).toBeDefined();
  });

  it("allow: the grant is stored per user × client × server × scope (END_USER) and not asked again", async () => {
    const { s, sid } = await consentSetup();
    const params = codeParams(s, { scope: "openid orders:read" });
    const page = await authorize(s, CUSTOM, params, sid);
    const allowed = await answer(s, sid, page, "allow");
    expect(redirected(allowed).values.code).toBeTruthy();
    const grants = await grantsOf(s);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ clientId: s.clientId, authServerId: "default", scopeId: "orders:read", source: "END_USER", status: "ACTIVE", issuer: `${s.ctx.org.orgUrl}/oauth2/default` });
    expect(redirected(await authorize(s, CUSTOM, params, sid)).values.code).toBeTruthy();
    // prompt=none is fine now
    expect(redirected(await authorize(s, CUSTOM, { ...params, prompt: "none" }, sid)).values.code).toBeTruthy();
    // prompt=consent asks again
    const again = await authorize(s, CUSTOM, { ...params, prompt: "consent" }, sid);
    expect(again.status).toBe(200);
    expect(redirected(await answer(s, sid, again, "allow")).values.code).toBeTruthy();
    expect(await grantsOf(s)).toHaveLength(1);
  });

  it("deny: access_denied at the redirect URI, nothing stored", async () => {
    const { s, sid } = await consentSetup();
    const page = await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read" }), sid);
    const denied = await answer(s, sid, page, "deny");
    expect(redirected(denied).values).toEqual({ error: "access_denied", error_description: "The resource owner or authorization server denied the request.", state: "st-1" });
    expect(await grantsOf(s)).toHaveLength(0);
  });

  it("prompt=none when consent is needed: consent_required naming the scopes", async () => {
    const { s, sid } = await consentSetup();
    const { values } = redirected(await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read orders:history", prompt: "none" }), sid));
    expect(values).toEqual({ error: "consent_required", error_description: "The following scopes require user consent: [orders:read, orders:history]", state: "st-1" });
  });

  it("an optional scope the user unticks is left out of the grant and of the code", async () => {
    const { s, sid } = await consentSetup();
    const page = await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read orders:history" }), sid);
    expect(page.text).toContain('type="checkbox" name="optional_scope" value="orders:history"');
    const allowed = await answer(s, sid, page, "allow", ["orders:history"]);
    expect(redirected(allowed).values.code).toBeTruthy();
    expect((await grantsOf(s)).map((g) => g.scopeId)).toEqual(["orders:read"]);
    expect(await codeScopes(s)).toEqual([["openid", "orders:read"]]);
  });

  it("consent_method TRUSTED asks only with prompt=consent, and never for IMPLICIT scopes", async () => {
    const { s, sid } = await consentSetup("TRUSTED");
    expect(redirected(await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read" }), sid)).values.code).toBeTruthy();
    expect((await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read", prompt: "consent" }), sid)).status).toBe(200);
    expect(redirected(await authorize(s, CUSTOM, codeParams(s, { scope: "openid catalog", prompt: "consent" }), sid)).values.code).toBeTruthy();
  });

  it("the org server never shows a consent page", async () => {
    const { s, sid } = await consentSetup();
    expect(redirected(await authorize(s, ORG, codeParams(s, { scope: "openid", prompt: "consent" }), sid)).values.code).toBeTruthy();
  });

  it("a consent post without the CSRF cookie, or from another origin, is refused with a page", async () => {
    const { s, sid } = await consentSetup();
    const page = await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read" }), sid);
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1]!;
    const body = new URLSearchParams({ ...codeParams(s, { scope: "openid orders:read" }), consent: "allow", _csrf: "x".repeat(32) }).toString();
    const noCookie = await anon(s.ctx, "POST", action, body, { "Content-Type": "application/x-www-form-urlencoded", Origin: originOf(s.ctx), Cookie: `sid=${sid}` });
    expect(noCookie.status).toBe(403);
    expect(noCookie.text).toContain("Request refused");
    const crossSite = await anon(s.ctx, "POST", action, body, {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: "https://evil.example.com",
      Cookie: `sid=${sid}; edgeorg_csrf=${"x".repeat(32)}`,
    });
    expect(crossSite.status).toBe(403);
    expect(await grantsOf(s)).toHaveLength(0);
  });
});

describe("consents die in the batch that deletes what they name", () => {
  /** The user consented to orders:read and orders:history at the default server. */
  async function consented() {
    const { s, sid } = await consentSetup();
    const page = await authorize(s, CUSTOM, codeParams(s, { scope: "openid orders:read orders:history" }), sid);
    expect(redirected(await answer(s, sid, page, "allow")).values.code).toBeTruthy();
    expect((await grantsOf(s)).map((g) => g.scopeId).sort()).toEqual(["orders:history", "orders:read"]);
    return s;
  }
  const orgGrants = (s: Setup) => db().select().from(schema.userConsentGrants).where(eq(schema.userConsentGrants.orgId, s.ctx.org.id)).all();
  const ok = async (reply: Promise<{ status: number; text: string }>) => {
    const r = await reply;
    expect(r.status, r.text).toBeLessThan(300);
  };

  it("the user deleted: their consents go", async () => {
    const s = await consented();
    await ok(s.ctx.req("DELETE", `/api/v1/users/${s.user.id}`));
    expect(await grantsOf(s)).toHaveLength(2); // deactivated only: the consents stay
    await ok(s.ctx.req("DELETE", `/api/v1/users/${s.user.id}`));
    expect(await orgGrants(s)).toHaveLength(0);
  });

  it("the app deleted: the consents given to its client go", async () => {
    const s = await consented();
    await ok(s.ctx.req("POST", `/api/v1/apps/${s.app.id}/lifecycle/deactivate`));
    await ok(s.ctx.req("DELETE", `/api/v1/apps/${s.app.id}`));
    expect(await orgGrants(s)).toHaveLength(0);
  });

  it("a scope deleted: the consents to that scope go, the others stay", async () => {
    const s = await consented();
    const list = await s.ctx.req("GET", "/api/v1/authorizationServers/default/scopes");
    const history = (list.body as { id: string; name: string }[]).find((x) => x.name === "orders:history")!;
    await ok(s.ctx.req("DELETE", `/api/v1/authorizationServers/default/scopes/${history.id}`));
    expect((await grantsOf(s)).map((g) => g.scopeId)).toEqual(["orders:read"]);
  });

  it("the server deleted: every consent at it goes", async () => {
    const s = await consented();
    await ok(s.ctx.req("POST", "/api/v1/authorizationServers/default/lifecycle/deactivate"));
    await ok(s.ctx.req("DELETE", "/api/v1/authorizationServers/default"));
    expect(await orgGrants(s)).toHaveLength(0);
  });
});
