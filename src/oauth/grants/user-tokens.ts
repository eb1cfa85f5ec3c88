import type { OAuthClient } from "../../apps/service";
import { groupNamesOfUser } from "../../groups/service";
import type { Statement } from "../../platform/batch";
import { runBatch } from "../../platform/batch";
import type { AppContext } from "../../platform/context";
import type { UserRecord } from "../../users/record";
import { signingKeyFor } from "../crypto/keys";
import type { AuthorizationServer, OAuthFailure, PolicyGrant } from "../server";
import type { TokenResponse } from "./grant";
import { mintAccessToken } from "../tokens/access-token";
import { customClaims } from "../tokens/custom-claims";
import { ID_TOKEN_LIFETIME_SECONDS, mintIdToken } from "../tokens/id-token";
import { identityClaims } from "../tokens/identity-claims";
import { recordIssuedTokenStatements } from "../tokens/issued";
import { createRefreshToken, useRefreshToken, type RefreshToken } from "../tokens/refresh-tokens";

/**
 * The tokens of a user grant (REFERENCE-SIGNIN §6.1, §6.2, §5.3), one path
 * for /authorize (code exchange, implicit, hybrid) and the /token user grants
 * (password, refresh_token), on both server kinds. The caller has decided the
 * scopes (user-scopes.ts) and the access policy (server.accessPolicy); this
 * mints and stores, in one D1 batch.
 *
 * - Access token: `sub` = the login, `uid` = the user id, `scp`, `cid`,
 *   `auth_time`, the server's RESOURCE claims (Okta EL, user dialect).
 * - ID token: `sub` = the user id, `aud` = the client, claims of the granted
 *   scopes and the server's IDENTITY claims. Fat by default (code exchange,
 *   password, refresh, `response_type=id_token`); "thin" for an ID token
 *   issued beside an access token in the front channel (`id_token token`,
 *   §10): only name, preferred_username, email and the claims marked
 *   alwaysIncludeInToken.
 * - Refresh token: a new one, or — when refreshing — the same grant used
 *   again (rotated or not).
 */
export interface UserTokenInput {
  c: AppContext;
  server: AuthorizationServer;
  client: OAuthClient;
  user: UserRecord;
  /** The granted scopes (decideUserScopes). */
  scopes: string[];
  /** The access policy's answer for this grant (lifetimes, rule). */
  policy: PolicyGrant;
  /** Unix seconds. */
  authTime: number;
  amr: string[];
  nonce?: string;
  /**
   * Which tokens. Defaults: an access token; an ID token when `openid` is
   * granted; a refresh token when `offline_access` is granted and the app
   * has the refresh_token grant.
   */
  tokens?: { accessToken?: boolean; idToken?: boolean | "thin"; refreshToken?: boolean };
  /** The authorization code of the same response (hybrid flow): the ID token gets c_hash. */
  code?: string;
  /** DPoP key thumbprint: the access token gets cnf.jkt and token_type DPoP. */
  jkt?: string;
  /** The user's groups (id → name) when the caller has them already (it evaluated the policy). */
  groups?: ReadonlyMap<string, string>;
  /** refresh_token grant only: the grant being refreshed, and whether its value rotates. */
  refreshing?: { token: RefreshToken; rotate: boolean; presented: string };
}

/** The token response fields: `token_type, expires_in, access_token?, scope, id_token?, refresh_token?`. */
export type UserTokenResponse = TokenResponse;

/** Whether a grant of these scopes brings a refresh token (§5.2: offline_access and the app's refresh_token grant). */
export function bringsRefreshToken(client: OAuthClient, scopes: readonly string[]): boolean {
  return scopes.includes("offline_access") && client.grantTypes.includes("refresh_token");
}

export async function issueUserTokens(input: UserTokenInput): Promise<{ ok: true; response: UserTokenResponse } | OAuthFailure> {
  const { c, server, client, user, scopes, policy } = input;
  const db = c.var.db;
  const orgId = c.var.org.id;
  const wantAccess = input.tokens?.accessToken ?? true;
  const wantId = input.tokens?.idToken ?? scopes.includes("openid");
  const wantRefresh = input.tokens?.refreshToken ?? bringsRefreshToken(client, scopes);

  const groups = input.groups ?? (server.claims.length ? await groupNamesOfUser(db, orgId, user.id) : new Map<string, string>());
  const subject = { client, user: { profile: user.profile, groups } };
  const key = await signingKeyFor(db, c.env, server.keys);
  const statements: Statement[] = [];
  const response: UserTokenResponse = {
    token_type: input.jkt ? "DPoP" : "Bearer",
    expires_in: wantAccess ? policy.accessTokenLifetimeSeconds : ID_TOKEN_LIFETIME_SECONDS,
    scope: scopes.join(" "),
  };

  let accessToken: { jti: string; exp: number } | undefined;
  let afterBatch = () => {};
  if (wantAccess) {
    const resource = customClaims(server.claims, { claimType: "RESOURCE", granted: scopes }, subject);
    if (!resource.ok) return resource;
    const minted = await mintAccessToken(key, {
      issuer: server.issuer,
      audience: server.audience,
      subject: String(user.profile.login),
      clientId: client.clientId,
      userId: user.id,
      scopes,
      authTime: input.authTime,
      lifetimeSeconds: policy.accessTokenLifetimeSeconds,
      jkt: input.jkt,
      extraClaims: resource.claims,
    });
    response.access_token = minted.token;
    accessToken = { jti: minted.claims.jti, exp: minted.claims.exp };
    if (server.recordsIssuedTokens) {
      statements.push(
        ...recordIssuedTokenStatements(db, {
          orgId,
          authServerId: server.id,
          jti: minted.claims.jti,
          clientId: client.clientId,
          scopes,
          iat: minted.claims.iat,
          exp: minted.claims.exp,
        }),
      );
    }
  }

  if (wantId) {
    const identity = await identityClaims({ c, server, client, user, scopes, thin: wantId === "thin", groups });
    if (!identity.ok) return identity;
    const minted = await mintIdToken(key, {
      issuer: server.issuer,
      clientId: client.clientId,
      userId: user.id,
      idp: orgId,
      authTime: input.authTime,
      amr: input.amr,
      nonce: input.nonce,
      accessToken: response.access_token,
      code: input.code,
      userClaims: identity.claims,
    });
    response.id_token = minted.token;
  }

  if (input.refreshing) {
    const { token, rotate, presented } = input.refreshing;
    const used = await useRefreshToken(db, token, { rotate, accessToken });
    statements.push(...used.statements);
    afterBatch = used.after;
    // STATIC: the same value again (§10).
    response.refresh_token = used.value ?? presented;
  } else if (wantRefresh) {
    const created = await createRefreshToken(db, {
      orgId,
      authServerId: server.id,
      clientId: client.clientId,
      userId: user.id,
      scopes,
      ruleId: policy.ruleId,
      authTime: input.authTime,
      amr: input.amr,
      accessTokenLifetime: policy.accessTokenLifetimeSeconds,
      lifetimeSeconds: policy.refreshTokenLifetimeSeconds,
      idleSeconds: policy.refreshTokenIdleSeconds,
      accessToken,
    });
    statements.push(...created.statements);
    response.refresh_token = created.value;
  }

  await runBatch(db, statements);
  afterBatch();
  return { ok: true, response };
}
