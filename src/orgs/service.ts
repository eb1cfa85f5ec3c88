import { eq, getTableColumns, is, lte } from "drizzle-orm";
import { runBatch } from "../platform/batch";
import type { BatchItem } from "drizzle-orm/batch";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../db/schema";
import type { Db } from "../platform/context";
import { validationError } from "../platform/errors";
import { IdPrefix, newId, nowIso, randomBase62 } from "../platform/ids";
import type { NewOrg, Provisioner } from "./provisioner";
import { forgetApiTokens, issueApiToken as issueUserApiToken, newApiToken as newTokenValue, type ApiTokenRow } from "./api-tokens";
import { apiTokens, orgs } from "./table";

export const DEFAULT_ORG_SLUG = "default";
const SLUG = /^[a-z0-9-]{3,40}$/;
const MAX_TTL_SECONDS = 365 * 24 * 3600;

export type OrgRecord = typeof orgs.$inferSelect;

/**
 * Org rows are read on every request, so each isolate keeps them for a short
 * while. Deleting an org clears this isolate's entry at once; other isolates
 * may serve a deleted org for up to ORG_CACHE_MS (documented in the README).
 */
const ORG_CACHE_MS = 30_000;
/** Bound of each look-up cache below; past it the cache starts over (a full clear is cheap and rare). */
const CACHE_MAX_ENTRIES = 10_000;
const orgCache = new Map<string, { org: OrgRecord | null; at: number }>();

export async function findOrgBySlug(db: Db, slug: string): Promise<OrgRecord | null> {
  const hit = orgCache.get(slug);
  if (hit && Date.now() - hit.at < ORG_CACHE_MS) return hit.org;
  const org = (await db.select().from(orgs).where(eq(orgs.slug, slug)).get()) ?? null;
  // Misses are cached too, so random slugs must not grow the map without bound.
  if (orgCache.size >= CACHE_MAX_ENTRIES) orgCache.clear();
  orgCache.set(slug, { org, at: Date.now() });
  return org;
}

/** The default org is made on first need, with every namespace's built-ins. */
export async function ensureDefaultOrg(db: Db, provisioners: readonly Provisioner[]): Promise<OrgRecord> {
  const existing = await findOrgBySlug(db, DEFAULT_ORG_SLUG);
  if (existing) return existing;
  try {
    await insertOrg(db, provisioners, DEFAULT_ORG_SLUG, null, () => []);
  } catch (error) {
    // Another request created it first: its batch won, ours rolled back whole.
    if (!String(error).includes("UNIQUE")) throw error;
  }
  orgCache.delete(DEFAULT_ORG_SLUG);
  const org = await findOrgBySlug(db, DEFAULT_ORG_SLUG);
  if (!org) throw new Error("default org missing after creation");
  return org;
}

export interface CreateOrgInput {
  slug?: unknown;
  ttlSeconds?: unknown;
  settings?: unknown;
  /**
   * A proxy org (proxy/): its mode and the rows that describe its upstream,
   * written in the batch that makes the org. Read by the operator route, so
   * orgs/ imports nothing of proxy/.
   */
  proxy?: { rows: (org: NewOrg) => Promise<BatchItem<"sqlite">[]> };
}

export interface OrgSettings {
  publicClientAppAdmins: boolean;
}

/** `settings` of the operator API: only known fields, each of its type. */
export function readOrgSettings(input: unknown, causes: string[]): Partial<OrgSettings> {
  if (input === undefined || input === null) return {};
  if (typeof input !== "object" || Array.isArray(input)) {
    causes.push("settings: Must be an object");
    return {};
  }
  const out: Partial<OrgSettings> = {};
  for (const [name, value] of Object.entries(input)) {
    if (name !== "publicClientAppAdmins") causes.push(`settings.${name}: Unknown setting`);
    else if (typeof value !== "boolean") causes.push(`settings.${name}: Must be true or false`);
    else out.publicClientAppAdmins = value;
  }
  return out;
}

export function settingsOf(org: OrgRecord): OrgSettings {
  return { publicClientAppAdmins: org.publicClientAppAdmins };
}

