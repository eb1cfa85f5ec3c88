import { sha256Hex } from "./ids";

/**
 * Comparisons of secrets whose time says nothing about where they differ:
 * workerd's crypto.subtle.timingSafeEqual (a Cloudflare extension of
 * WebCrypto), which itself requires equal lengths.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

const encoder = new TextEncoder();

/** Equal strings of a fixed length (hex digests): the length itself is no secret. */
export function sameDigest(a: string, b: string): boolean {
  return timingSafeEqual(encoder.encode(a), encoder.encode(b));
}

/** A presented secret against the expected one: digests first, so neither length nor content leaks. */
export async function sameSecret(presented: string, expected: string): Promise<boolean> {
  return sameDigest(await sha256Hex(presented), await sha256Hex(expected));
}
