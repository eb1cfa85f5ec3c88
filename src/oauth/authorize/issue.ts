import type { AppContext } from "../../platform/context";
import { sha256Hex } from "../../platform/ids";
import type { ActiveSession } from "../../signin/sessions";
import { issueAuthorizationCode } from "../tokens/authorization-codes";
import type { AuthorizationServer } from "../server";
import type { AuthorizeRequest } from "./request";
import { issueUserTokens } from "./user-tokens-standin";

/**
 * Step 8 (REFERENCE-SIGNIN §4.3, §4.7): what the response type asks for —
 * a code bound to everything decided here, tokens minted now (implicit), or
 * both (hybrid: the ID token then carries c_hash of this code). Values in
 * Okta's order: code, then the token response fields.
 */
export async function issueAuthorizeResponse(
  c: AppContext,
  server: AuthorizationServer,
  request: AuthorizeRequest,
  grant: { session: ActiveSession; authTime: string; scopes: string[]; policy: unknown },
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const { responseTypes: types, client } = request;
  let code: string | undefined;
  if (types.has("code")) {
    code = await issueAuthorizationCode(c.var.db, c.var.org.id, {
      authServerId: server.id,
      clientId: client.clientId,
      redirectUri: request.target.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: grant.scopes,
      nonce: request.nonce,
      userId: grant.session.user.id,
      authTime: grant.authTime,
      sessionId: await sha256Hex(grant.session.id),
      policy: grant.policy,
    });
    values.code = code;
  }
  if (types.has("token") || types.has("id_token")) {
    const tokens = await issueUserTokens(c, server, client, grant.session.user, {
      scopes: grant.scopes,
      policy: grant.policy,
      nonce: request.nonce ?? undefined,
      authTime: grant.authTime,
      sessionId: grant.session.id,
      want: { accessToken: types.has("token"), idToken: types.has("id_token"), refreshToken: false },
      code,
      grantType: "implicit",
    });
    if (tokens.access_token) {
      values.access_token = tokens.access_token;
      values.token_type = tokens.token_type;
      values.expires_in = String(tokens.expires_in);
      values.scope = tokens.scope;
    }
    if (tokens.id_token) values.id_token = tokens.id_token;
  }
  return values;
}
