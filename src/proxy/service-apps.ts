import { Hono } from "hono";
import { createApp, createGrant, isOktaScope } from "../apps/service";
import { clientJson, readClientRequest } from "../clients/schema";
import { findOrgBySlug } from "../orgs/service";
import type { AppEnv } from "../platform/context";
import { Errors, validationError } from "../platform/errors";

/**
 * Gateway mode's callers: service apps of the proxy org, made by the
 * operator in one call — the app (client_credentials, private_key_jwt, its
 * public `jwks`) and its `okta.*` grants. A proxy org forwards
 * `/api/v1/apps/**` to its upstream, so its own apps' grants cannot be made
 * through that API; the app is still a client of the proxy org's registry
 * (`/oauth2/v1/clients`, served at the edge). Body:
 *   {"client_name": "…", "jwks": {"keys": [<public JWK>]}, "scopes": ["okta.users.read", …]}
 * Answer: the client as `/oauth2/v1/clients` shows it, with its `scopes`.
 */
export const serviceAppRoutes = new Hono<AppEnv>();

serviceAppRoutes.post("/orgs/:slug/serviceApps", async (c) => {
  const slug = c.req.param("slug");
  const org = slug === "default" ? null : await findOrgBySlug(c.var.db, slug);
  if (!org) throw Errors.pathNotFound();
  const body = (c.var.body ?? {}) as Record<string, unknown>;
  if (typeof body !== "object" || Array.isArray(body)) throw Errors.malformedJson();
  const scopes = body.scopes;
  if (!Array.isArray(scopes) || !scopes.length || !scopes.every((s) => typeof s === "string" && isOktaScope(s))) {
    throw validationError(["scopes: Must be a non-empty list of okta.* scopes"]);
  }
  const settings = await readClientRequest({
    client_name: body.client_name ?? "proxy service app",
    application_type: "service",
    grant_types: ["client_credentials"],
    response_types: ["token"],
    token_endpoint_auth_method: "private_key_jwt",
    jwks: body.jwks,
  });
  const { app } = await createApp(c.var.db, org.id, { settings, active: true });
  const issuer = `${new URL(c.req.url).origin}/orgs/${org.slug}`;
  for (const scopeId of new Set(scopes as string[])) {
    await createGrant(c.var.db, app, { scopeId, issuer, createdBy: { id: org.adminUserId, type: "User" }, publicClientAppAdmins: org.publicClientAppAdmins });
  }
  return c.json({ ...clientJson(app), scopes: [...new Set(scopes)] }, 201);
});
