import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../platform/context";
import { requestLog, type RequestLogEntry } from "./table";

/** Rows kept per org. */
export const REQUEST_LOG_SIZE = 200;
/** Entries an isolate holds while D1 is slow; beyond it the oldest are dropped (a log, not a ledger). */
const MAX_PENDING = 1_000;
/** Rows per INSERT: 14 columns × 6 = 84 bound parameters (D1 allows 100). */
const ROWS_PER_INSERT = 6;
/** Statements per flush batch; what is left waits for the next round. */
const ROWS_PER_FLUSH = 60;
/** Rounds one flush runs before handing over to the next request's flush (waitUntil is bounded). */
const MAX_ROUNDS = 10;
/**
 * How long a flush waits for more entries before its first round. Each D1
 * call costs about the same CPU whatever it carries (locally, a few ms: more
 * than a warm read's own work), so entries go out in one batch per window
 * instead of nearly one per request.
 */
const FLUSH_WINDOW_MS = 100;

/** Rows of an org written before its table rows are trimmed again. */
const TRIM_EVERY = 25;
const unTrimmed = new Map<string, number>();

let pending: RequestLogEntry[] = [];
let inflight: RequestLogEntry[] = [];
let flushing = false;
let current: Promise<void> = Promise.resolve();
let seq = 0;

export const nextSeq = () => ++seq;

/**
 * Queues an entry and, if no flush runs in this isolate, starts one under
 * the request's waitUntil: the response never waits for the log. Entries
 * that arrive within the flush's window, or while it writes, go out in one
 * of its rounds, several rows per statement and one D1 batch per round
 * (group commit).
 */
export function record(db: Db, waitUntil: (promise: Promise<unknown>) => void, entry: RequestLogEntry): void {
  pending.push(entry);
  if (pending.length > MAX_PENDING) pending.splice(0, pending.length - MAX_PENDING);
  if (flushing) return;
  flushing = true;
  current = flush(db);
  waitUntil(current);
}

/** Settles once the flush in flight in this isolate, if any, has written (for a reader of the table itself). */
export const logFlushed = (): Promise<void> => current;

async function flush(db: Db): Promise<void> {
  try {
    await new Promise((resolve) => setTimeout(resolve, FLUSH_WINDOW_MS));
    for (let round = 0; round < MAX_ROUNDS && pending.length; round++) {
      inflight = pending.splice(0, ROWS_PER_FLUSH);
      try {
        await write(db, inflight);
      } catch (error) {
        console.error("request log: write failed, entries dropped:", error);
      } finally {
        inflight = [];
      }
    }
  } finally {
    // No await between the last check of `pending` and here: an entry queued after it starts the next flush.
    flushing = false;
  }
}

async function write(db: Db, entries: RequestLogEntry[]): Promise<void> {
  const statements: BatchItem<"sqlite">[] = [];
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
    statements.push(db.insert(requestLog).values(entries.slice(i, i + ROWS_PER_INSERT)).onConflictDoNothing());
  }
  // Keep the newest REQUEST_LOG_SIZE rows of each org (ties at the boundary stay). Trimmed once
  // TRIM_EVERY of its rows went out through this isolate, not on every flush: the table may run
  // that much over per isolate, which reads never show (they take the newest REQUEST_LOG_SIZE).
  for (const entry of entries) unTrimmed.set(entry.orgId, (unTrimmed.get(entry.orgId) ?? 0) + 1);
  for (const [orgId, written] of unTrimmed) {
    if (written < TRIM_EVERY) continue;
    unTrimmed.delete(orgId);
    statements.push(
      db.delete(requestLog).where(
        and(
          eq(requestLog.orgId, orgId),
          lt(
            requestLog.at,
            sql`(SELECT "at" FROM "request_log" WHERE "org_id" = ${orgId} ORDER BY "at" DESC LIMIT 1 OFFSET ${REQUEST_LOG_SIZE - 1})`,
          ),
        ),
      ),
    );
  }
  await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

/**
 * The org's newest entries: D1's rows plus what this isolate has not written
 * yet, so a caller reading right after its own requests sees them.
 */
export async function recentRequests(db: Db, orgId: string, limit: number): Promise<RequestLogEntry[]> {
  const stored = await db
    .select()
    .from(requestLog)
    .where(eq(requestLog.orgId, orgId))
    .orderBy(desc(requestLog.at), desc(requestLog.seq))
    .limit(limit)
    .all();
  const seen = new Set(stored.map((e) => e.requestId));
  const unwritten = [...inflight, ...pending].filter((e) => e.orgId === orgId && !seen.has(e.requestId));
  return [...stored, ...unwritten].sort((a, b) => b.at - a.at || b.seq - a.seq).slice(0, limit);
}
