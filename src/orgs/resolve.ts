import type { AppContext } from "../platform/context";
import { Errors } from "../platform/errors";
import { orgRouteOf } from "./route";
import { DEFAULT_ORG_SLUG, ensureDefaultOrg, findOrgBySlug } from "./service";

/**
 * Sets c.var.org: the default org at the root, another org under
 * /orgs/{slug}. The org URL is the request's origin plus that prefix;
 * ORG_URL pins the default org's URL (behind a proxy).
 */
export async function resolveOrg(c: AppContext): Promise<void> {
  const route = orgRouteOf(c.req.raw);
  const origin = new URL(route.originalUrl).origin;
  if (route.slug === null) {
    const org = await ensureDefaultOrg(c.var.db);
    const pinned = c.env.ORG_URL?.replace(/\/+$/, "");
    c.set("org", { id: org.id, slug: org.slug, adminUserId: org.adminUserId, publicClientAppAdmins: org.publicClientAppAdmins, url: pinned || origin });
    return;
  }
  const org = route.slug === DEFAULT_ORG_SLUG ? null : await findOrgBySlug(c.var.db, route.slug);
  if (!org) throw Errors.pathNotFound();
  c.set("org", {
    id: org.id,
    slug: org.slug,
    adminUserId: org.adminUserId,
    publicClientAppAdmins: org.publicClientAppAdmins,
    url: `${origin}/orgs/${encodeURIComponent(org.slug)}`,
  });
}
