import { assignmentDeletesForApp } from "./assignment-cleanup";
import { afterCreated } from "../platform/paging";
import { and, asc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import { runBatch } from "../platform/batch";
import type { Db } from "../platform/context";
import { validationError, Errors } from "../platform/errors";
import type { AttributeSpec } from "../platform/filter";
import { IdPrefix, newId, nowIso, randomBase62, sha256Hex } from "../platform/ids";
import { refreshTokenDeletesForClient } from "../oauth/tokens/refresh-tokens";
import { consentGrantDeletesForClient } from "../oauth/authorize/consent-grants";
import { insertAssignmentIfAbsent, newAssignment, roleDeletesForAssignee, roleDeletesForTarget } from "../access/roles/store";
import { refreshTokenSettings, SECRET_METHODS, type AuthMethod, type ClientSettings } from "./client-settings";
import { appGrants, apps } from "./table";

export * from "./client-settings";
export { isOktaScope } from "./okta-scopes";

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
  responseTypes: string[];
  redirectUris: string[];
  /** `wildcard_redirect: SUBDOMAIN`: a `*` in the lowest host label of a redirect URI matches one label. */
  wildcardRedirect: boolean;
  pkceRequired: boolean;
  /** TRUSTED (apps API default) or REQUIRED (DCR default): whether users are asked to consent (REFERENCE-SIGNIN §4.6). */
  consentMethod: "REQUIRED" | "TRUSTED";
  /** settings.oauthClient.refresh_token, defaults filled. */
  refreshToken: { rotationType: "ROTATE" | "STATIC"; leeway: number };
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
    responseTypes: row.responseTypes,
    redirectUris: row.redirectUris,
    wildcardRedirect: row.metadata.wildcard_redirect === "SUBDOMAIN",
    pkceRequired: row.pkceRequired,
    consentMethod: row.consentMethod === "REQUIRED" ? "REQUIRED" : "TRUSTED",
    refreshToken: refreshTokenSettings(row.applicationType, row.metadata),
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

/**
 * The client and the okta.* scopes it is granted for `issuer` (its ACTIVE
 * grants) in one statement: the token endpoint needs both, and one D1
 * round trip instead of two is most of its storage cost.
 */
export async function findOAuthClientWithGrants(
  db: Db,
  orgId: string,
  clientId: string,
  issuer: string,
): Promise<{ client: OAuthClient; grantedScopes: string[] } | null> {
  const granted = sql<string>`(SELECT json_group_array(DISTINCT ${appGrants.scopeId}) FROM ${appGrants} WHERE ${appGrants.orgId} = ${orgId} AND ${appGrants.clientId} = ${clientId} AND ${appGrants.issuer} = ${issuer} AND ${appGrants.status} = 'ACTIVE')`;
  const rows = await db
    .select({ app: apps, granted })
    .from(apps)
    .where(and(eq(apps.orgId, orgId), eq(apps.clientId, clientId)))
    .limit(1);
  const row = rows[0];
  return row ? { client: toOAuthClient(row.app), grantedScopes: JSON.parse(row.granted) as string[] } : null;
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

// ---------------------------------------------------------------------------
// Apps and their clients: the rows behind /api/v1/apps and /oauth2/v1/clients

/** Okta generates 64-character secrets; anything ≥ 40 random characters meets the brief. */
const SECRET_LENGTH = 64;
/** A supplied client_id (POST /api/v1/apps only): REFERENCE §3.1. */
const CLIENT_ID = /^[A-Za-z0-9$\-_.+!*'(),]{6,100}$/;

export function newClientSecret(): string {
  return randomBase62(SECRET_LENGTH);
}

function settingsColumns(s: ClientSettings) {
  return {
    label: s.clientName,
    clientName: s.clientName,
    applicationType: s.applicationType,
    grantTypes: s.grantTypes,
    responseTypes: s.responseTypes,
    redirectUris: s.redirectUris,
    postLogoutRedirectUris: s.postLogoutRedirectUris,
    tokenEndpointAuthMethod: s.tokenEndpointAuthMethod,
    jwks: s.jwks,
    dpopBoundAccessTokens: s.dpopBoundAccessTokens,
    pkceRequired: s.pkceRequired,
    consentMethod: s.consentMethod,
    issuerMode: s.issuerMode,
    metadata: s.metadata,
  };
}

/** The settings of a stored app, e.g. to compare with a replacement. */
export function settingsOf(row: AppRow): ClientSettings {
  return {
    clientName: row.label,
    applicationType: row.applicationType,
    grantTypes: row.grantTypes,
    responseTypes: row.responseTypes,
    redirectUris: row.redirectUris,
    postLogoutRedirectUris: row.postLogoutRedirectUris,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    jwks: row.jwks,
    dpopBoundAccessTokens: row.dpopBoundAccessTokens,
    pkceRequired: row.pkceRequired,
    consentMethod: row.consentMethod as ClientSettings["consentMethod"],
    issuerMode: row.issuerMode,
    metadata: row.metadata,
  };
}

/** Problems with a supplied client_id / client_secret (POST/PUT /api/v1/apps). */
export function suppliedCredentialProblems(method: AuthMethod, clientId?: string, clientSecret?: string): string[] {
  const problems: string[] = [];
  if (clientId !== undefined) {
    if (!CLIENT_ID.test(clientId)) {
      problems.push("client_id: Must be 6 to 100 characters of letters, digits and $-_.+!*'(),");
    } else if (clientId === "ALL_CLIENTS") {
      problems.push("client_id: 'ALL_CLIENTS' is a reserved word");
    }
  }
  if (clientSecret !== undefined) {
    if (!SECRET_METHODS.has(method)) {
      problems.push(`client_secret: A client secret is not allowed with the token endpoint auth method '${method}'`);
    } else if (!/^[\x20-\x7e]{14,100}$/.test(clientSecret)) {
      problems.push("client_secret: Must be 14 to 100 printable ASCII characters");
    } else if (method === "client_secret_jwt" && clientSecret.length < 32) {
      problems.push("client_secret: Must be at least 32 characters for the 'client_secret_jwt' token endpoint auth method");
    }
  }
  return problems;
}

export interface CreateAppInput {
  settings: ClientSettings;
  /** Supplied on POST /api/v1/apps only; otherwise the app id. */
  clientId?: string;
  clientSecret?: string;
  active: boolean;
}

/** A new app; the secret (when its auth method takes one) is returned once and stored hashed. */
export async function createApp(db: Db, orgId: string, input: CreateAppInput): Promise<{ app: AppRow; clientSecret: string | null }> {
  const id = newId(IdPrefix.app);
  const clientId = input.clientId ?? id;
  if (input.clientId !== undefined && (await findAppByClientId(db, orgId, input.clientId))) {
    throw Errors.alreadyExists("client_id");
  }
  const clientSecret = SECRET_METHODS.has(input.settings.tokenEndpointAuthMethod) ? (input.clientSecret ?? newClientSecret()) : null;
  const now = nowIso();
  const row: AppRow = {
    orgId,
    id,
    name: "oidc_client",
    status: input.active ? "ACTIVE" : "INACTIVE",
    signOnMode: "OPENID_CONNECT",
    clientId,
    ...settingsColumns(input.settings),
    clientSecretHash: clientSecret === null ? null : await sha256Hex(clientSecret),
    created: now,
    lastUpdated: now,
    clientIdIssuedAt: Math.floor(Date.parse(now) / 1000),
  };
  try {
    await db.insert(apps).values(row);
  } catch (error) {
    // Two creations racing for the same supplied client_id: the unique index decides.
    if (String(error).includes("UNIQUE")) {
      throw Errors.alreadyExists("client_id");
    }
    throw error;
  }
  return { app: row, clientSecret };
}

/**
 * Full replacement of the settings (PUT). The secret: a supplied one is set;
 * otherwise an app that already had a secret-based method keeps its secret
 * (only its hash exists, so it is not returned); one that newly needs a
 * secret gets a fresh one, returned once; one that no longer needs it loses it.
 */
export async function replaceApp(
  db: Db,
  existing: AppRow,
  settings: ClientSettings,
  options: { clientSecret?: string } = {},
): Promise<{ app: AppRow; clientSecret: string | null }> {
  let clientSecret: string | null = null;
  let clientSecretHash: string | null = null;
  if (SECRET_METHODS.has(settings.tokenEndpointAuthMethod)) {
    if (options.clientSecret !== undefined) {
      clientSecret = options.clientSecret;
      clientSecretHash = await sha256Hex(clientSecret);
    } else if (existing.clientSecretHash) {
      clientSecretHash = existing.clientSecretHash;
    } else {
      clientSecret = newClientSecret();
      clientSecretHash = await sha256Hex(clientSecret);
    }
  }
  const changes = { ...settingsColumns(settings), clientSecretHash, lastUpdated: nowIso() };
  await db.update(apps).set(changes).where(and(eq(apps.orgId, existing.orgId), eq(apps.id, existing.id)));
  return { app: { ...existing, ...changes }, clientSecret };
}

/** A new secret for a client_secret_basic/post client; the old one stops working at once. */
export async function rotateClientSecret(db: Db, existing: AppRow): Promise<{ app: AppRow; clientSecret: string }> {
  const clientSecret = newClientSecret();
  const changes = { clientSecretHash: await sha256Hex(clientSecret), lastUpdated: nowIso() };
  await db.update(apps).set(changes).where(and(eq(apps.orgId, existing.orgId), eq(apps.id, existing.id)));
  return { app: { ...existing, ...changes }, clientSecret };
}

/** Activates or deactivates the app; deactivation kills its refresh tokens in the same batch (its access tokens die through client-status.ts). */
export async function setAppStatus(db: Db, existing: AppRow, status: AppRow["status"]): Promise<AppRow> {
  if (existing.status === status) return existing;
  const changes = { status, lastUpdated: nowIso() };
  await runBatch(db, [
    db.update(apps).set(changes).where(and(eq(apps.orgId, existing.orgId), eq(apps.id, existing.id))),
    ...(status === "INACTIVE" ? refreshTokenDeletesForClient(db, existing.orgId, existing.clientId) : []),
  ]);
  return { ...existing, ...changes };
}

/** Deletes the app with its grants, assignments, refresh tokens, users' consents, its client's admin roles and its place in APP_ADMIN targets, in one batch. */
export async function deleteApp(db: Db, existing: AppRow): Promise<void> {
  await runBatch(db, [
    db.delete(apps).where(and(eq(apps.orgId, existing.orgId), eq(apps.id, existing.id))),
    ...assignmentDeletesForApp(db, existing.orgId, existing.id),
    db.delete(appGrants).where(and(eq(appGrants.orgId, existing.orgId), eq(appGrants.appId, existing.id))),
    ...roleDeletesForAssignee(db, existing.orgId, "CLIENT", existing.clientId),
    ...roleDeletesForTarget(db, existing.orgId, { kind: "APP", appId: existing.id }),
    ...refreshTokenDeletesForClient(db, existing.orgId, existing.clientId),
    ...consentGrantDeletesForClient(db, existing.orgId, existing.clientId),
  ]);
}

export async function findApp(db: Db, orgId: string, appId: string): Promise<AppRow | null> {
  return (await db.select().from(apps).where(and(eq(apps.orgId, orgId), eq(apps.id, appId))).get()) ?? null;
}

export async function findAppByClientId(db: Db, orgId: string, clientId: string): Promise<AppRow | null> {
  return (await db.select().from(apps).where(and(eq(apps.orgId, orgId), eq(apps.clientId, clientId))).get()) ?? null;
}

export interface AppListQuery {
  /** startsWith on the label (= client_name), case-insensitive. */
  q?: string;
  /** /api/v1/apps: `q` also matches the app name (oidc_client). */
  qOnName?: boolean;
  /** A compiled filter condition over appFilterAttributes. */
  where?: SQL;
  limit: number;
  /** Keyset cursor: [created, id] of the last row of the previous page. */
  after?: (string | number | null)[];
  /** Only these apps, by instance or catalog name: an APP_ADMIN limited to targets (REFERENCE-SIGNIN §7.1). */
  within?: { appIds: Iterable<string>; appNames: Iterable<string> };
}

/** Apps by creation time (oldest first), fetching limit + 1 rows so the caller knows if a next page exists. */
export async function listApps(db: Db, orgId: string, query: AppListQuery): Promise<AppRow[]> {
  const conditions: SQL[] = [eq(apps.orgId, orgId)];
  if (query.q !== undefined && query.q !== "") {
    const prefix = query.q.toLowerCase();
    const onLabel = sql`substr(lower(${apps.label}), 1, ${prefix.length}) = ${prefix}`;
    conditions.push(query.qOnName ? or(onLabel, sql`substr(lower(${apps.name}), 1, ${prefix.length}) = ${prefix}`)! : onLabel);
  }
  if (query.where) conditions.push(query.where);
  if (query.within) conditions.push(or(inArray(apps.id, [...query.within.appIds]), inArray(apps.name, [...query.within.appNames]))!);
  if (query.after) {
    const [created, id] = query.after.map(String) as [string, string];
    conditions.push(afterCreated(apps, created, id));
  }
  return db
    .select()
    .from(apps)
    .where(and(...conditions))
    .orderBy(asc(apps.created), asc(apps.id))
    .limit(query.limit + 1)
    .all();
}

/** The attributes `filter` may name on GET /api/v1/apps (REFERENCE §7.4), eq only. */
export const appFilterAttributes: Record<string, AttributeSpec> = {
  id: { column: apps.id, type: "string", ops: ["eq"] },
  status: { column: apps.status, type: "string", ops: ["eq"] },
  name: { column: apps.name, type: "string", ops: ["eq"] },
};

// ---------------------------------------------------------------------------
// Grants (REFERENCE §3.2)

export type GrantActor = { id: string; type: string };

/** Grants of an app, oldest first (the list is not paged). */
export async function listGrants(db: Db, orgId: string, appId: string): Promise<GrantRow[]> {
  return db
    .select()
    .from(appGrants)
    .where(and(eq(appGrants.orgId, orgId), eq(appGrants.appId, appId)))
    .orderBy(asc(appGrants.created), asc(appGrants.id))
    .all();
}

export async function findGrant(db: Db, orgId: string, appId: string, grantId: string): Promise<GrantRow | null> {
  return (
    (await db
      .select()
      .from(appGrants)
      .where(and(eq(appGrants.orgId, orgId), eq(appGrants.appId, appId), eq(appGrants.id, grantId)))
      .get()) ?? null
  );
}

/**
 * Grants an okta.* scope. A scope already granted (ACTIVE, same issuer) is
 * refused with E0000001: Okta answers a repeated grant with an error too.
 */
export async function createGrant(
  db: Db,
  app: AppRow,
  input: { scopeId: string; issuer: string; createdBy: GrantActor; publicClientAppAdmins: boolean },
): Promise<GrantRow> {
  const existing = await db
    .select({ id: appGrants.id })
    .from(appGrants)
    .where(
      and(
        eq(appGrants.orgId, app.orgId),
        eq(appGrants.appId, app.id),
        eq(appGrants.scopeId, input.scopeId),
        eq(appGrants.issuer, input.issuer),
        eq(appGrants.status, "ACTIVE"),
      ),
    )
    .get();
  if (existing) {
    throw validationError([`scopeId: The scope '${input.scopeId}' has already been granted to this app (grant ${existing.id})`]);
  }
  const now = nowIso();
  const row: GrantRow = {
    orgId: app.orgId,
    id: newId(IdPrefix.grant),
    appId: app.id,
    clientId: app.clientId,
    scopeId: input.scopeId,
    issuer: input.issuer,
    status: "ACTIVE",
    source: "ADMIN",
    createdBy: input.createdBy,
    created: now,
    lastUpdated: now,
  };
  // "Public client app admins" (REFERENCE-SIGNIN §8.5): a service app granted an okta.* scope becomes
  // SUPER_ADMIN (every grant is of an okta.* scope), as a real assignment, so its roles list says what it may do. The setting acts at
  // the grant: turning it off later leaves the assignments made while it was on.
  const autoAdmin = input.publicClientAppAdmins && app.applicationType === "service";
  await db.batch([
    db.insert(appGrants).values(row),
    ...(autoAdmin ? [insertAssignmentIfAbsent(db, newAssignment(app.orgId, "CLIENT", app.clientId, "SUPER_ADMIN"))] : []),
  ]);
  return row;
}

/** Revokes a grant: the row goes, so activeGrantedScopes stops returning its scope at once. */
export async function deleteGrant(db: Db, grant: GrantRow): Promise<void> {
  await db.delete(appGrants).where(and(eq(appGrants.orgId, grant.orgId), eq(appGrants.id, grant.id)));
}
