import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./context";

/** One statement of a D1 batch. */
export type Statement = BatchItem<"sqlite">;

/**
 * Runs statements as ONE D1 batch (one transaction: all or none), the way
 * every multi-row write goes. drizzle's batch wants a non-empty tuple; an
 * empty list is no write at all. Results come back per statement, in order.
 */
export async function runBatch(db: Db, statements: readonly Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  return db.batch(statements as unknown as [Statement, ...Statement[]]);
}
