import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch, newPage, screenshot, type Browser } from "./support/browser";
import { createOrg, deleteOrg, sswsRequest, type NodeTestOrg } from "./support/org";

// The pages a browser sees when it opens an org URL (issue 16 item 4, 7): landing, docs, request log.
let org: NodeTestOrg;
let browser: Browser;

beforeAll(async () => {
  org = await createOrg();
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (org) await deleteOrg(org.slug);
});

describe("a real browser on the org's own pages", () => {
  it("opens the org URL on the landing page and follows its links to the docs and the sign-in page", async () => {
    const page = await newPage(browser);
    const landing = await page.goto(org.orgUrl);
    expect(landing?.status()).toBe(200);
    expect(await page.textContent("h1")).toBe("An Okta-compatible org");
    expect(await page.textContent("body")).toContain(`${org.orgUrl}/oauth2/v1/keys`);
    await screenshot(page, "landing");

    await page.click(`a[href="${org.orgUrl}/docs"]`);
    await page.waitForURL(`${org.orgUrl}/docs`);
    expect(await page.textContent("h1")).toBe("API reference");
    // The docs list the served operations with the scope the route table requires.
    expect(await page.textContent("body")).toContain("okta.users.read");
    await screenshot(page, "docs");

    await page.goto(org.orgUrl);
    await page.click(`a[href="${org.orgUrl}/login/login.htm"]`);
    await page.waitForURL(`${org.orgUrl}/login/login.htm`);
    expect(await page.locator('input[autocomplete="username"]').count()).toBe(1);
    await page.context().close();
  });

  it("shows the org's request log to the operator (HTTP Basic), never a token", async () => {
    const listed = await sswsRequest(org, "GET", "/api/v1/users?limit=1");
    expect(listed.status).toBe(200);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      httpCredentials: { username: "operator", password: inject("operatorToken") },
    });
    const page = await context.newPage();
    const origin = new URL(org.orgUrl).origin;
    const view = await page.goto(`${origin}/_edgeorg/requests-view?org=${org.slug}`);
    expect(view?.status()).toBe(200);
    const text = (await page.textContent("body")) ?? "";
    expect(text).toContain("/api/v1/users");
    expect(text).not.toContain(org.apiToken);
    await screenshot(page, "request-log");
    await context.close();
  });

  it("refuses the request log without the operator token", async () => {
    const page = await newPage(browser);
    const origin = new URL(org.orgUrl).origin;
    const view = await page.goto(`${origin}/_edgeorg/requests-view?org=${org.slug}`);
    expect(view?.status()).toBe(401);
    await page.context().close();
  });
});
