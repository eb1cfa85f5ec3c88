import { SignJWT, base64url } from "jose";
import { randomBase62 } from "../../platform/ids";
import type { SigningKey } from "../crypto/keys";

/**
 * ID tokens (REFERENCE-SIGNIN §6.1): RS256 with the server's active key,
 * `sub` = the user id, `aud` = the client, one hour whatever the server
 * (Okta: ID tokens last 60 minutes, fixed), `jti` "ID.<random>", `idp` = the
 * org id for users of the org. `at_hash` / `c_hash` bind the token to the
 * access token / code of the same response (OIDC Core §3.3.2.11).
 */
export const ID_TOKEN_LIFETIME_SECONDS = 3600;

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  userId: string;
  /** The identity provider of the user: the org id for Okta users. */
  idp: string;
  authTime: number;
  amr: readonly string[];
  nonce?: string;
  accessToken?: string;
  code?: string;
  /** Claims about the user (scope claims, IDENTITY custom claims); never override the registered ones. */
  userClaims: Record<string, unknown>;
  now?: number;
}

export interface IdTokenClaims {
  sub: string;
  ver: 1;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  amr: string[];
  idp: string;
  nonce?: string;
  auth_time: number;
  at_hash?: string;
  c_hash?: string;
  [claim: string]: unknown;
}

export async function mintIdToken(key: SigningKey, input: IdTokenInput): Promise<{ token: string; claims: IdTokenClaims }> {
  const iat = input.now ?? Math.floor(Date.now() / 1000);
  const claims: IdTokenClaims = {
    ...input.userClaims,
    sub: input.userId,
    ver: 1,
    iss: input.issuer,
    aud: input.clientId,
    iat,
    exp: iat + ID_TOKEN_LIFETIME_SECONDS,
    jti: `ID.${randomBase62(43)}`,
    amr: [...input.amr],
    idp: input.idp,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    auth_time: input.authTime,
    ...(input.accessToken ? { at_hash: await leftHalfHash(input.accessToken) } : {}),
    ...(input.code ? { c_hash: await leftHalfHash(input.code) } : {}),
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid }).sign(key.key);
  return { token, claims };
}

/** base64url of the left half of SHA-256 of the ASCII value: at_hash and c_hash for RS256. */
export async function leftHalfHash(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value)));
  return base64url.encode(digest.slice(0, digest.length / 2));
}
