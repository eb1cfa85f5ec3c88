import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../platform/context";
import { oauthUsedJtis } from "../table";

/**
 * Marks a jti used; false when it was already used. The primary key on
 * (org_id, jti) makes this hold across isolates: of two requests carrying
 * the same jti, exactly one insert succeeds. `exp` (Unix seconds) is when
 * the row stops mattering; expired rows of the org are swept now and then.
 */
export async function useJtiOnce(db: Db, orgId: string, jti: string, exp: number): Promise<boolean> {
  const inserted = await db.insert(oauthUsedJtis).values({ orgId, jti, exp }).onConflictDoNothing().returning({ jti: oauthUsedJtis.jti });
  if (Math.random() < 0.02) {
    await db.delete(oauthUsedJtis).where(and(eq(oauthUsedJtis.orgId, orgId), lt(oauthUsedJtis.exp, Math.floor(Date.now() / 1000))));
  }
  return inserted.length === 1;
}
