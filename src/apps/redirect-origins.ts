import { and, eq } from "drizzle-orm";
import type { Db } from "../platform/context";
import { apps } from "./table";

/** scheme://host[:port] of a URI, or null when it has none (custom schemes of native apps). */
export function originOf(uri: string): string | null {
  try {
    const origin = new URL(uri).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/** Whether `origin` is the origin of one of these redirect URIs. */
export const isOriginOf = (origin: string, redirectUris: readonly string[]): boolean =>
  redirectUris.some((uri) => originOf(uri) === origin);

/**
 * Whether an ACTIVE app of the org redirects to this origin: Okta answers a
 * SPA's browser calls to the OAuth endpoints (CORS) from the origins its
 * apps' redirect URIs name, trusted origin or not (REFERENCE-SIGNIN §5.1).
 * The org's apps are read whole: an org holds few, and a preflight names no
 * client.
 */
export async function isRedirectUriOrigin(db: Db, orgId: string, origin: string): Promise<boolean> {
  const rows = await db
    .select({ redirectUris: apps.redirectUris })
    .from(apps)
    .where(and(eq(apps.orgId, orgId), eq(apps.status, "ACTIVE")))
    .all();
  return rows.some((row) => isOriginOf(origin, row.redirectUris));
}
