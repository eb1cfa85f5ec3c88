import type { AppContext } from "../../platform/context";
import { runBatch } from "../../platform/batch";
import type { AuthorizationServer } from "../server";
import { forgetIssuedTokenStatement } from "../tokens/issued";
import { presentedRefreshToken, revokeRefreshTokensStatements } from "../tokens/refresh-tokens";
import { revokeToken } from "../tokens/revocations";
import { NO_STORE, readTokenRequest, verifyIssued } from "./form";

/**
 * RFC 7009. Always 200 with an empty body once the client is authenticated
 * and `token` is present: unknown, expired, already revoked tokens and
 * tokens of other clients say nothing (a client may revoke only its own
 * tokens; another client's token is left untouched, without telling). A
 * server that records its tokens forgets the record in the same batch.
 *
 * Revoking an access token leaves its refresh token; revoking a refresh
 * token revokes the access tokens minted under it (REFERENCE-SIGNIN §6.5).
 */
export async function revokeEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  const { client, token } = await readTokenRequest(c, server.clientAuth.revoke);
  const db = c.var.db;
  const orgId = c.var.org.id;
  const claims = await verifyIssued(c, server, token);
  if (claims) {
    if (claims.cid === client.clientId) {
      await revokeToken(db, orgId, claims, server.recordsIssuedTokens ? [forgetIssuedTokenStatement(db, orgId, claims.jti)] : []);
    }
  } else {
    const found = await presentedRefreshToken(db, orgId, token, { authServerId: server.id, clientId: client.clientId });
    if (found) {
      const revoked = revokeRefreshTokensStatements(db, [found.token]);
      await runBatch(db, revoked.statements);
      revoked.after();
    }
  }
  return c.body(null, 200, NO_STORE);
}
