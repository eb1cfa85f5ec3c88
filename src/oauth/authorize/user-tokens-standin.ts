import type { OAuthClient } from "../../apps/service";
import type { AppContext } from "../../platform/context";
import { oauthError } from "../../platform/errors";
import type { UserRecord } from "../../users/record";
import type { AuthorizationServer } from "../server";

/**
 * STAND-IN until the `usertokens` branch is merged (CONTRACTS.md): the scope
 * decision and token minting for users are theirs. Replaced, not extended.
 */
export async function decideUserScopes(
  _c: AppContext,
  _server: AuthorizationServer,
  _client: OAuthClient,
  _user: UserRecord,
  requested: string[],
  _grantType: "authorization_code" | "implicit",
): Promise<{ scopes: string[]; policy: unknown }> {
  return { scopes: requested, policy: null };
}

export interface UserTokens {
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  scope: string;
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
}

export async function issueUserTokens(..._args: unknown[]): Promise<UserTokens> {
  throw oauthError(400, "unsupported_response_type", "User tokens are not built yet.");
}