/** Operator API: changes an org's settings; the row as it now is. */
export async function updateOrgSettings(db: Db, org: OrgRecord, input: unknown): Promise<OrgRecord> {
  const causes: string[] = [];
  const settings = readOrgSettings(input, causes);
  if (causes.length) throw validationError(causes);
  if (Object.keys(settings).length) await db.update(orgs).set(settings).where(eq(orgs.id, org.id));
  orgCache.delete(org.slug);
  return { ...org, ...settings };
}

/** The slug and expiry asked for, or E0000001 with one cause per bad field. */
function validateOrgInput(input: CreateOrgInput): { slug: string; expiresAt: string | null | undefined; settings: Partial<OrgSettings> } {
  const causes: string[] = [];
  let slug = `org-${randomBase62(10).toLowerCase()}`;
  if (input.slug !== undefined) {
    if (typeof input.slug !== "string" || !SLUG.test(input.slug)) {
      causes.push("slug: Must be 3 to 40 characters of lower-case letters, digits and '-'");
    } else if (input.slug === DEFAULT_ORG_SLUG) {
      causes.push(`slug: '${DEFAULT_ORG_SLUG}' is reserved for the org at the root`);
    } else {
      slug = input.slug;
    }
  }
  // undefined: not asked for (a get-or-create keeps the org's expiry as it is).
  let expiresAt: string | null | undefined;
  if (input.ttlSeconds !== undefined && input.ttlSeconds !== null) {
    const ttl = input.ttlSeconds;
    if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
      causes.push(`ttlSeconds: Must be an integer from 1 to ${MAX_TTL_SECONDS}`);
    } else {
      expiresAt = new Date(Date.now() + ttl * 1000).toISOString();
    }
  }
  const settings = readOrgSettings(input.settings, causes);
  if (causes.length) throw validationError(causes);
  return { slug, expiresAt, settings };
}

/** An SSWS token of the org's built-in super-admin: the row to insert and the token, shown once. */
async function newApiToken(db: Db, org: { id: string; adminUserId: string }, name: string, created: string) {
  const { token: apiToken, tokenHash } = await newTokenValue();
  const row: ApiTokenRow = { orgId: org.id, id: newId(IdPrefix.apiToken), tokenHash, userId: org.adminUserId, name, created };
  return { apiToken, row, insert: () => db.insert(apiTokens).values(row) };
}

const duplicateSlug = (slug: string) => validationError([`slug: An org with slug '${slug}' already exists`]);

/** Operator API: a new org with its own API token, shown once. */
export async function createOrg(db: Db, provisioners: readonly Provisioner[], input: CreateOrgInput) {
  const { slug, expiresAt = null, settings } = validateOrgInput(input);
  if (await findOrgBySlug(db, slug)) throw duplicateSlug(slug);
  let token!: Awaited<ReturnType<typeof newApiToken>>;
  let org: NewOrg;
  try {
    org = await insertOrg(db, provisioners, slug, expiresAt, async (o) => {
      token = await newApiToken(db, { id: o.id, adminUserId: o.adminUserId }, "bootstrap", o.created);
      return [token.insert(), ...(input.proxy ? await input.proxy.rows(o) : [])];
    }, { ...settings, mode: input.proxy ? "proxy" : "mock" });
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw duplicateSlug(slug);
    throw error;
  }
  orgCache.delete(slug);
  return { id: org.id, slug, apiToken: token.apiToken, expiresAt, settings: { publicClientAppAdmins: true, ...settings }, mode: input.proxy ? "proxy" : "mock" };
}

/**
 * Operator API, idempotent: the org with this slug, made when missing (then
 * with its API token, shown once, and `created: true`). An existing org is
 * returned as it is — its token is not shown again (only its hash is kept;
 * issueApiToken makes another) — with its expiry moved when ttlSeconds is
 * given, so a CI job that runs again keeps its branch's org alive.
 */
