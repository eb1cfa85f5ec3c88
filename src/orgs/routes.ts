import { Hono } from "hono";
import { reencryptSigningKeys } from "../oauth/keys";
import type { AppEnv } from "../platform/context";
import { Errors, notFound, validationError } from "../platform/errors";
import { findUser } from "../users/service";
import { apiTokenJson, issueApiToken } from "./api-tokens";
import { createOrg, deleteOrg, findOrgBySlug, listOrgs, settingsOf, updateOrgSettings, type OrgRecord } from "./service";

/**
 * The operator API (/_edgeorg): make, list and remove orgs. Authenticated by
 * the OPERATOR_TOKEN secret, not by any org's credentials.
 */
export const operatorRoutes = new Hono<AppEnv>();

const orgUrl = (origin: string, slug: string) => `${origin}/orgs/${slug}`;

function view(origin: string, org: OrgRecord) {
  return {
    id: org.id,
    slug: org.slug,
    orgUrl: org.slug === "default" ? origin : orgUrl(origin, org.slug),
    created: org.created,
    expiresAt: org.expiresAt,
    settings: settingsOf(org),
  };
}


operatorRoutes.get("/health", (c) => c.json({ status: "ok" }));

operatorRoutes.get("/orgs", async (c) => {
  const origin = new URL(c.req.url).origin;
  return c.json((await listOrgs(c.var.db)).map((org) => view(origin, org)));
});

operatorRoutes.post("/orgs", async (c) => {
  const body = (c.var.body ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || Array.isArray(body)) throw Errors.malformedJson();
  const created = await createOrg(c.var.db, { slug: body.slug, ttlSeconds: body.ttlSeconds, settings: body.settings });
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

/** Changes an org's settings: `{"settings": {"publicClientAppAdmins": false}}`. */
operatorRoutes.patch("/orgs/:slug", async (c) => {
  const org = await findOrgBySlug(c.var.db, c.req.param("slug"));
  if (!org) throw Errors.pathNotFound();
  const body = (c.var.body ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || Array.isArray(body)) throw Errors.malformedJson();
  const updated = await updateOrgSettings(c.var.db, org, body.settings);
  return c.json(view(new URL(c.req.url).origin, updated));
});

/**
 * An SSWS token for an admin user of the org, `{userId, name?}`: Okta makes
 * API tokens only in its admin console, so this stands in for it (tests, and
 * tokens of non-super admins). The token acts with that user's roles.
 */
operatorRoutes.post("/orgs/:slug/api-tokens", async (c) => {
  const org = await findOrgBySlug(c.var.db, c.req.param("slug"));
  if (!org) throw Errors.pathNotFound();
  const body = (c.var.body ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || Array.isArray(body)) throw Errors.malformedJson();
  const causes: string[] = [];
  if (typeof body.userId !== "string") causes.push("userId: The field is required");
  if (body.name !== undefined && (typeof body.name !== "string" || !body.name.trim() || body.name.length > 255)) {
    causes.push("name: Must be 1 to 255 characters");
  }
  if (causes.length) throw validationError(causes);
  const user = await findUser(c.var.db, org.id, body.userId as string);
  if (!user) throw notFound(String(body.userId), "User");
  const name = typeof body.name === "string" ? body.name : "edgeorg";
  const { row, token } = await issueApiToken(c.var.db, org.id, user.id, name);
  const origin = new URL(c.req.url).origin;
  const orgUrlOf = org.slug === "default" ? origin : orgUrl(origin, org.slug);
  return c.json({ ...apiTokenJson(orgUrlOf, row), token }, 201);
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
