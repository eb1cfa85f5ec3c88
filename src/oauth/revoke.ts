import type { AppContext } from "../platform/context";
import { readTokenRequest, verifyIssued, type TokenIssuer } from "./introspect";
import { revokeToken } from "./revocations";

/**
 * RFC 7009. Always 200 with an empty body once the client is authenticated
 * and `token` is present: unknown, expired, already revoked tokens and
 * tokens of other clients say nothing (a client may revoke only its own
 * tokens; another client's token is left untouched, without telling).
 */
export async function handleRevoke(c: AppContext, issuer: TokenIssuer): Promise<Response> {
  const { client, token } = await readTokenRequest(c, issuer);
  const claims = await verifyIssued(c, issuer, token);
  if (claims && claims.cid === client.clientId) {
    await revokeToken(c.var.db, c.var.org.id, claims);
  }
  return c.body(null, 200, { "Cache-Control": "no-store", Pragma: "no-cache" });
}
