import { describe, expect, it } from "vitest";
import { openApiDocument, operationsOf } from "../../src/operator/openapi/document";
import { Landing } from "../../src/pages/landing";
import { ORIGIN, call, createOrg } from "../support/http";

const BROWSER = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

/** Every href/src of a page: all must stay on this origin (no CDN, works offline). */
function links(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
}

function expectPageHeaders(headers: Headers) {
  expect(headers.get("content-type")).toBe("text/html; charset=UTF-8");
  const csp = headers.get("content-security-policy")!;
  expect(csp).toContain("default-src 'none'");
  expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain("unsafe-inline");
  expect(headers.get("x-content-type-options")).toBe("nosniff");
}

describe("the landing page", () => {
  it("answers a browser at the org URL with what the org is, its URLs and where to go", async () => {
    const page = await call("GET", "/", { auth: null, headers: BROWSER });
    expect(page.status).toBe(200);
    expectPageHeaders(page.headers);
    expect(page.text.startsWith("<!doctype html>")).toBe(true);
    expect(page.text).toContain("An Okta-compatible org");
    for (const url of [ORIGIN, `${ORIGIN}/.well-known/openid-configuration`, `${ORIGIN}/oauth2/v1/keys`, `${ORIGIN}/api/v1`]) {
      expect(page.text).toContain(`<code>${url}</code>`);
    }
    expect(links(page.text)).toEqual(expect.arrayContaining([`${ORIGIN}/docs`, `${ORIGIN}/openapi.json`, `${ORIGIN}/_edgeorg/requests-view?org=default`]));
    expect(page.text).not.toContain("<script");
    for (const link of links(page.text)) expect(link.startsWith(`${ORIGIN}/`) || link.startsWith("#"), link).toBe(true);
  });

  it("keeps Okta's JSON 404 for API clients (application/json, */*, no Accept)", async () => {
    for (const accept of ["application/json", "*/*", undefined]) {
      const reply = await call("GET", "/", { auth: null, headers: accept ? { Accept: accept } : {} });
      expect(reply.status, String(accept)).toBe(404);
      expect(reply.headers.get("content-type")).toContain("application/json");
      expect(reply.body.errorCode).toBe("E0000008");
    }
  });

  it("shows another org its own URLs under /orgs/{slug}", async () => {
    const org = await createOrg();
    const page = await call("GET", "/", { auth: null, headers: BROWSER, orgUrl: org.orgUrl });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<code>${org.orgUrl}/oauth2/v1/keys</code>`);
    expect(links(page.text)).toContain(`${org.orgUrl}/docs`);
    expect(links(page.text)).toContain(`${ORIGIN}/_edgeorg/requests-view?org=${org.slug}`);
  });

  it("escapes what it echoes", async () => {
    const hostile = '"><script>alert(1)</script>';
    const html = String(await Landing({ org: { id: "00o1", slug: hostile, adminUserId: "00u1", publicClientAppAdmins: true, mode: "mock", url: `https://x.test/${hostile}` } }));
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;");
  });
});

describe("the docs page", () => {
  it("lists every operation of /openapi.json by tag, with what each needs, from the worker alone", async () => {
    const page = await call("GET", "/docs", { auth: null, headers: BROWSER });
    expect(page.status).toBe(200);
    expectPageHeaders(page.headers);
    const operations = operationsOf(openApiDocument());
    expect(page.text.match(/<tr id=/g)).toHaveLength(operations.length);
    for (const tag of ["User", "Group", "Application", "AuthorizationServer", "OrgAS", "CustomAS", "edgeorg operator API"]) {
      expect(page.text).toContain(`id="tag-${tag.replace(/[^A-Za-z0-9]+/g, "-")}"`);
    }
    expect(page.text).toMatch(/<code>\/api\/v1\/users\/\{id\}<\/code><\/td><td>[^<]*<\/td><td><span class="scope">okta\.users\.read<\/span>/);
    expect(page.text).toContain('<span class="scope operator">operator</span>');
    expect(page.text).not.toContain("<script");
    for (const link of links(page.text)) expect(link.startsWith(`${ORIGIN}/`) || link.startsWith("#"), link).toBe(true);
  });

  it("is served to any client, JSON or not (it is a page, not Okta's API)", async () => {
    const reply = await call("GET", "/docs", { auth: null });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toContain("text/html");
  });
});
