import type { AppContext } from "../../platform/context";
import { findUser } from "../../users/record";
import type { AuthorizationServer } from "../server";
import { tokenStillValid } from "../tokens/client-status";
import { presentedRefreshToken, refreshTokenExpiry } from "../tokens/refresh-tokens";
import { NO_STORE, readTokenRequest, verifyIssued } from "./form";

/**
 * RFC 7662. A client learns about its own tokens only: any other token —
 * another client's, another server's, expired, revoked, foreign or garbage
 * — is `{"active": false}`. A token that is not one of this server's access
 * tokens is looked up as a refresh token (REFERENCE-SIGNIN §6.5), whatever
 * `token_type_hint` says. ID tokens are not introspected.
 */
export async function introspectEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  const { client, token } = await readTokenRequest(c, server.clientAuth.introspect);
  const inactive = () => c.json({ active: false }, 200, NO_STORE);
  const claims = await verifyIssued(c, server, token);
  if (!claims) return introspectRefreshToken(c, server, client.clientId, client.refreshToken.leeway, token);
  if (claims.cid !== client.clientId || !(await tokenStillValid(c.var.db, c.var.org.id, claims))) return inactive();
  return c.json(
    {
      active: true,
      token_type: claims.cnf ? "DPoP" : "Bearer",
      scope: claims.scp.join(" "),
      client_id: claims.cid,
      username: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
      ...(claims.uid ? { uid: claims.uid } : {}),
      ...(claims.cnf ? { cnf: claims.cnf } : {}),
    },
    200,
    NO_STORE,
  );
}

/** A refresh token: `{active, token_type, scope, client_id, username, exp, sub}` as Okta's example shows (no iat/iss/aud/jti/uid). */
async function introspectRefreshToken(c: AppContext, server: AuthorizationServer, clientId: string, leeway: number, value: string) {
  const found = await presentedRefreshToken(c.var.db, c.var.org.id, value, { authServerId: server.id, clientId });
  const usable = found && (found.retiredAt === null || Date.now() <= found.retiredAt + leeway * 1000);
  const user = usable ? await findUser(c.var.db, c.var.org.id, found.token.userId) : null;
  if (!found || !user || user.status !== "ACTIVE") return c.json({ active: false }, 200, NO_STORE);
  const login = String(user.profile.login);
  const expiry = refreshTokenExpiry(found.token);
  return c.json(
    {
      active: true,
      token_type: "Bearer",
      scope: found.token.scopes.join(" "),
      client_id: clientId,
      username: login,
      ...(expiry !== null ? { exp: Math.floor(expiry / 1000) } : {}),
      sub: login,
    },
    200,
    NO_STORE,
  );
}
