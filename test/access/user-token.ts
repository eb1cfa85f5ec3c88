import { forgeAccessToken } from "../oauth/forge";
import { registerServiceClient } from "../support/oauth";
import type { Ctx } from "../users/helpers";

/**
 * A user access token of the org authorization server for `user` with
 * these scopes (REFERENCE-SIGNIN §6.2: `uid` = user id, `sub` = login),
 * signed with the org's real key and verified for real by the pipeline.
 * The client is a real ACTIVE app of the org (tokens of unknown clients
 * are refused as revoked).
 */
export async function userAccessToken(
  ctx: Ctx,
  user: { id: string; profile: { login: string } },
  scopes: string[],
  options: { issuer?: string; clientId?: string } = {},
): Promise<string> {
  const clientId = options.clientId ?? (await registerServiceClient(ctx.org)).clientId;
  const issuer = options.issuer ?? ctx.org.orgUrl;
  return forgeAccessToken(ctx.org.id, { issuer, audience: issuer === ctx.org.orgUrl ? ctx.org.orgUrl : "api://default", subject: user.profile.login, userId: user.id, clientId, scopes });
}
