import { isUserAssignedToApp } from "../../apps/assignments";
import { runBatch } from "../../platform/batch";
import { oauthError } from "../../platform/errors";
import { findUser } from "../../users/record";
import { orThrow } from "../failure";
import { presentedRefreshToken, revokeRefreshTokensStatements } from "../tokens/refresh-tokens";
import type { Grant } from "./grant";
import { requestedScopes, requireGrantType } from "./grant";
import { issueUserTokens } from "./user-tokens";

/**
 * refresh_token (REFERENCE-SIGNIN §5.3), both server kinds. The token must be
 * this client's, at this server, live (original expiry, idle window), its
 * user still ACTIVE and assigned to the app; anything else is the one
 * invalid_grant, which says nothing about why. The grant keeps what was
 * decided at issue: scopes (a narrower `scope` is allowed, a wider one is
 * refused), the rule's access-token lifetime, auth_time and amr.
 *
 * ROTATE (the app's settings.oauthClient.refresh_token) answers a new value
 * each time, keeping the original expiry; the value it replaced still works
 * for `leeway` seconds, and presenting it later is reuse: the grant dies with
 * every access token minted under it. STATIC answers the same value (§10).
 */
export const INVALID_REFRESH_TOKEN = "The refresh token is invalid or expired.";

const invalid = () => oauthError(400, "invalid_grant", INVALID_REFRESH_TOKEN);

export const refreshToken: Grant = {
  grantType: "refresh_token",
  async handle(request) {
    const { c, server, client } = request;
    requireGrantType(request, "refresh_token");
    const value = request.form.get("refresh_token");
    if (!value) throw oauthError(400, "invalid_request", "The 'refresh_token' parameter is required.");
    const db = c.var.db;
    const found = await presentedRefreshToken(db, c.var.org.id, value, { authServerId: server.id, clientId: client.clientId });
    if (!found) throw invalid();
    const { token, retiredAt } = found;
    const now = Date.now();
    if (retiredAt !== null && now > retiredAt + client.refreshToken.leeway * 1000) {
      const revoked = revokeRefreshTokensStatements(db, [token], now);
      await runBatch(db, revoked.statements);
      revoked.after();
      throw invalid();
    }
    const user = await findUser(db, c.var.org.id, token.userId);
    if (!user || user.status !== "ACTIVE" || !(await isUserAssignedToApp(db, c.var.org.id, client.appId, user.id))) throw invalid();

    let scopes = token.scopes;
    const asked = requestedScopes(request);
    if (asked.length) {
      const denied = asked.filter((s) => !token.scopes.includes(s));
      if (denied.length) {
        throw oauthError(
          400,
          "access_denied",
          `Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: [${denied.join(", ")}]`,
        );
      }
      scopes = asked;
    }
    const issued = orThrow(
      await issueUserTokens({
        c,
        server,
        client,
        user,
        scopes,
        // The rule captured at issue decides (⚠ refresh does not re-evaluate the policy).
        policy: { ok: true, ruleId: token.ruleId, accessTokenLifetimeSeconds: token.accessTokenLifetime, refreshTokenLifetimeSeconds: null, refreshTokenIdleSeconds: token.idleSeconds },
        authTime: token.authTime,
        amr: token.amr,
        jkt: request.jkt,
        refreshing: { token, rotate: client.refreshToken.rotationType === "ROTATE", presented: value },
      }),
    );
    return issued.response;
  },
};
