import { and, eq } from "drizzle-orm";
import { apps } from "../../apps/table";
import type { Db, Org } from "../../platform/context";
import { isTrustedOrigin } from "../origins/service";

/**
 * Where a page may send the browser next.
 *
 * fromURI (after sign-in): the org's own origin only — an open redirect on
 * the sign-in page would make phishing look like Okta.
 */
export function sameOriginTarget(org: Org, raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const target = new URL(raw, org.url + "/");
    return target.origin === new URL(org.url).origin && (target.protocol === "https:" || target.protocol === "http:") ? target.href : null;
  } catch {
    return null;
  }
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
  if (sameOriginTarget(org, raw)) return target.href;
  if (await isTrustedOrigin(db, org.id, target.origin, "REDIRECT")) return target.href;
  const rows = await db
    .select({ redirectUris: apps.redirectUris })
    .from(apps)
    .where(and(eq(apps.orgId, org.id), eq(apps.status, "ACTIVE")))
    .all();
  return rows.some((row) => row.redirectUris.includes(raw)) ? raw : null;
}
