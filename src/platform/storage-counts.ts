/**
 * Operator-only counters of the storage round trips one request makes: D1
 * statements (writes among them, and batches) and KV reads. With
 * DEBUG_STORAGE_COUNTS = "true" the app wraps the request's bindings and
 * reports the counts in X-Edgeorg-* response headers; without it nothing is
 * wrapped. Work deferred with waitUntil after the response is counted but not
 * reported, which is the point of deferring it.
 */
export interface StorageCounts {
  d1: number;
  d1Writes: number;
  d1Batches: number;
  kvReads: number;
}

export const newStorageCounts = (): StorageCounts => ({ d1: 0, d1Writes: 0, d1Batches: 0, kvReads: 0 });

const WRITE = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i;
const RUN = new Set(["first", "all", "run", "raw"]);

/** `target` with `methods` replaced; every other member passes through, bound to the target. */
function intercept<T extends object>(target: T, methods: Record<string, (...args: any[]) => unknown>): T {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === "string" && key in methods) return methods[key];
      const value = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

export function countD1(db: D1Database, counts: StorageCounts): D1Database {
  // batch() takes the runtime's own statements: each counted wrapper remembers its statement.
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const writes = new WeakMap<object, boolean>();
  const wrap = (statement: D1PreparedStatement, write: boolean): D1PreparedStatement => {
    const methods: Record<string, (...args: any[]) => unknown> = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values), write),
    };
    for (const name of RUN) {
      methods[name] = (...args: unknown[]) => {
        counts.d1++;
        if (write) counts.d1Writes++;
        return (statement as any)[name](...args);
      };
    }
    const wrapped = intercept(statement, methods);
    unwrap.set(wrapped, statement);
    writes.set(wrapped, write);
    return wrapped;
  };
  return intercept(db, {
    prepare: (sql: string) => wrap(db.prepare(sql), WRITE.test(sql)),
    batch: (statements: D1PreparedStatement[]) => {
      counts.d1 += statements.length;
      counts.d1Batches++;
      for (const statement of statements) if (writes.get(statement)) counts.d1Writes++;
      return db.batch(statements.map((statement) => unwrap.get(statement) ?? statement));
    },
    exec: (sql: string) => {
      counts.d1++;
      if (WRITE.test(sql)) counts.d1Writes++;
      return db.exec(sql);
    },
  });
}

export function countKv(kv: KVNamespace, counts: StorageCounts): KVNamespace {
  return intercept(kv, {
    get: (...args: unknown[]) => {
      counts.kvReads++;
      return (kv.get as (...a: unknown[]) => unknown)(...args);
    },
    getWithMetadata: (...args: unknown[]) => {
      counts.kvReads++;
      return (kv.getWithMetadata as (...a: unknown[]) => unknown)(...args);
    },
    list: (...args: unknown[]) => {
      counts.kvReads++;
      return (kv.list as (...a: unknown[]) => unknown)(...args);
    },
  });
}

export function storageCountHeaders(counts: StorageCounts): Record<string, string> {
  return {
    "X-Edgeorg-D1-Statements": String(counts.d1),
    "X-Edgeorg-D1-Writes": String(counts.d1Writes),
    "X-Edgeorg-D1-Batches": String(counts.d1Batches),
    "X-Edgeorg-KV-Reads": String(counts.kvReads),
  };
}
