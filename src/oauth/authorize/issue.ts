import type { AppContext } from "../../platform/context";
import { sha256Hex } from "../../platform/ids";
import type { ActiveSession } from "../../signin/sessions";
import { issueUserTokens } from "../grants/user-tokens";
import type { AuthorizationServer, PolicyGrant } from "../server";
import { issueAuthorizationCode } from "../tokens/authorization-codes";
import { AuthorizeError } from "./errors";
import type { AuthorizeRequest } from "./request";

/** What /authorize decided for the signed-in user, issued as a code and/or tokens. */
export interface AuthorizeGrant {
  session: ActiveSession;
  authTime: string;
  scopes: string[];
  policy: PolicyGrant;
  /** The user's groups (id → name), read once for the policy and the token claims. */
  groups: ReadonlyMap<string, string>;
}

/**
 * Step 8 (REFERENCE-SIGNIN §4.3, §4.7): what the response type asks for —
 * a code bound to everything decided here, tokens minted now (implicit), or
 * both (hybrid: the ID token then carries c_hash of this code, and beside an
 * access token it is the thin one, §10). Values in Okta's order: code, then
 * the token response fields.
 */
export async function issueAuthorizeResponse(
  c: AppContext,
  server: AuthorizationServer,
  request: AuthorizeRequest,
  grant: AuthorizeGrant,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const { responseTypes: types, client } = request;
  const user = grant.session.user;
  let code: string | undefined;
  if (types.has("code")) {
    code = await issueAuthorizationCode(c.var.db, c.var.org.id, {
      authServerId: server.id,
      clientId: client.clientId,
      redirectUri: request.target.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: grant.scopes,
      nonce: request.nonce,
      userId: user.id,
      authTime: grant.authTime,
      amr: grant.session.amr,
      sessionId: await sha256Hex(grant.session.id),
      policy: grant.policy,
    });
    values.code = code;
  }
  if (types.has("token") || types.has("id_token")) {
    const issued = await issueUserTokens({
      c,
      server,
      client,
      user,
      scopes: grant.scopes,
      policy: grant.policy,
      authTime: Math.floor(Date.parse(grant.authTime) / 1000),
      amr: grant.session.amr,
      nonce: request.nonce ?? undefined,
      tokens: {
        accessToken: types.has("token"),
        idToken: types.has("id_token") ? (types.has("token") ? "thin" : true) : false,
        refreshToken: false,
      },
      code,
      groups: grant.groups,
    });
    if (!issued.ok) throw new AuthorizeError(issued.error, issued.description);
    const tokens = issued.response;
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
