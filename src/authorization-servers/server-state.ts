import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../platform/context";
import type { ClaimRow, PolicyRow, RuleRow, ScopeRow, ServerRow } from "./schema";
import {
  authorizationServerClaims,
  authorizationServerPolicies,
  authorizationServerRules,
  authorizationServerScopes,
  authorizationServers,
} from "./table";

/**
 * What the token-serving endpoints need to know about a server — the row,
 * its scopes, its ACTIVE policies with their ACTIVE rules by priority, its
 * ACTIVE claims (access and ID token) — read in one D1 round trip and kept in the
 * isolate for STATE_TTL_MS.
 *
 * Every management write under /api/v1/authorizationServers/{id} forgets the
 * entry in the isolate that made it, so a change applies there at once; other
 * isolates see it within STATE_TTL_MS (documented bound: a deactivated server,
 * a new policy or a deleted scope reach every isolate within 5 s).
 */
export const STATE_TTL_MS = 5_000;
const MAX_ENTRIES = 5_000;

export interface ServerState {
  server: ServerRow;
  scopes: ScopeRow[];
  policies: { policy: PolicyRow; rules: RuleRow[] }[];
  claims: ClaimRow[];
}

const states = new Map<string, { state: ServerState | null; at: number }>();
const key = (orgId: string, id: string) => `${orgId}/${id}`;

export function forgetServerState(orgId: string, id: string): void {
  states.delete(key(orgId, id));
  jwksDocs.delete(key(orgId, id));
}

async function loadServerState(db: Db, orgId: string, id: string): Promise<ServerState | null> {
  const [servers, scopes, policies, rules, claims] = await db.batch([
    db
      .select()
      .from(authorizationServers)
      .where(and(eq(authorizationServers.orgId, orgId), eq(authorizationServers.id, id))),
    db
      .select()
      .from(authorizationServerScopes)
      .where(and(eq(authorizationServerScopes.orgId, orgId), eq(authorizationServerScopes.authServerId, id))),
    db
      .select()
      .from(authorizationServerPolicies)
      .where(and(eq(authorizationServerPolicies.orgId, orgId), eq(authorizationServerPolicies.authServerId, id), eq(authorizationServerPolicies.status, "ACTIVE")))
      .orderBy(asc(authorizationServerPolicies.priority)),
    db
      .select()
      .from(authorizationServerRules)
      .where(and(eq(authorizationServerRules.orgId, orgId), eq(authorizationServerRules.authServerId, id), eq(authorizationServerRules.status, "ACTIVE")))
      .orderBy(asc(authorizationServerRules.priority)),
    db
      .select()
      .from(authorizationServerClaims)
      .where(
        and(
          eq(authorizationServerClaims.orgId, orgId),
          eq(authorizationServerClaims.authServerId, id),
          eq(authorizationServerClaims.status, "ACTIVE"),
        ),
      )
      .orderBy(asc(authorizationServerClaims.created)),
  ]);
  const server = servers[0];
  if (!server) return null;
  return {
    server,
    scopes,
    policies: policies.map((policy) => ({ policy, rules: rules.filter((r) => r.policyId === policy.id) })),
    claims,
  };
}

/** The server's state (null when there is no such server), from this isolate's copy when fresh. */
export async function serverState(db: Db, orgId: string, id: string): Promise<ServerState | null> {
  const k = key(orgId, id);
  const hit = states.get(k);
  if (hit && Date.now() - hit.at < STATE_TTL_MS) return hit.state;
  const state = await loadServerState(db, orgId, id);
  if (states.size >= MAX_ENTRIES) states.clear();
  states.set(k, { state, at: Date.now() });
  return state;
}

/**
 * The published JWKS document per server, kept in the isolate for
 * JWKS_TTL_MS. Serving a copy that old is safe: the key that signs after a
 * rotation was published (as NEXT) before the rotation, and a rotated-out key
 * stays published for a day; only two rotations within JWKS_TTL_MS could make
 * a copy miss the signing key, for at most that long. keyRotate forgets the
 * copy in its isolate.
 */
export const JWKS_TTL_MS = 10_000;
const jwksDocs = new Map<string, { doc: unknown; at: number }>();

export async function cachedJwks<T>(orgId: string, id: string, load: () => Promise<T>): Promise<T> {
  const k = key(orgId, id);
  const hit = jwksDocs.get(k);
  if (hit && Date.now() - hit.at < JWKS_TTL_MS) return hit.doc as T;
  const doc = await load();
  if (jwksDocs.size >= MAX_ENTRIES) jwksDocs.clear();
  jwksDocs.set(k, { doc, at: Date.now() });
  return doc;
}
