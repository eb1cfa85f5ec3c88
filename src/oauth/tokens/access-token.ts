import { SignJWT, base64url, compactVerify, decodeProtectedHeader } from "jose";
import type { Db } from "../../platform/context";
import { randomBase62 } from "../../platform/ids";
import { verificationKey, type KeySetRef, type KeySource } from "../crypto/jwks";
import type { SigningKey } from "../crypto/keys";

/**
 * Access tokens of edgeorg's authorization servers (REFERENCE §6.4, §5.10):
 * RS256 JWTs with the signing key's kid; `jti` "AT.<random>".
 */
export interface AccessTokenClaims {
  ver: 1;
  jti: string;
  iss: string;
  aud: string;
  sub: string;
  cid: string;
  iat: number;
  exp: number;
  scp: string[];
  uid?: string;
  cnf?: { jkt: string };
  [claim: string]: unknown;
}

export interface MintInput {
  issuer: string;
  audience: string;
  subject: string;
  clientId: string;
  scopes: string[];
  lifetimeSeconds: number;
  userId?: string;
  /** Unix seconds: when the user authenticated (user grants). */
  authTime?: number;
  /** JWK SHA-256 thumbprint of the DPoP key the token is bound to. */
  jkt?: string;
  /** Custom claims (custom authorization servers); never override the registered ones. */
  extraClaims?: Record<string, unknown>;
  now?: number;
}

export async function mintAccessToken(key: SigningKey, input: MintInput): Promise<{ token: string; claims: AccessTokenClaims }> {
  const iat = input.now ?? Math.floor(Date.now() / 1000);
  const claims: AccessTokenClaims = {
    ...input.extraClaims,
    ver: 1,
    jti: `AT.${randomBase62(43)}`,
    iss: input.issuer,
    aud: input.audience,
    iat,
    exp: iat + input.lifetimeSeconds,
    cid: input.clientId,
    ...(input.userId ? { uid: input.userId } : {}),
    scp: input.scopes,
    ...(input.authTime !== undefined ? { auth_time: input.authTime } : {}),
    sub: input.subject,
    ...(input.jkt ? { cnf: { jkt: input.jkt } } : {}),
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: key.kid }).sign(key.key);
  return { token, claims };
}

/**
 * Verifiers accept `exp` up to this many seconds late and `iat`/`nbf` this
 * many seconds early: clocks of the issuer and of workerd isolates differ a
 * little, and a minute is what common JWT libraries (and @okta/jwt-verifier's
 * default of 120 s, halved) allow.
 */
export const CLOCK_SKEW_SECONDS = 60;

export type TokenFailure =
  | "malformed" // not a compact JWS, or claims missing
  | "algorithm" // alg other than RS256
  | "kid" // no kid, or a kid the issuer never published
  | "issuer"
  | "audience"
  | "signature"
  | "expired"
  | "not_yet_valid";

export type VerifyResult = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: TokenFailure };

export interface VerifyOptions {
  issuer: string;
  audience: string;
  keys: KeySetRef;
  db: Db;
  kv: KVNamespace;
  /** Where the key set's keys come from past memory and KV (default: its rows in D1). */
  source?: KeySource;
  now?: number;
}

const decoder = new TextDecoder();

/** The payload of a compact JWS, not verified (also used to choose how to describe a refusal). */
export function unverifiedClaims(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload = JSON.parse(decoder.decode(base64url.decode(parts[1])));
    return payload && typeof payload === "object" && !Array.isArray(payload) ? payload : null;
  } catch {
    return null;
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/**
 * Checks an access token: RS256 only, kid required and published by the
 * issuer's key set, iss and aud exact, exp/nbf/iat with CLOCK_SKEW_SECONDS,
 * and the claims edgeorg relies on present and typed. The cheap claim
 * checks come before the key lookup so that another issuer's token never
 * makes this key set refresh; the time checks come after the signature so
 * that a forged token learns nothing.
 */
export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<VerifyResult> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const cacheKey = `${options.keys.orgId}|${options.keys.keySet}|${options.issuer}|${options.audience}|${token}`;
  const cached = verified.get(cacheKey);
  if (cached) {
    if (cached.exp > now - CLOCK_SKEW_SECONDS) return { ok: true, claims: cached };
    verified.delete(cacheKey);
    return { ok: false, reason: "expired" };
  }
  const result = await verifyUncached(token, options, now);
  if (result.ok) {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey, result.claims);
  }
  return result;
}

/**
 * Tokens already verified in this isolate, by their exact text (signature
 * included): a hit skips parsing and the RSA signature check, never the
 * expiry (checked on every hit) or revocation (checked by the caller).
 * Oldest entries leave first once VERIFIED_CACHE_SIZE is reached.
 */
const VERIFIED_CACHE_SIZE = 5_000;
const verified = new Map<string, AccessTokenClaims>();

async function verifyUncached(token: string, options: VerifyOptions, now: number): Promise<VerifyResult> {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const payload = unverifiedClaims(token);
  if (!payload) return { ok: false, reason: "malformed" };
  if (header.alg !== "RS256" || header.crit !== undefined) return { ok: false, reason: "algorithm" };
  if (typeof header.kid !== "string" || !header.kid) return { ok: false, reason: "kid" };
  if (payload.iss !== options.issuer) return { ok: false, reason: "issuer" };
  if (payload.aud !== options.audience && !(Array.isArray(payload.aud) && payload.aud.includes(options.audience))) {
    return { ok: false, reason: "audience" };
  }
  const key = await verificationKey(options.db, options.kv, options.keys, header.kid, options.source);
  if (!key) return { ok: false, reason: "kid" };
  try {
    await compactVerify(token, key, { algorithms: ["RS256"] });
  } catch {
    return { ok: false, reason: "signature" };
  }
  const { exp, iat, nbf } = payload;
  if (typeof exp !== "number" || typeof iat !== "number") return { ok: false, reason: "malformed" };
  if (exp <= now - CLOCK_SKEW_SECONDS) return { ok: false, reason: "expired" };
  if (iat > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: "not_yet_valid" };
  if (nbf !== undefined && (typeof nbf !== "number" || nbf > now + CLOCK_SKEW_SECONDS)) return { ok: false, reason: "not_yet_valid" };
  const { jti, sub, cid, scp, uid, cnf } = payload;
  if (typeof jti !== "string" || !jti.startsWith("AT.") || typeof sub !== "string" || typeof cid !== "string" || !isStringArray(scp)) {
    return { ok: false, reason: "malformed" };
  }
  if (uid !== undefined && typeof uid !== "string") return { ok: false, reason: "malformed" };
  if (cnf !== undefined && (typeof cnf !== "object" || cnf === null || typeof (cnf as { jkt?: unknown }).jkt !== "string")) {
    return { ok: false, reason: "malformed" };
  }
  return { ok: true, claims: payload as AccessTokenClaims };
}
