import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsentPage } from "../../src/signin/pages/components";
import { launch, newPage, screenshot, type Browser } from "./support/browser";
import { createOrg, deleteOrg, sswsRequest, type NodeTestOrg } from "./support/org";

const PASSWORD = "Tr0ub4dor&3x";
let org: NodeTestOrg;
let browser: Browser;

const api = (method: string, path: string, body?: unknown) => sswsRequest(org, method, path, body);

let n = 0;
async function user(options: { password?: boolean; activate?: boolean } = {}) {
  n += 1;
  const login = `ada.${Date.now().toString(36)}${n}@example.com`;
  const body: Record<string, unknown> = { profile: { login, email: login, firstName: "Ada", lastName: "Lovelace" } };
  if (options.password !== false) body.credentials = { password: { value: PASSWORD } };
  const reply = await api("POST", `/api/v1/users?activate=${options.activate !== false}`, body);
  expect(reply.status).toBe(200);
  return reply.body as { id: string; profile: { login: string } };
}

beforeAll(async () => {
  org = await createOrg();
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (org) await deleteOrg(org.slug);
});

describe("a real browser on the hosted pages", () => {
  it("signs a user in through the sign-in page (fields found by autocomplete) and the sid cookie works on /sessions/me", async () => {
    const ada = await user();
    const page = await newPage(browser);
    await page.goto(`${org.orgUrl}/login/login.htm`);
    await screenshot(page, "sign-in");
    await page.fill('input[autocomplete="username"]', ada.profile.login);
    await page.fill('input[autocomplete="current-password"]', PASSWORD);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${org.orgUrl}/app/UserHome`);
    expect(await page.textContent("h1")).toContain("Ada");
    await screenshot(page, "signed-in");
    const me = await page.request.get(`${org.orgUrl}/api/v1/sessions/me`);
    expect(me.status()).toBe(200);
    const session = await me.json();
    expect(session.userId).toBe(ada.id);
    expect(session.status).toBe("ACTIVE");
    const cookies = await page.context().cookies();
    const sid = cookies.find((c) => c.name === "sid")!;
    expect(sid.httpOnly).toBe(true);
    expect(sid.sameSite).toBe("Lax");
    expect(sid.path).toBe(new URL(org.orgUrl).pathname);

    await page.click('button:has-text("Sign out")');
    await page.waitForURL(`${org.orgUrl}/login/signed-out`);
    await screenshot(page, "signed-out");
    expect((await page.request.get(`${org.orgUrl}/api/v1/sessions/me`)).status()).toBe(404);
    await page.context().close();
  });

  it("shows a failed sign-in on the page, the typed username escaped", async () => {
    const page = await newPage(browser);
    await page.goto(`${org.orgUrl}/login/login.htm`);
    await page.fill('input[autocomplete="username"]', '<script>alert("x")</script>@example.com');
    await page.fill('input[autocomplete="current-password"]', "wrong");
    await page.click('button[type="submit"]');
    await page.waitForSelector(".alert.error");
    expect(await page.textContent(".alert.error")).toContain("Unable to sign in");
    expect(await page.inputValue('input[autocomplete="username"]')).toBe('<script>alert("x")</script>@example.com');
    await screenshot(page, "sign-in-error");
    await page.context().close();
  });

  it("refuses a sign-in form posted without its CSRF cookie with a page, not a sign-in", async () => {
    const ada = await user();
    const page = await newPage(browser);
    await page.goto(`${org.orgUrl}/login/login.htm`);
    await page.context().clearCookies();
    await page.fill('input[autocomplete="username"]', ada.profile.login);
    await page.fill('input[autocomplete="current-password"]', PASSWORD);
    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click('button[type="submit"]')]);
    expect(refused.status()).toBe(403);
    expect(await page.textContent("h1")).toBe("Request refused");
    expect((await page.context().cookies()).find((c) => c.name === "sid")).toBeUndefined();
    await screenshot(page, "csrf-refused");
    await page.context().close();
  });

  it("shows the org's landing page at the org URL, and its API docs a click away", async () => {
    const page = await newPage(browser);
    const landing = await page.goto(`${org.orgUrl}/`);
    expect(landing!.status()).toBe(200);
    expect(await page.textContent("body")).toContain("An Okta-compatible org");
    await screenshot(page, "landing");
    await page.click('a.btn:has-text("API docs")');
    expect(await page.textContent("h1")).toBe("API reference");
    await screenshot(page, "docs");
    await page.context().close();
  });

  it("activates a new user at the Users API's activationUrl", async () => {
    const grace = await user({ password: false, activate: false });
    const activated = await api("POST", `/api/v1/users/${grace.id}/lifecycle/activate?sendEmail=false`);
    const page = await newPage(browser);
    await page.goto(activated.body.activationUrl);
    await screenshot(page, "activation");
    await page.fill("#newPassword", "Analytical-Engine1");
    await page.fill("#confirmPassword", "Analytical-Engine1");
    await page.click('button[type="submit"]');
    await page.waitForURL(`${org.orgUrl}/app/UserHome`);
    expect((await api("GET", `/api/v1/users/${grace.id}`)).body.status).toBe("ACTIVE");
    await page.context().close();
  });

  it("resets a password at the Users API's resetPasswordUrl", async () => {
    const ada = await user();
    const reset = await api("POST", `/api/v1/users/${ada.id}/lifecycle/reset_password?sendEmail=false`);
    const page = await newPage(browser);
    await page.goto(reset.body.resetPasswordUrl);
    await screenshot(page, "reset-password");
    await page.fill("#newPassword", "Difference-Engine2");
    await page.fill("#confirmPassword", "Difference-Engine2");
    await page.click('button[type="submit"]');
    await page.waitForURL(`${org.orgUrl}/app/UserHome`);
    await page.goto(reset.body.resetPasswordUrl);
    expect(await page.textContent("h1")).toContain("expired");
    await screenshot(page, "error");
    await page.context().close();
  });

  it("renders the consent page component", async () => {
    const page = await newPage(browser);
    const html = (
      <ConsentPage
        page={{ orgName: "edgeorg", csrfToken: "x".repeat(32) }}
        appName="Acme Dashboard"
        userLogin="ada@example.com"
        scopes={[
          { name: "openid", description: "Signs you in with your edgeorg account." },
          { name: "profile", description: "Your name, locale and time zone." },
          { name: "email", description: "Your email address." },
          { name: "offline_access", description: "Keeps you signed in to the app." },
        ]}
        action={`${org.orgUrl}/consent`}
      />
    ).toString();
    await page.setContent("<!doctype html>" + html);
    expect(await page.textContent("h1")).toContain("Acme Dashboard");
    await screenshot(page, "consent");
    await page.context().close();
  });
});
