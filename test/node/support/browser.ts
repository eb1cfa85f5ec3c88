/**
 * A headless Chromium for the Node-side suite, on any machine:
 * - a local Chromium or Chrome when there is one (EDGEORG_CHROMIUM, then the usual paths);
 * - else the Chromium that the `@sparticuz/chromium` npm package ships (brotli-packed in the
 *   package, unpacked to the temp dir on first use), so `npm test` needs no browser installed.
 * Driven by playwright-core (no browser download of its own).
 *
 * API for every page test (sign-in here; landing and docs pages later):
 *   const browser = await launch();
 *   const page = await newPage(browser);
 *   await page.goto(url); …
 *   await screenshot(page, "sign-in");      // test-output/screenshots/sign-in.png (git-ignored)
 *   await browser.close();
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export type { Browser, Page };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const SCREENSHOT_DIR = join(ROOT, "test-output", "screenshots");

const LOCAL_BROWSERS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/**
 * The machine's network is closed: every background connection Chromium would
 * open (updates, sync, field trials, QUIC probes) is switched off so that
 * nothing waits on it. Playwright adds --headless and a fresh temporary
 * --user-data-dir of its own for every launch.
 */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Which Chromium to run, and where it came from. */
export async function findChromium(): Promise<{ executablePath: string; source: "env" | "local" | "npm" }> {
  const fromEnv = process.env.EDGEORG_CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return { executablePath: fromEnv, source: "env" };
  const local = LOCAL_BROWSERS.find((path) => existsSync(path));
  if (local) return { executablePath: local, source: "local" };
  const { default: packaged } = await import("@sparticuz/chromium");
  return { executablePath: await packaged.executablePath(), source: "npm" };
}

export async function launch(): Promise<Browser> {
  const { executablePath } = await findChromium();
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

/** A page in its own context (own cookies), sized like a laptop screen. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  return context.newPage();
}

/** Saves a full-page PNG under test-output/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
