import { base64url, calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import type { Db } from "../../platform/context";
import { useJtiOnce } from "./used-jtis";

/**
 * DPoP proofs (RFC 9449, REFERENCE §6.6): checked at the token endpoint
 * (with a server nonce) and on resource requests (with `ath`). Failures
 * carry the catalogue's description; endpoints render them their own way.
 */
export class DpopError extends Error {
  constructor(
    /** invalid_dpop_proof, use_dpop_nonce or invalid_request. */
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export const DPOP_PROOF_ALGORITHMS = new Set(["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]);
export const DPOP_ALGORITHMS = [...DPOP_PROOF_ALGORITHMS].join(" ");
/** Proofs older than this are refused ("issued more than five minutes in the past"). */
const MAX_AGE_SECONDS = 300;
/** A proof may come from a clock this far ahead. */
const FUTURE_SKEW_SECONDS = 60;

const invalid = (description: string) => new DpopError("invalid_dpop_proof", description);

export interface ProofCheck {
  proof: string | undefined;
  /** Request method and URL (the URL as the client sent it; query and fragment are ignored). */
  method: string;
  url: string;
  orgId: string;
  db: Db;
  /** Resource requests: the access token the proof must be bound to by `ath`. */
  accessToken?: string;
  /** Token endpoint: a function telling whether the proof's nonce is current. */
  nonceValid?: (nonce: unknown) => Promise<boolean>;
  now?: number;
}

export interface VerifiedProof {
  /** base64url SHA-256 JWK thumbprint of the proof's key (RFC 7638). */
  jkt: string;
}

/** Compares htu as RFC 9449 §4.3 asks: scheme and host case-insensitively, default ports dropped, no query or fragment. */
function sameTarget(htu: string, url: string): boolean {
  try {
    const a = new URL(htu);
    const b = new URL(url);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

async function sha256Base64url(text: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
}

export async function verifyDpopProof(check: ProofCheck): Promise<VerifiedProof> {
  const { proof } = check;
  if (!proof) throw invalid("The DPoP proof JWT header is missing.");
  let header;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof);
    const part = proof.split(".")[1] ?? "";
    payload = JSON.parse(new TextDecoder().decode(base64url.decode(part)));
    if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw new Error("payload");
  } catch {
    throw invalid("The DPoP proof JWT cannot be parsed.");
  }
  if (header.typ !== "dpop+jwt") throw invalid("The DPoP proof JWT header 'typ' must be 'dpop+jwt'.");
  if (typeof header.alg !== "string" || !DPOP_PROOF_ALGORITHMS.has(header.alg)) throw invalid("The DPoP proof JWT signature algorithm is invalid.");
  const jwk = header.jwk as JWK | undefined;
  if (!jwk || typeof jwk !== "object" || "d" in jwk || (jwk.kty !== "RSA" && jwk.kty !== "EC")) {
    throw invalid("The DPoP proof JWT header 'jwk' is invalid.");
  }
  let jkt: string;
  try {
    const key = await importJWK(jwk, header.alg);
    await compactVerify(proof, key, { algorithms: [header.alg] });
    jkt = await calculateJwkThumbprint(jwk, "sha256");
  } catch {
    throw invalid("The DPoP proof JWT signature is invalid.");
  }
  if (payload.htm !== check.method) throw invalid("'htm' claim in the DPoP proof JWT is invalid.");
  if (typeof payload.htu !== "string" || !sameTarget(payload.htu, check.url)) throw invalid("'htu' claim in the DPoP proof JWT is invalid.");
  const now = check.now ?? Math.floor(Date.now() / 1000);
  const iat = payload.iat;
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw invalid("'iat' claim in the DPoP proof JWT is invalid.");
  if (iat > now + FUTURE_SKEW_SECONDS) throw invalid("The DPoP proof JWT is issued in the future.");
  if (iat < now - MAX_AGE_SECONDS) throw invalid("The DPoP proof JWT is issued more than five minutes in the past.");
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length < 8 || jti.length > 256) throw invalid("'jti' claim in the DPoP proof JWT is invalid.");
  if (check.accessToken !== undefined) {
    if (payload.ath !== (await sha256Base64url(check.accessToken))) {
      throw invalid("'ath' claim in the DPoP proof does not match the presented access_token.");
    }
  }
  if (check.nonceValid && !(await check.nonceValid(payload.nonce))) {
    throw new DpopError("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.");
  }
  // Last: a proof refused for another reason does not burn its jti.
  if (!(await useJtiOnce(check.db, check.orgId, `dpop:${jkt}:${jti}`, iat + MAX_AGE_SECONDS + FUTURE_SKEW_SECONDS))) {
    throw invalid("The DPoP proof JWT has already been used.");
  }
  return { jkt };
}

/**
 * Token-endpoint nonces, verifiable without storage: "<window>.<HMAC>" where
 * window = floor(unix time / 24 h) and the HMAC (SHA-256, key derived from
 * KEY_ENCRYPTION_SECRET with HKDF, info "dpop-nonce") covers the org id and
 * the window. A nonce is issued for the current window and accepted for it
 * and the two before: it rotates daily and an old one lasts up to three days,
 * as Okta's do (§6.6).
 */
const NONCE_WINDOW_SECONDS = 24 * 3600;
const NONCE_WINDOWS_ACCEPTED = 3;
const nonceKeys = new Map<string, Promise<CryptoKey>>();

function nonceKey(secret: string): Promise<CryptoKey> {
  let key = nonceKeys.get(secret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new TextEncoder().encode("edgeorg/dpop-nonce/v1"), info: new TextEncoder().encode("dpop-nonce") },
        ikm,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign", "verify"],
      );
    })();
    nonceKeys.set(secret, key);
  }
  return key;
}

async function nonceFor(secret: string, orgId: string, window: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await nonceKey(secret), new TextEncoder().encode(`${orgId}.${window}`));
  return `${window}.${base64url.encode(new Uint8Array(mac).subarray(0, 24))}`;
}

export async function currentNonce(secret: string, orgId: string, now = Date.now()): Promise<string> {
  return nonceFor(secret, orgId, Math.floor(now / 1000 / NONCE_WINDOW_SECONDS));
}

export async function isValidNonce(secret: string, orgId: string, nonce: unknown, now = Date.now()): Promise<boolean> {
  if (typeof nonce !== "string") return false;
  const window = Number(nonce.split(".")[0]);
  const current = Math.floor(now / 1000 / NONCE_WINDOW_SECONDS);
  if (!Number.isInteger(window) || window > current || window <= current - NONCE_WINDOWS_ACCEPTED) return false;
  return (await nonceFor(secret, orgId, window)) === nonce;
}
