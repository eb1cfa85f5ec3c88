import { findOAuthClient } from "../../apps/service";
import type { Db } from "../../platform/context";
import { isRevoked, revokeClientTokens } from "./revocations";

/**
 * Is the client a token was minted for still ACTIVE? Okta: tokens of a
 * deactivated client are permanently invalid (REFERENCE §5.10).
 *
 * Each isolate keeps a client's status for STATUS_TTL_MS and re-reads it
 * (one D1 read, inside the request that finds it stale, shared by concurrent
 * requests) — no read per request in steady state. When it finds the
 * client INACTIVE or deleted, it writes the client's revocation entry
 * (revocations.ts), which makes the refusal permanent and reaches every
 * isolate within the revocation sync interval: tokens the client had stay
 * refused after a reactivation; tokens minted after it are fine.
 *
 * Longest time a deactivated client's token can still pass: STATUS_TTL_MS
 * (5 s) in an isolate that had seen the client active — the same bound as
 * for a revoked token.
 */
export const STATUS_TTL_MS = 5_000;
/** The window in force; tests shorten it to watch it close instead of sleeping through 5 s. */
export const statusWindow = { ms: STATUS_TTL_MS };

interface Status {
  active: boolean;
  at: number;
  pending: Promise<boolean> | null;
}

const statuses = new Map<string, Status>();
const MAX_ENTRIES = 20_000;

export const clientStatusStats = { d1Reads: 0 };

export async function isClientActive(db: Db, orgId: string, clientId: string): Promise<boolean> {
  const key = `${orgId}/${clientId}`;
  let status = statuses.get(key);
  if (status && Date.now() - status.at < statusWindow.ms) return status.active;
  if (!status) {
    if (statuses.size >= MAX_ENTRIES) statuses.clear();
    status = { active: true, at: 0, pending: null };
    statuses.set(key, status);
  }
  const current = status;
  current.pending ??= (async () => {
    clientStatusStats.d1Reads++;
    const client = await findOAuthClient(db, orgId, clientId);
    const active = client?.status === "ACTIVE";
    if (!active && (current.active || current.at === 0)) await revokeClientTokens(db, orgId, clientId);
    current.active = active;
    current.at = Date.now();
    return active;
  })().finally(() => {
    current.pending = null;
  });
  return current.pending;
}

/** A token passes when neither it nor its client was revoked and the client is ACTIVE. */
export async function tokenStillValid(db: Db, orgId: string, claims: { jti: string; cid: string; iat: number }): Promise<boolean> {
  if (await isRevoked(db, orgId, claims)) return false;
  return isClientActive(db, orgId, claims.cid);
}
