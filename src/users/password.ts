import bcrypt from "bcryptjs";
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { pbkdf2Async } from "@noble/hashes/pbkdf2.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import type { AnswerRecord, PasswordRecord } from "./table";
import { timingSafeEqual } from "../platform/timing-safe";

/**
 * Cloudflare's deployed runtime refuses WebCrypto PBKDF2 above 100,000
 * iterations ("Pbkdf2 failed: iteration counts above 100000 are not
 * supported"); the local workerd of wrangler/vitest (2026-11) does not
 * enforce it. So new hashes use at most 100,000 (PASSWORD_HASH_ITERATIONS is
 * clamped), and imported PBKDF2 hashes above it are verified with the pure-JS
 * @noble/hashes implementation (slow: seconds of CPU) instead of WebCrypto.
 */
export const WEBCRYPTO_PBKDF2_MAX = 100_000;
export const DEFAULT_ITERATIONS = 100_000;

export function iterationsFrom(setting: string | undefined): number {
  const n = Number(setting);
  if (!Number.isInteger(n) || n < 1) return DEFAULT_ITERATIONS;
  return Math.min(n, WEBCRYPTO_PBKDF2_MAX);
}

const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** Constant-time comparison of two byte strings. */
async function pbkdf2(
  secret: string,
  salt: Uint8Array,
  iterations: number,
  bytes: number,
  digest: "SHA-256" | "SHA-512",
): Promise<Uint8Array> {
  if (iterations > WEBCRYPTO_PBKDF2_MAX) {
    return pbkdf2Async(digest === "SHA-256" ? sha256 : sha512, secret, salt, { c: iterations, dkLen: bytes });
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: digest, salt: salt as BufferSource, iterations },
    key,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

/** A new password hash: PBKDF2-SHA-256, 16-byte random salt, 32-byte key. */
export async function hashPassword(password: string, iterations: number): Promise<PasswordRecord> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const value = await pbkdf2(password, salt, iterations, 32, "SHA-256");
  return {
    kind: "hash",
    algorithm: "PBKDF2",
    digestAlgorithm: "SHA256_HMAC",
    iterations,
    keySize: 32,
    salt: toBase64(salt),
    value: toBase64(value),
    imported: false,
  };
}

/** Recovery answers are compared case-insensitively (REFERENCE §1.10): the lower-cased, trimmed text is hashed. */
export async function hashAnswer(answer: string, iterations: number): Promise<AnswerRecord> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const value = await pbkdf2(answer.trim().toLowerCase(), salt, iterations, 32, "SHA-256");
  return { salt: toBase64(salt), iterations, value: toBase64(value) };
}

export async function verifyAnswer(record: AnswerRecord, answer: string): Promise<boolean> {
  const value = await pbkdf2(answer.trim().toLowerCase(), fromBase64(record.salt), record.iterations, 32, "SHA-256");
  return timingSafeEqual(value, fromBase64(record.value));
}

function salted(password: string, record: { salt?: string; saltOrder?: string }): Uint8Array {
  const pw = encoder.encode(password);
  if (!record.salt) return pw;
  const salt = fromBase64(record.salt);
  const out = new Uint8Array(pw.length + salt.length);
  if (record.saltOrder === "POSTFIX") {
    out.set(pw, 0);
    out.set(salt, pw.length);
  } else {
    out.set(salt, 0);
    out.set(pw, salt.length);
  }
  return out;
}

/**
 * True when `password` matches the stored record, whatever made it. A hook
 * record has nothing to compare with (the hook would be asked at sign-in):
 * never a match.
 */
export async function verifyPassword(record: PasswordRecord, password: string): Promise<boolean> {
  if (record.kind !== "hash") return false;
  try {
    switch (record.algorithm) {
      case "PBKDF2": {
        const digest = record.digestAlgorithm === "SHA512_HMAC" ? "SHA-512" : "SHA-256";
        const expected = fromBase64(record.value);
        const derived = await pbkdf2(password, fromBase64(record.salt ?? ""), record.iterations ?? 4096, record.keySize ?? expected.length, digest);
        return timingSafeEqual(derived, expected);
      }
      case "BCRYPT": {
        const cost = String(record.workFactor ?? 10).padStart(2, "0");
        return await bcrypt.compare(password, `$2a$${cost}$${record.salt}${record.value}`);
      }
      case "SHA-512":
        return timingSafeEqual(new Uint8Array(await crypto.subtle.digest("SHA-512", salted(password, record))), fromBase64(record.value));
      case "SHA-256":
        return timingSafeEqual(new Uint8Array(await crypto.subtle.digest("SHA-256", salted(password, record))), fromBase64(record.value));
      case "SHA-1":
        return timingSafeEqual(sha1(salted(password, record)), fromBase64(record.value));
      case "MD5":
        return timingSafeEqual(md5(salted(password, record)), fromBase64(record.value));
    }
  } catch {
    // A stored hash that cannot be decoded matches nothing.
    return false;
  }
  return false;
}

export const POLICY_CAUSE =
  "password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.";

/**
 * Okta's default password policy: at least 8 characters, a lower-case
 * letter, an upper-case letter, a digit, and no part of the username. The
 * username's parts are its local part (before the last '@') split on
 * . , - _ # @ ; parts shorter than 3 characters are ignored (they would forbid
 * nearly every password), and so is the domain (else "com" would forbid
 * "Welcome1"). The check is case-insensitive.
 */
export function meetsPolicy(password: string, login: string): boolean {
  if (password.length < 8) return false;
  if (!/\p{Ll}/u.test(password) || !/\p{Lu}/u.test(password) || !/\p{Nd}/u.test(password)) return false;
  const lower = password.toLowerCase();
  const at = login.lastIndexOf("@");
  const local = at > 0 ? login.slice(0, at) : login;
  const parts = local.toLowerCase().split(/[.,\-_#@]/).filter((part) => part.length >= 3);
  return !parts.some((part) => lower.includes(part));
}

/** A temporary password for expire_password?tempPassword=true: meets the default policy. */
export function temporaryPassword(): string {
  const pick = (set: string, n: number) =>
    Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => set[b % set.length]).join("");
  const chars = pick("ABCDEFGHJKLMNPQRSTUVWXYZ", 2) + pick("abcdefghijkmnopqrstuvwxyz", 4) + pick("23456789", 2);
  return chars;
}
