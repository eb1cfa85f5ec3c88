import type { AppContext } from "../../platform/context";
import type { AuthorizationServer } from "../server";
import { forgetIssuedTokenStatement } from "../tokens/issued";
import { revokeToken } from "../tokens/revocations";
import { NO_STORE, readTokenRequest, verifyIssued } from "./form";

/**
 * RFC 7009. Always 200 with an empty body once the client is authenticated
 * and `token` is present: unknown, expired, already revoked tokens and
 * tokens of other clients say nothing (a client may revoke only its own
 * tokens; another client's token is left untouched, without telling). A
 * server that records its tokens forgets the record in the same batch.
 */
export async function revokeEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  const { client, token } = await readTokenRequest(c, server.clientAuth.revoke);
  const claims = await verifyIssued(c, server, token);
  if (claims && claims.cid === client.clientId) {
    const orgId = c.var.org.id;
    await revokeToken(c.var.db, orgId, claims, server.recordsIssuedTokens ? [forgetIssuedTokenStatement(c.var.db, orgId, claims.jti)] : []);
  }
  return c.body(null, 200, NO_STORE);
}
