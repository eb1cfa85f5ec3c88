import type { RouteRow } from "../route-table";
import type { Holder } from "./holdings";

/**
 * The role step's per-isolate cache: what an actor's roles allow
 * (REFERENCE-SIGNIN §8.4), by org and holder, so that a warm management
 * call pays no D1 statement for it (docs/STORAGE.md "Per-isolate caches").
 *
 * Lifetime HOLDINGS_TTL_MS. Invalidation is explicit in the isolate that
 * writes: once any write through the management API has answered
 * (the role step, mayChangeHoldings), the org's entries are void — role and target
 * writes, group membership (admin, rules, deletes) and the deletes that take
 * a role's target with them all go through it. Another isolate sees the
 * change within HOLDINGS_TTL_MS, as it sees a deactivated client's.
 *
 * A per-org generation, not a scan, voids entries: a read that started
 * before a write answered never stores what it read after the write.
 */
export const HOLDINGS_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  at: number;
  generation: number;
}

const entries = new Map<string, Entry<unknown>>();
/** orgId → the generation its entries must carry; an org not here is at 0. */
const generations = new Map<string, number>();
let lastGeneration = 0;

const keyOf = (orgId: string, holder: Holder) => ("userId" in holder ? `${orgId}/u/${holder.userId}` : `${orgId}/c/${holder.clientId}`);
const generationOf = (orgId: string) => generations.get(orgId) ?? 0;

/** The cached value for the holder, or what `load` reads (then kept unless the org was written meanwhile). */
export async function cachedForHolder<T>(orgId: string, holder: Holder, load: () => Promise<T>): Promise<T> {
  const key = keyOf(orgId, holder);
  const generation = generationOf(orgId);
  const hit = entries.get(key);
  if (hit && hit.generation === generation && Date.now() - hit.at < HOLDINGS_TTL_MS) return hit.value as T;
  const value = await load();
  if (generationOf(orgId) === generation) {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, { value, at: Date.now(), generation });
  }
  return value;
}

/** Voids every cached holding of the org in this isolate. */
export function forgetRoleHoldings(orgId: string): void {
  // Clearing both maps together keeps an old entry from matching a generation that started over.
  if (generations.size >= MAX_ENTRIES) {
    generations.clear();
    entries.clear();
  }
  generations.set(orgId, ++lastGeneration);
}

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request on a management route (scope row) may change what
 * someone holds, so that the org's cached holdings are void once it has
 * answered — succeeded or not: a failed step may follow a committed one.
 * Every write may, but creating a user: the new user holds nothing anyone
 * cached. Public rows (OAuth endpoints, the Authentication API, sessions,
 * pages) change no role and no membership; operator rows act outside any
 * org, and a deleted org's ids never come back.
 */
export function mayChangeHoldings(method: string, row: RouteRow): boolean {
  return row.access.kind === "scope" && !READS.has(method) && !(row.method === "POST" && row.path === "/api/v1/users");
}
