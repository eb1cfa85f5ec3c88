import { Hono } from "hono";
import { reencryptSigningKeys } from "../oauth/crypto/keys";
import type { AppEnv } from "../platform/context";
import { Errors, notFound, validationError } from "../platform/errors";
import { findUser } from "../users/service";
import { findUpstreamRow, forgetUpstream, readProxyInput, reencryptUpstream, upstreamRows, upstreamView } from "../proxy/config";
import type { AppContext } from "../platform/context";
import type { Provisioner } from "./provisioner";
import { createOrg, deleteOrg, findOrgBySlug, issueApiToken, listOrgs, putOrg, settingsOf, updateOrgSettings, type OrgRecord } from "./service";

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
    const body = objectBody(c);
    const proxy = await proxyInput(c, body);
    const created = await createOrg(c.var.db, provisioners, { slug: body.slug, ttlSeconds: body.ttlSeconds, settings: body.settings, proxy });
    const origin = new URL(c.req.url).origin;
    return c.json({ ...created, orgUrl: orgUrl(origin, created.slug), ...(await proxyView(c, created)) }, 201);
  });

  /** Get-or-create by slug (a CI job per branch): 201 with the API token when made, 200 without it when it existed. */
  operatorRoutes.put("/orgs/:slug", async (c) => {
    const body = objectBody(c);
    const proxy = await proxyInput(c, body);
    const { created, org } = await putOrg(c.var.db, provisioners, { slug: c.req.param("slug"), ttlSeconds: body.ttlSeconds, proxy });
    const origin = new URL(c.req.url).origin;
    const shown = { ...view(origin, org), ...(await proxyView(c, org)) };
    return created ? c.json({ ...shown, apiToken: org.apiToken }, 201) : c.json(shown, 200);
  });

  /** Changes an org's settings: `{"settings": {"publicClientAppAdmins": false}}`. */
  operatorRoutes.patch("/orgs/:slug", async (c) => {
    const org = await findOrgBySlug(c.var.db, c.req.param("slug"));
    if (!org) throw Errors.pathNotFound();
    const updated = await updateOrgSettings(c.var.db, org, objectBody(c).settings);
    return c.json({ ...view(new URL(c.req.url).origin, updated), ...(await proxyView(c, updated)) });
  });

  /**
   * Another SSWS token, shown once (the first one is shown only when the org
   * is made): of the org's super-admin, or, with `{userId}`, of that admin
   * user, acting with its roles.
   */
  operatorRoutes.post("/orgs/:slug/apiTokens", async (c) => {
    const org = await namedOrg(c);
    const body = objectBody(c);
    let owner: { id: string } | undefined;
    if (body.userId !== undefined) {
      if (typeof body.userId !== "string") throw validationError(["userId: Must be a string"]);
      owner = (await findUser(c.var.db, org.id, body.userId)) ?? undefined;
      if (!owner) throw notFound(body.userId, "User");
    }
    return c.json(await issueApiToken(c.var.db, org, body.name, owner), 201);
  });

  operatorRoutes.delete("/orgs/:slug", async (c) => {
    const org = await namedOrg(c);
    await deleteOrg(c.var.db, org);
    forgetUpstream(org.id);
    return c.body(null, 204);
  });

  /**
   * After KEY_ENCRYPTION_SECRET was rotated (the old value kept as
   * KEY_ENCRYPTION_SECRET_PREVIOUS): re-encrypts every org's signing keys with
   * the current secret, so the previous one can then be removed.
   */
  operatorRoutes.post("/keys/reencrypt", async (c) => {
    let reencrypted = 0;
    // Signing keys and, for proxy orgs, the upstream credential: everything kept under the secret.
    for (const org of await listOrgs(c.var.db)) {
      reencrypted += await reencryptSigningKeys(c.var.db, c.env, org.id);
      if (org.mode === "proxy") reencrypted += await reencryptUpstream(c.var.db, c.env, org.id);
    }
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
    settings: settingsOf(org),
    mode: org.mode,
  };
}

/**
 * `proxy` of the body (proxy/config.ts): validated in full before anything
 * is written, its credential encrypted into the org's creation batch.
 */
async function proxyInput(c: AppContext, body: Record<string, unknown>) {
  if (body.proxy === undefined) return undefined;
  const causes: string[] = [];
  const upstream = await readProxyInput(body.proxy, causes);
  if (!upstream) throw validationError(causes);
  return { rows: (org: { id: string }) => upstreamRows(c.var.db, c.env, org.id, upstream) };
}

/** A proxy org's upstream as the operator sees it (never its credential). */
async function proxyView(c: AppContext, org: { id: string; mode?: string }) {
  if (org.mode !== "proxy") return {};
  const row = await findUpstreamRow(c.var.db, org.id);
  return row ? { proxy: upstreamView(row) } : {};
}

function objectBody(c: { var: { body?: unknown } }): Record<string, unknown> {
  const body = c.var.body ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw Errors.malformedJson();
  return body as Record<string, unknown>;
}

/** An org other than the default, or 404: the default org is not managed here. */
async function namedOrg(c: { var: { db: AppEnv["Variables"]["db"] }; req: { param(name: "slug"): string } }) {
  const slug = c.req.param("slug");
  const org = slug === "default" ? null : await findOrgBySlug(c.var.db, slug);
  if (!org) throw Errors.pathNotFound();
  return org;
}
