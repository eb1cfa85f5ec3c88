import { OrgWriteCache } from "../../platform/org-write-cache";
import type { Holder } from "./holdings";
import type { Permissions } from "./enforce";

/**
 * The role step's per-isolate cache: what an actor's roles allow
 * (REFERENCE-SIGNIN §8.4), by org and holder, so that a warm management
 * call pays no D1 statement for it. Lifetime HOLDINGS_TTL_MS; the writing
 * isolate voids the org's entries once a write that may change what someone
 * holds has answered (access/config-writes.ts).
 * Another isolate sees the change within HOLDINGS_TTL_MS, as it sees a
 * deactivated client's.
 */
export const HOLDINGS_TTL_MS = 5_000;
const permissions = new OrgWriteCache<Permissions>(HOLDINGS_TTL_MS);

export function cachedPermissions(orgId: string, holder: Holder, load: () => Promise<Permissions>): Promise<Permissions> {
  return permissions.get(orgId, "userId" in holder ? `u/${holder.userId}` : `c/${holder.clientId}`, load);
}