export async function putOrg(db: Db, provisioners: readonly Provisioner[], input: CreateOrgInput & { slug: string }) {
  const { slug, expiresAt } = validateOrgInput(input);
  const existing = await freshOrg(db, slug);
  if (existing) return { created: false as const, org: await extendOrg(db, existing, expiresAt) };
  try {
    const made = await createOrg(db, provisioners, input);
    return { created: true as const, org: { ...(await freshOrg(db, slug))!, apiToken: made.apiToken } };
  } catch (error) {
    // A concurrent PUT made it first: theirs is the org.
    const raced = await freshOrg(db, slug);
    if (!raced) throw error;
    return { created: false as const, org: await extendOrg(db, raced, expiresAt) };
  }
}

async function freshOrg(db: Db, slug: string): Promise<OrgRecord | null> {
  orgCache.delete(slug);
  return findOrgBySlug(db, slug);
}

async function extendOrg(db: Db, org: OrgRecord, expiresAt: string | null | undefined): Promise<OrgRecord> {
  if (expiresAt === undefined || expiresAt === org.expiresAt) return org;
  await db.update(orgs).set({ expiresAt }).where(eq(orgs.id, org.id)).run();
  orgCache.delete(org.slug);
  return { ...org, expiresAt };
}

/**
 * Operator API: another SSWS API token, shown once — of the org's built-in
 * super-admin (a CI job that finds its branch's org already made), or of the
 * admin user `userId` names: Okta makes API tokens only in its admin console,
 * so this stands in for it (tokens of non-super admins act with their roles).
 * Tokens go with the org. `owner` is the user found for `userId`.
 */
export async function issueApiToken(db: Db, org: OrgRecord, name: unknown, owner?: { id: string }) {
  if (name !== undefined && (typeof name !== "string" || name.length < 1 || name.length > 100)) {
    throw validationError(["name: Must be 1 to 100 characters"]);
  }
  const { row, token } = await issueUserApiToken(db, org.id, owner?.id ?? org.adminUserId, (name as string | undefined) ?? "operator");
  return { id: row.id, name: row.name, userId: row.userId, created: row.created, apiToken: token };
}

/** The org row, every namespace's built-ins and `extra` rows, in one batch. */
async function insertOrg(
  db: Db,
  provisioners: readonly Provisioner[],
  slug: string,
  expiresAt: string | null,
  extra: (org: NewOrg) => BatchItem<"sqlite">[] | Promise<BatchItem<"sqlite">[]>,
  settings: Partial<OrgSettings> & { mode?: OrgRecord["mode"] } = {},
): Promise<NewOrg> {
  const org: NewOrg = { id: newId(IdPrefix.org), slug, adminUserId: newId(IdPrefix.user), created: nowIso() };
  const rows: BatchItem<"sqlite">[] = [db.insert(orgs).values({ ...org, expiresAt, ...settings })];
  for (const provision of provisioners) rows.push(...(await provision(db, org)));
  rows.push(...(await extra(org)));
  await runBatch(db, rows);
  return org;
}

export async function listOrgs(db: Db): Promise<OrgRecord[]> {
  return db.select().from(orgs).orderBy(orgs.created, orgs.id).all();
}

/** Every table with an org_id column: deleting an org empties each of them. */
function orgOwnedTables(): SQLiteTable[] {
  return (Object.values(schema) as unknown[]).filter(
    (value): value is SQLiteTable => is(value, SQLiteTable) && "orgId" in getTableColumns(value),
  );
}

/** Removes the org and every row it owns, in one D1 batch. */
export async function deleteOrg(db: Db, org: OrgRecord): Promise<void> {
  const statements: BatchItem<"sqlite">[] = orgOwnedTables().map((table) => {
    const orgId = getTableColumns(table).orgId!;
    return db.delete(table).where(eq(orgId, org.id));
  });
  statements.push(db.delete(orgs).where(eq(orgs.id, org.id)));
  await runBatch(db, statements);
  orgCache.delete(org.slug);
  forgetApiTokens(org.id);
}

/** The scheduled handler: deletes every org whose expiresAt has passed. */
export async function deleteExpiredOrgs(db: Db, now: Date): Promise<string[]> {
  const expired = await db.select().from(orgs).where(lte(orgs.expiresAt, now.toISOString())).all();
  for (const org of expired) await deleteOrg(db, org);
  return expired.map((org) => org.slug);
}
