import { and, eq } from "drizzle-orm";
import { apps } from "../../apps/table";
import type { Db, Org } from "../../platform/context";
import { isTrustedOrigin } from "../origins/service";

/**
 * Where a page may send the browser next.
 */
export const SIGN_IN_PATH = "/login/login.htm";
export const HOME_PATH = "/app/UserHome";

/** An absolute http(s) URL inside this org (its origin and, for /orgs/{slug} orgs, its path), or null. */
export function orgUrlOf(org: Org, raw: string | null | undefined): URL | null {
  if (!raw) return null;
  try {
    const target = new URL(raw, org.url + "/");
    const base = new URL(org.url);
    const prefix = base.pathname.replace(/\/+$/, "");
    if (target.origin !== base.origin || (target.protocol !== "https:" && target.protocol !== "http:")) return null;
    if (prefix && target.pathname !== prefix && !target.pathname.startsWith(prefix + "/")) return null;
    return target;
  } catch {
    return null;
  }
}

/** The authorize endpoints of the org server and the custom servers, below the org's path. */
const AUTHORIZE_PATH = /^\/oauth2\/(?:[A-Za-z0-9_-]+\/)?v1\/authorize$/;

/**
 * fromURI (where sign-in resumes): only an authorize request of this org,
 * or the end-user home. Anything else — another org, another site, any
 * other path of ours — is dropped: an open redirect on the sign-in page
 * would make phishing look like Okta.
 */
export function resumeTarget(org: Org, raw: string | null | undefined): string | null {
  const target = orgUrlOf(org, raw);
  if (!target) return null;
  const path = target.pathname.slice(new URL(org.url).pathname.replace(/\/+$/, "").length);
  return AUTHORIZE_PATH.test(path) || path === HOME_PATH ? target.href : null;
}

/** Where a resumed authorize request will send the browser: its redirect_uri (checked by /authorize itself). */
export function resumeRedirectUris(fromURI: string | null): string[] {
  if (!fromURI) return [];
  const redirectUri = new URL(fromURI).searchParams.get("redirect_uri");
  return redirectUri ? [redirectUri] : [];
}

/** The sign-in page that resumes `fromURI` afterwards. */
export function signInUrl(org: Org, fromURI: string): string {
  return `${org.url}${SIGN_IN_PATH}?fromURI=${encodeURIComponent(fromURI)}`;
}

/**
 * redirectUrl of /login/sessionCookieRedirect (REFERENCE-SIGNIN §3.4, §10
 * decision): the org itself, an ACTIVE trusted origin with the REDIRECT
 * scope, or exactly one of an ACTIVE app's registered redirect URIs.
 */
export async function allowedRedirect(db: Db, org: Org, raw: string | undefined): Promise<string | null> {
  if (!raw) return null;
  let target: URL;
  try {
    target = new URL(raw);
  } catch {
    return null;
  }
  if (target.protocol !== "https:" && target.protocol !== "http:") return null;
  if (orgUrlOf(org, raw)) return target.href;
  if (await isTrustedOrigin(db, org.id, target.origin, "REDIRECT")) return target.href;
  const rows = await db
    .select({ redirectUris: apps.redirectUris })
    .from(apps)
    .where(and(eq(apps.orgId, org.id), eq(apps.status, "ACTIVE")))
    .all();
  return rows.some((row) => row.redirectUris.includes(raw)) ? raw : null;
}
