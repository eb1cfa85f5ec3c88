/**
 * Per-isolate caches of an org's configuration that the management API
 * writes — admin role holdings, OAuth clients with their grants — so that a
 * warm call reads none of it from D1 (docs/STORAGE.md "Per-isolate caches").
 *
 * An entry lives for its cache's lifetime at most. The isolate that writes
 * voids every entry of the org at once (orgConfigWritten, called by the
 * access pipeline once a management write has answered); other isolates see
 * the write when their entry's lifetime is over.
 *
 * A per-org generation, not a scan, voids entries: a load that started
 * before a write answered never stores what it read.
 */
const MAX_ORGS = 10_000;

/** orgId → the generation its entries must carry; an org not here is at 0. */
const generations = new Map<string, number>();
let lastGeneration = 0;
/** Every cache made here, so that a reset of the generations also empties them. */
const caches: OrgWriteCache<unknown>[] = [];

const generationOf = (orgId: string) => generations.get(orgId) ?? 0;

/** Voids every entry of the org in this isolate's caches. */
export function orgConfigWritten(orgId: string): void {
  // Starting the generations over would let old entries match again: the caches are emptied with them.
  if (generations.size >= MAX_ORGS) {
    generations.clear();
    for (const cache of caches) cache.clear();
  }
  generations.set(orgId, ++lastGeneration);
}

interface Entry<T> {
  value: T;
  at: number;
  generation: number;
}

export class OrgWriteCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {
    caches.push(this as OrgWriteCache<unknown>);
  }

  /** The cached value, or what `load` reads (kept unless the org was written meanwhile, or `keep` refuses it). */
  async get(orgId: string, key: string, load: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const id = `${orgId}\u0000${key}`;
    const generation = generationOf(orgId);
    const hit = this.entries.get(id);
    if (hit && hit.generation === generation && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    if (generationOf(orgId) === generation && keep(value)) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(id, { value, at: Date.now(), generation });
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
