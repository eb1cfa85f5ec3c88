import { Hono } from "hono";
import { actingUserId } from "../access/actor";
import { OWN } from "../access/roles/permissions";
import type { AppContext, AppEnv } from "../platform/context";
import { Errors, notFound } from "../platform/errors";
import { apiTokenJson, findApiTokenById, listApiTokens, revokeApiToken } from "./api-tokens";

/**
 * /api/v1/api-tokens: the org's SSWS tokens (OpenAPI ApiToken). Okta makes
 * tokens only in its admin console; edgeorg's operator API stands in for it
 * (POST /_edgeorg/orgs/{slug}/apiTokens with a userId). An admin whose roles reach only
 * its own tokens sees and revokes only those.
 */
export const apiTokenRoutes = new Hono<AppEnv>();

/** The owner whose tokens the caller is limited to, or undefined for every token. */
function ownerLimit(c: AppContext, permission: "apiTokens.read" | "apiTokens.manage"): string | undefined {
  if (c.var.permissions?.reach.get(permission) !== OWN) return undefined;
  // A client_credentials token has no user, so owns no tokens.
  return actingUserId(c.var.actor) ?? "";
}

async function tokenOr404(c: AppContext, permission: "apiTokens.read" | "apiTokens.manage") {
  const id = c.req.param("apiTokenId")!;
  const row = await findApiTokenById(c.var.db, c.var.org.id, id);
  const owner = ownerLimit(c, permission);
  if (!row || (owner !== undefined && row.userId !== owner)) throw notFound(id, "ApiToken");
  return row;
}

apiTokenRoutes.get("/", async (c) => {
  const rows = await listApiTokens(c.var.db, c.var.org.id, ownerLimit(c, "apiTokens.read"));
  return c.json(rows.map((row) => apiTokenJson(c.var.org.url, row)));
});

apiTokenRoutes.delete("/current", async (c) => {
  const actor = c.var.actor;
  // Only an SSWS token is "current"; the default org's bootstrap token is configuration, not a row.
  if (actor.kind !== "admin" || !actor.tokenId) throw Errors.forbidden();
  await revokeApiToken(c.var.db, { orgId: c.var.org.id, id: actor.tokenId });
  return c.body(null, 204);
});

apiTokenRoutes.get("/:apiTokenId", async (c) => c.json(apiTokenJson(c.var.org.url, await tokenOr404(c, "apiTokens.read"))));

apiTokenRoutes.delete("/:apiTokenId", async (c) => {
  await revokeApiToken(c.var.db, await tokenOr404(c, "apiTokens.manage"));
  return c.body(null, 204);
});
