import type { OAuthClient } from "../../apps/service";
import { groupNamesOfUser } from "../../groups/service";
import type { AppContext } from "../../platform/context";
import type { UserRecord } from "../../users/record";
import type { AuthorizationServer, OAuthFailure, PolicyGrant } from "../server";
import { decideUserScopes, type UserScopeGrant } from "./user-scopes";

/**
 * The decision of a user grant, made once where the user authenticates
 * (/authorize, or the password grant): the scopes (§4.5) and then the access
 * policy for this user (§5.5). The caller has checked the user's password or
 * session and assignment. `policy` is plain JSON: /authorize stores it with
 * the code and hands it to issueUserTokens at the exchange (§4.7, evaluated
 * once); `groups` saves issueUserTokens a read.
 */
export type UserGrantType = "authorization_code" | "implicit" | "password";

export interface UserGrantDecision {
  ok: true;
  scopes: string[];
  consent: UserScopeGrant["consent"];
  policy: PolicyGrant;
  groups: Map<string, string>;
}

export async function decideUserGrant(
  c: AppContext,
  server: AuthorizationServer,
  client: OAuthClient,
  user: UserRecord,
  requested: readonly string[],
  grantType: UserGrantType,
): Promise<UserGrantDecision | OAuthFailure> {
  const scopes = await decideUserScopes(server, client, requested);
  if (!scopes.ok) return scopes;
  return decideUserPolicy(c, server, client, user, scopes, grantType);
}

/** The second half, for a caller that decided the scopes before it knew the user (the password grant). */
export async function decideUserPolicy(
  c: AppContext,
  server: AuthorizationServer,
  client: OAuthClient,
  user: UserRecord,
  scopes: UserScopeGrant,
  grantType: UserGrantType,
): Promise<UserGrantDecision | OAuthFailure> {
  const groups = await groupNamesOfUser(c.var.db, c.var.org.id, user.id);
  const policy = server.accessPolicy({ client, grantType, scopes: scopes.scopes, user: { id: user.id, groupIds: new Set(groups.keys()) } });
  if (!policy.ok) return policy;
  return { ok: true, scopes: scopes.scopes, consent: scopes.consent, policy, groups };
}
