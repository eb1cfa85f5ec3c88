import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { AppContext } from "../../platform/context";
import { readForm } from "../../platform/body";
import { randomBase62 } from "../../platform/ids";
import { cookiePath } from "../sessions";

/**
 * Two locks on every form post of the pages:
 * 1. Hono's csrf middleware: the browser's Origin (or Sec-Fetch-Site:
 *    same-origin) must be the org's own origin;
 * 2. double submit: the form's `_csrf` field must equal the `edgeorg_csrf`
 *    cookie, set when the form was served — for the user agents that send
 *    neither Origin nor Sec-Fetch-Site, a cross-site page cannot read the
 *    cookie to copy it into its form.
 */
export const CSRF_COOKIE = "edgeorg_csrf";

export class CsrfRefused extends Error {}

const originCheck = csrf({ origin: (origin, c) => origin === new URL((c as AppContext).var.org.url).origin });

/** Refuses a cross-origin form post (Hono's check, its 403 turned into our page). */
async function assertSameOrigin(c: AppContext): Promise<void> {
  try {
    await originCheck(c, async () => {});
  } catch (error) {
    if (error instanceof HTTPException) throw new CsrfRefused("cross-origin form post");
    throw error;
  }
}

function cookieValue(c: AppContext): string | null {
  for (const part of (c.req.header("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === CSRF_COOKIE) {
      const value = part.slice(eq + 1).trim();
      if (/^[0-9A-Za-z]{32}$/.test(value)) return value;
    }
  }
  return null;
}

/** The token for the forms of this response; a new one is set as a cookie when the browser has none. */
export function csrfToken(c: AppContext): string {
  const existing = cookieValue(c);
  if (existing) return existing;
  const token = randomBase62(32);
  const secure = new URL(c.var.org.url).protocol === "https:" ? "; Secure" : "";
  c.header("Set-Cookie", `${CSRF_COOKIE}=${token}; Path=${cookiePath(c.var.org)}; HttpOnly; SameSite=Strict${secure}`, { append: true });
  return token;
}

/**
 * The posted form of a page, once both locks held. Every page's POST handler
 * starts with it (a middleware on "*" would also stand in front of the OAuth
 * endpoints' form posts, which are not the pages').
 */
export async function readCheckedForm(c: AppContext): Promise<URLSearchParams> {
  await assertSameOrigin(c);
  const form = await readForm(c.req.raw);
  const expected = cookieValue(c);
  const given = form.get("_csrf") ?? "";
  let diff = expected && given.length === expected.length ? 0 : 1;
  for (let i = 0; expected && i < Math.min(given.length, expected.length); i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  if (diff !== 0) throw new CsrfRefused("missing or wrong CSRF token");
  return form;
}
