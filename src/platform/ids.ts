const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Random base62 text from crypto.getRandomValues. Bytes ≥ 248 are dropped
 * (rejection sampling) so every character is equally likely: 248 = 4 × 62.
 */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < 248 && out.length < length) out += BASE62[b % 62];
    }
  }
  return out;
}

/**
 * Okta's object ids: a 3-character type prefix and 17 random base62
 * characters, 20 in all (REFERENCE §0).
 */
export const IdPrefix = {
  user: "00u",
  group: "00g",
  app: "0oa",
  authorizationServer: "aus",
  policy: "00p",
  rule: "0pr",
  scope: "scp",
  claim: "ocl",
  grant: "oag",
  refreshToken: "oar",
  userType: "oty",
  org: "00o",
  apiToken: "00T",
  key: "kid",
  trustedOrigin: "tos",
} as const;
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

export function newId(prefix: IdPrefix): string {
  return prefix + randomBase62(17);
}

/** Okta's errorId values: "oae" and 22 characters. */
export function newErrorId(): string {
  return "oae" + randomBase62(22);
}

/** ISO-8601 UTC with milliseconds, Okta's timestamp form. */
export function nowIso(): string {
  return new Date().toISOString();
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
