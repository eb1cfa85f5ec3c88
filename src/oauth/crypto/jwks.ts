import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { importJWK } from "jose";
import type { Db } from "../../platform/context";
import { oauthSigningKeys } from "../table";

/**
 * The public keys a verifier trusts, looked up in this order (DESIGN
 * "Tokens"): the isolate's memory, then KV (JWKS_CACHE, with a TTL), then
 * D1. A kid is immutable, so a key once in memory stays there; a kid this
 * isolate has never seen triggers at most one refresh per REFRESH_COOLDOWN_MS
 * per key set — a flood of made-up kids costs one KV read and one D1 read
 * per window, never one per request. Steady state: 0 KV and 0 D1 reads.
 */
export interface KeySetRef {
  orgId: string;
  /** "org" for the org authorization server, else a custom authorization server id. */
  keySet: string;
}

export const ORG_KEY_SET = "org";

export type PublicJwk = JsonWebKey & { kid: string };

/** KV entries live this long; rotation overwrites them at once anyway. */
export const KV_TTL_SECONDS = 300;
export const REFRESH_COOLDOWN_MS = 10_000;
const MAX_SETS_IN_MEMORY = 10_000;

interface MemorySet {
  keys: Map<string, CryptoKey>;
  lastRefresh: number;
  /** The refresh in flight: concurrent requests with the new kid wait for it instead of failing. */
  refreshing: Promise<void> | null;
}

const memory = new Map<string, MemorySet>();

const setKey = (ref: KeySetRef) => `${ref.orgId}/${ref.keySet}`;
export const kvKey = (ref: KeySetRef) => `jwks:${ref.orgId}:${ref.keySet}`;

/** Reads and counts of the sources, for the benchmark's "reads per request". */
export const jwksStats = { kvReads: 0, d1Reads: 0 };

function memorySet(ref: KeySetRef): MemorySet {
  const key = setKey(ref);
  let set = memory.get(key);
  if (!set) {
    if (memory.size >= MAX_SETS_IN_MEMORY) memory.clear();
    set = { keys: new Map(), lastRefresh: 0, refreshing: null };
    memory.set(key, set);
  }
  return set;
}

async function remember(set: MemorySet, jwks: PublicJwk[]): Promise<void> {
  for (const jwk of jwks) {
    if (set.keys.has(jwk.kid) || jwk.kty !== "RSA") continue;
    set.keys.set(jwk.kid, (await importJWK({ ...jwk, alg: "RS256" }, "RS256")) as CryptoKey);
  }
}

/** The published public keys of a key set, from D1: ACTIVE, NEXT, and EXPIRED ones still in their window. */
export async function loadPublishedJwks(db: Db, ref: KeySetRef, now = new Date()): Promise<PublicJwk[]> {
  const rows = await db
    .select({ publicJwk: oauthSigningKeys.publicJwk, status: oauthSigningKeys.status })
    .from(oauthSigningKeys)
    .where(
      and(
        eq(oauthSigningKeys.orgId, ref.orgId),
        eq(oauthSigningKeys.keySet, ref.keySet),
        or(
          inArray(oauthSigningKeys.status, ["ACTIVE", "NEXT"]),
          and(eq(oauthSigningKeys.status, "EXPIRED"), or(isNull(oauthSigningKeys.publishedUntil), gt(oauthSigningKeys.publishedUntil, now.toISOString()))),
        ),
      ),
    )
    .all();
  const order = { ACTIVE: 0, NEXT: 1, EXPIRED: 2 } as const;
  return rows.sort((a, b) => order[a.status] - order[b.status]).map((r) => r.publicJwk);
}

/**
 * Called by keys.ts whenever a key set changes (creation, rotation): this
 * isolate learns the keys at once and KV is overwritten so other isolates'
 * next refresh sees them.
 */
export async function publishVerificationKeys(kv: KVNamespace, ref: KeySetRef, jwks: PublicJwk[]): Promise<void> {
  await remember(memorySet(ref), jwks);
  await kv.put(kvKey(ref), JSON.stringify(jwks), { expirationTtl: KV_TTL_SECONDS });
}

/** Where a key set's keys come from when memory and KV lack a kid: D1 for our own issuers, the upstream org's JWKS for a proxy org. */
export type KeySource = () => Promise<PublicJwk[]>;

/**
 * The CryptoKey for `kid` in the key set, or null when the key set has no
 * such key. `source` defaults to the key set's published rows in D1.
 */
export async function verificationKey(
  db: Db,
  kv: KVNamespace,
  ref: KeySetRef,
  kid: string,
  source: KeySource = () => loadPublishedJwks(db, ref),
): Promise<CryptoKey | null> {
  const set = memorySet(ref);
  const hit = set.keys.get(kid);
  if (hit) return hit;
  if (set.refreshing) {
    await set.refreshing;
    return set.keys.get(kid) ?? null;
  }
  const now = Date.now();
  if (now - set.lastRefresh < REFRESH_COOLDOWN_MS) return null;
  set.lastRefresh = now;
  set.refreshing = refresh(kv, ref, set, kid, source).finally(() => {
    set.refreshing = null;
  });
  await set.refreshing;
  return set.keys.get(kid) ?? null;
}

async function refresh(kv: KVNamespace, ref: KeySetRef, set: MemorySet, kid: string, source: KeySource): Promise<void> {
  jwksStats.kvReads++;
  const cached = await kv.get<PublicJwk[]>(kvKey(ref), "json");
  if (cached) {
    await remember(set, cached);
    if (set.keys.has(kid)) return;
  }
  // KV may be stale (a key made in another isolate within its TTL): the source decides.
  jwksStats.d1Reads++;
  const fresh = await source();
  await remember(set, fresh);
  if (fresh.length) await kv.put(kvKey(ref), JSON.stringify(fresh), { expirationTtl: KV_TTL_SECONDS });
}
