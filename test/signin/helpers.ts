import { expect } from "vitest";
import { call, type Reply } from "../support/http";
import { PASSWORD, createUser, profile, type Ctx } from "../users/helpers";

export { PASSWORD };

/** An ACTIVE user with the test password. */
export async function activeUser(ctx: Ctx, extra: Record<string, unknown> = {}) {
  return createUser(ctx, { profile: profile(extra), credentials: { password: { value: PASSWORD } } });
}

/** Anonymous JSON call to the org (no Authorization header). */
export function anon<T = any>(ctx: Ctx, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  return call<T>(method, path, { auth: null, orgUrl: ctx.org.orgUrl, body, headers, redirect: "manual" });
}

export async function authn(ctx: Ctx, username: string, password = PASSWORD) {
  return anon(ctx, "POST", "/api/v1/authn", { username, password });
}

/** The org's origin (scheme://host), what a same-origin browser sends as Origin. */
export const originOf = (ctx: Ctx) => new URL(ctx.org.orgUrl).origin;

/** The `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(reply: Reply): Record<string, { value: string; raw: string }> {
  const out: Record<string, { value: string; raw: string }> = {};
  for (const raw of reply.headers.getSetCookie()) {
    const [pair] = raw.split(";");
    const eq = pair!.indexOf("=");
    out[pair!.slice(0, eq)] = { value: pair!.slice(eq + 1), raw };
  }
  return out;
}

/** A browser-like page session: keeps the CSRF cookie and posts forms with the org's Origin. */
export async function browserSignIn(ctx: Ctx, username: string, password = PASSWORD) {
  const page = await anon(ctx, "GET", "/login/login.htm");
  expect(page.status).toBe(200);
  const csrf = cookiesOf(page).edgeorg_csrf!.value;
  const form = new URLSearchParams({ _csrf: csrf, username, password });
  const reply = await anon(ctx, "POST", "/login/login.htm", form.toString(), {
    "Content-Type": "application/x-www-form-urlencoded",
    Origin: originOf(ctx),
    Cookie: `edgeorg_csrf=${csrf}`,
  });
  return { reply, csrf, sid: cookiesOf(reply).sid?.value };
}
