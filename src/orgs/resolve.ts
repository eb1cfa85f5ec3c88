import type { MiddlewareHandler } from "hono";
import type { AppContext, AppEnv } from "../platform/context";
import { Errors } from "../platform/errors";
import type { Provisioner } from "./provisioner";
import { orgRouteOf } from "./route";
import { DEFAULT_ORG_SLUG, ensureDefaultOrg, findOrgBySlug } from "./service";

/**
 * The access pipeline's org step: every matched route but the operator's
 * (which answer outside any org) gets its org on the context. The default
 * org is made on first need with the given provisioners.
 */
export function orgResolution(provisioners: readonly Provisioner[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const row = c.get("route");
    if (row && row.access.kind !== "operator") await resolveOrg(c, provisioners);
    return next();
  };
}

/**
 * Sets c.var.org: the default org at the root, another org under
 * /orgs/{slug}. The org URL is the request's origin plus that prefix;
 * ORG_URL pins the default org's URL (behind a proxy).
 */
export async function resolveOrg(c: AppContext, provisioners: readonly Provisioner[]): Promise<void> {
  const route = orgRouteOf(c.req.raw);
  const origin = new URL(route.originalUrl).origin;
  if (route.slug === null) {
    const org = await ensureDefaultOrg(c.var.db, provisioners);
    const pinned = c.env.ORG_URL?.replace(/\/+$/, "");
    c.set("org", { id: org.id, slug: org.slug, adminUserId: org.adminUserId, publicClientAppAdmins: org.publicClientAppAdmins, mode: org.mode, url: pinned || origin });
    return;
  }
  const org = route.slug === DEFAULT_ORG_SLUG ? null : await findOrgBySlug(c.var.db, route.slug);
  if (!org) throw Errors.pathNotFound();
  c.set("org", {
    id: org.id,
    slug: org.slug,
    adminUserId: org.adminUserId,
    publicClientAppAdmins: org.publicClientAppAdmins,
    mode: org.mode,
    url: `${origin}/orgs/${encodeURIComponent(org.slug)}`,
  });
}
