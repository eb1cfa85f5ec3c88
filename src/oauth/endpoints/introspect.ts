import type { AppContext } from "../../platform/context";
import type { AuthorizationServer } from "../server";
import { tokenStillValid } from "../tokens/client-status";
import { NO_STORE, readTokenRequest, verifyIssued } from "./form";

/**
 * RFC 7662. A client learns about its own tokens only: any other token —
 * another client's, expired, revoked, foreign or garbage — is
 * `{"active": false}`. Refresh tokens and ID tokens are not issued here, so
 * `token_type_hint` changes nothing.
 */
export async function introspectEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  const { client, token } = await readTokenRequest(c, server.clientAuth.introspect);
  const claims = await verifyIssued(c, server, token);
  if (!claims || claims.cid !== client.clientId || !(await tokenStillValid(c.var.db, c.var.org.id, claims))) {
    return c.json({ active: false }, 200, NO_STORE);
  }
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
