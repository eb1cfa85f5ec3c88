import { Hono } from "hono";
import { reencryptSigningKeys } from "../oauth/crypto/keys";
import type { AppEnv } from "../platform/context";
import { Errors } from "../platform/errors";
import type { Provisioner } from "./provisioner";
import { createOrg, deleteOrg, findOrgBySlug, listOrgs, type OrgRecord } from "./service";

/**
 * The operator API (/_edgeorg): make, list and remove orgs. Authenticated by
 * the OPERATOR_TOKEN secret, not by any org's credentials. A new org gets
 * the rows of the provisioners composed in app.ts.
 */
export function operatorRoutes(provisioners: readonly Provisioner[]): Hono<AppEnv> {
  const operatorRoutes = new Hono<AppEnv>();

  operatorRoutes.get("/health", (c) => c.json({ status: "ok" }));

  operatorRoutes.get("/orgs", async (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json((await listOrgs(c.var.db)).map((org) => view(origin, org)));
  });

  operatorRoutes.post("/orgs", async (c) => {
    const body = (c.var.body ?? {}) as Record<string, unknown>;
    if (typeof body !== "object" || Array.isArray(body)) throw Errors.malformedJson();
    const created = await createOrg(c.var.db, provisioners, { slug: body.slug, ttlSeconds: body.ttlSeconds });
    const origin = new URL(c.req.url).origin;
    return c.json({ ...created, orgUrl: orgUrl(origin, created.slug) }, 201);
  });

  operatorRoutes.delete("/orgs/:slug", async (c) => {
    const slug = c.req.param("slug");
    const org = slug === "default" ? null : await findOrgBySlug(c.var.db, slug);
    if (!org) throw Errors.pathNotFound();
    await deleteOrg(c.var.db, org);
    return c.body(null, 204);
  });

  /**
   * After KEY_ENCRYPTION_SECRET was rotated (the old value kept as
   * KEY_ENCRYPTION_SECRET_PREVIOUS): re-encrypts every org's signing keys with
   * the current secret, so the previous one can then be removed.
   */
  operatorRoutes.post("/keys/reencrypt", async (c) => {
    let reencrypted = 0;
    for (const org of await listOrgs(c.var.db)) reencrypted += await reencryptSigningKeys(c.var.db, c.env, org.id);
    return c.json({ reencrypted });
  });
  return operatorRoutes;
}

const orgUrl = (origin: string, slug: string) => `${origin}/orgs/${slug}`;

function view(origin: string, org: OrgRecord) {
  return {
    id: org.id,
    slug: org.slug,
    orgUrl: org.slug === "default" ? origin : orgUrl(origin, org.slug),
    created: org.created,
    expiresAt: org.expiresAt,
  };
}
