import { and, eq } from "drizzle-orm";
import type { Db } from "../../platform/context";
import { kvKey, type KeySetRef } from "./jwks";
import { oauthSigningKeys } from "../table";

/**
 * Removal of a whole key set, for a deleted custom authorization server
 * (added by the authorization-servers namespace next to keys.ts): the
 * statement goes into the caller's batch; the KV copy is dropped after it.
 * Isolates that already hold one of its public keys in memory keep it, which
 * is harmless: the server's issuer is gone, so no token names it any more.
 */
export function deleteKeySetStatement(db: Db, ref: KeySetRef) {
  return db.delete(oauthSigningKeys).where(and(eq(oauthSigningKeys.orgId, ref.orgId), eq(oauthSigningKeys.keySet, ref.keySet)));
}

export async function forgetCachedKeySet(kv: KVNamespace, ref: KeySetRef): Promise<void> {
  await kv.delete(kvKey(ref));
}
