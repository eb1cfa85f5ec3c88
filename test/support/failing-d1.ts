import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";

/**
 * D1 failure injection (issue 14), test-only: the real D1 binding, wrapped so
 * that the Nth write statement of a request fails inside D1 itself. In a
 * batch, that statement is swapped for one that fails when SQLite runs it
 * (malformed JSON), so the statements before it have really executed when
 * D1 rolls the batch back — atomicity is D1's, not the wrapper's. A write
 * outside any batch fails before it runs. The database is never mocked.
 *
 * The worker runs with the wrapped binding through its own fetch handler,
 * `worker.fetch(request, { ...env, DB }, ctx)`: the seam is the env every
 * Worker receives, so production code has no test hook.
 */
const WRITE = /^\s*(insert|update|delete|replace)\b/i;
const BOOKKEEPING = /^\s*(insert\s+into|update|delete\s+from)\s+"request_log"/i;

export class FailingD1 {
  /** Write statements seen so far in this request. */
  writes = 0;
  /** SQL of the statement that was made to fail, once it has. */
  failed?: string;

  constructor(private readonly failAt: number) {}

  private shouldFail(sql: string): boolean {
    // The request log is bookkeeping written after the answer (waitUntil), not part of the write under test.
    if (!WRITE.test(sql) || BOOKKEEPING.test(sql)) return false;
    this.writes += 1;
    if (this.writes !== this.failAt) return false;
    this.failed = sql;
    return true;
  }

  binding(real: D1Database = env.DB): D1Database {
    const sqlOf = new WeakMap<object, string>();
    const realOf = new WeakMap<object, D1PreparedStatement>();
    const wrap = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
      const proxy = new Proxy(statement, {
        get: (target, prop) => {
          if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values), sql);
          if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
            return (...args: unknown[]) => {
              if (this.shouldFail(sql)) return Promise.reject(new Error(`D1_ERROR: injected failure at write ${this.writes}`));
              return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          const value = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      sqlOf.set(proxy, sql);
      realOf.set(proxy, statement);
      return proxy;
    };
    return new Proxy(real, {
      get: (target, prop) => {
        if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
        if (prop === "batch") {
          return (statements: D1PreparedStatement[]) =>
            target.batch(
              statements.map((s) =>
                this.shouldFail(sqlOf.get(s) ?? "") ? target.prepare("SELECT json('{ injected failure')") : (realOf.get(s) ?? s),
              ),
            );
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
}

/** One request through the worker with the Nth write failing; the injector says what it saw. */
export async function fetchWithFailure(request: Request, failAt: number): Promise<{ response: Response; injector: FailingD1 }> {
  const injector = new FailingD1(failAt);
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...env, DB: injector.binding() }, ctx);
  await waitOnExecutionContext(ctx);
  return { response, injector };
}
