import { and, eq } from "drizzle-orm";
import type { Db } from "../platform/context";
import { sha256Hex } from "../platform/ids";
import { appGrants, apps } from "./table";

export type AppRow = typeof apps.$inferSelect;
export type GrantRow = typeof appGrants.$inferSelect;

/** What the org authorization server needs to know about a client. */
export interface OAuthClient {
  appId: string;
  clientId: string;
  name: string;
  status: "ACTIVE" | "INACTIVE";
  applicationType: "web" | "native" | "browser" | "service";
  grantTypes: string[];
  tokenEndpointAuthMethod: "none" | "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "private_key_jwt";
  /** Public keys, each with its kid. */
  jwks: JsonWebKey[];
  clientSecretHash: string | null;
  dpopBoundAccessTokens: boolean;
}

export function toOAuthClient(row: AppRow): OAuthClient {
  return {
    appId: row.id,
    clientId: row.clientId,
    name: row.label,
    status: row.status,
    applicationType: row.applicationType,
    grantTypes: row.grantTypes,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    jwks: row.jwks,
    clientSecretHash: row.clientSecretHash ?? null,
    dpopBoundAccessTokens: row.dpopBoundAccessTokens,
  };
}

/** The client with this client_id in the org, whatever its status (the caller refuses INACTIVE). */
export async function findOAuthClient(db: Db, orgId: string, clientId: string): Promise<OAuthClient | null> {
  const rows = await db
    .select()
    .from(apps)
    .where(and(eq(apps.orgId, orgId), eq(apps.clientId, clientId)))
    .limit(1);
  return rows[0] ? toOAuthClient(rows[0]) : null;
}

/** Compares SHA-256 digests in constant time, so timing says nothing about the stored hash. */
export async function verifyClientSecret(client: OAuthClient, secret: string): Promise<boolean> {
  if (!client.clientSecretHash) return false;
  const presented = await sha256Hex(secret);
  const stored = client.clientSecretHash;
  if (presented.length !== stored.length) return false;
  let diff = 0;
  for (let i = 0; i < stored.length; i++) diff |= presented.charCodeAt(i) ^ stored.charCodeAt(i);
  return diff === 0;
}

/** The okta.* scopes currently granted (ACTIVE grants) to a client for an issuer. */
export async function activeGrantedScopes(db: Db, orgId: string, clientId: string, issuer: string): Promise<string[]> {
  const rows = await db
    .select({ scopeId: appGrants.scopeId })
    .from(appGrants)
    .where(
      and(
        eq(appGrants.orgId, orgId),
        eq(appGrants.clientId, clientId),
        eq(appGrants.issuer, issuer),
        eq(appGrants.status, "ACTIVE"),
      ),
    );
  return [...new Set(rows.map((r) => r.scopeId))];
}
