import { and, eq, lte } from "drizzle-orm";
import { runBatch } from "../../platform/batch";
import type { BatchItem } from "drizzle-orm/batch";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from "jose";
import type { Env } from "../../env";
import type { Db } from "../../platform/context";
import { nowIso } from "../../platform/ids";
import { decryptPrivateJwk, encryptPrivateJwk, isEncryptedWithCurrentSecret } from "./key-encryption";
import { loadPublishedJwks, publishVerificationKeys, type KeySetRef, type PublicJwk } from "./jwks";
import { oauthSigningKeys } from "../table";

/**
 * RS256 signing keys of an authorization server (the org's, key set "org",
 * or a custom one's, key set = its id), made on first need: an ACTIVE key
 * that signs and a NEXT key published ahead of its use, so that a verifier's
 * cached JWKS already holds the key that signs after the next rotation.
 */
export type KeyEnv = Pick<Env, "DB" | "JWKS_CACHE" | "KEY_ENCRYPTION_SECRET"> & { KEY_ENCRYPTION_SECRET_PREVIOUS?: string };

export type KeyStatus = "ACTIVE" | "NEXT" | "EXPIRED";

export interface SigningKey {
  kid: string;
  key: CryptoKey;
}

/** Longest access token lifetime of any authorization server (custom AS rules allow 24 h, §5.10). */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;
/** Clock skew verifiers allow (tokens.ts); a retired key stays published this much longer. */
const PUBLISH_MARGIN_SECONDS = 300;

/**
 * The ACTIVE key is kept in the isolate for this long. A rotation made in
 * another isolate is picked up within this time; until then this isolate
 * signs with the now-EXPIRED key, which stays published, so its tokens verify.
 */
const SIGNING_CACHE_MS = 60_000;
const signingCache = new Map<string, { key: SigningKey; at: number }>();
const cacheKey = (ref: KeySetRef) => `${ref.orgId}/${ref.keySet}`;

const binding = (ref: KeySetRef, kid: string) => `${ref.orgId}/${ref.keySet}/${kid}`;

type KeyRow = typeof oauthSigningKeys.$inferSelect;

async function newKeyRow(env: KeyEnv, ref: KeySetRef, status: KeyStatus): Promise<KeyRow> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  const publicJwk: PublicJwk = { kty: "RSA", alg: "RS256", use: "sig", kid, e: pub.e!, n: pub.n! };
  const { ciphertext, encryptionKeyId } = await encryptPrivateJwk(env, binding(ref, kid), (await exportJWK(privateKey)) as JsonWebKey);
  const now = nowIso();
  return {
    orgId: ref.orgId,
    keySet: ref.keySet,
    kid,
    status,
    publicJwk,
    privateJwkEncrypted: ciphertext,
    encryptionKeyId,
    created: now,
    lastUpdated: now,
    publishedUntil: null,
  };
}

function rowsOf(db: Db, ref: KeySetRef) {
  return db
    .select()
    .from(oauthSigningKeys)
    .where(and(eq(oauthSigningKeys.orgId, ref.orgId), eq(oauthSigningKeys.keySet, ref.keySet)))
    .all();
}

/**
 * The inserts of a new key set's ACTIVE and NEXT keys, for the batch that
 * creates what owns it (an authorization server): the owner never exists
 * without its keys. Its JWKS is published lazily, from D1, on first use.
 */
export async function newKeySetStatements(db: Db, env: KeyEnv, ref: KeySetRef): Promise<BatchItem<"sqlite">[]> {
  const rows = [await newKeyRow(env, ref, "ACTIVE"), await newKeyRow(env, ref, "NEXT")];
  return rows.map((row) => db.insert(oauthSigningKeys).values(row));
}

/**
 * The key set's rows, making the ACTIVE and NEXT keys when there is no
 * ACTIVE one. Two first requests racing both generate keys; the unique
 * index lets one batch in and fails the other whole, which then re-reads.
 */
export async function ensureKeys(db: Db, env: KeyEnv, ref: KeySetRef): Promise<KeyRow[]> {
  const rows = await rowsOf(db, ref);
  if (rows.some((r) => r.status === "ACTIVE")) return rows;
  const made = [await newKeyRow(env, ref, "ACTIVE")];
  if (!rows.some((r) => r.status === "NEXT")) made.push(await newKeyRow(env, ref, "NEXT"));
  try {
    await runBatch(db, made.map((row) => db.insert(oauthSigningKeys).values(row)));
  } catch (error) {
    if (!/UNIQUE|constraint/i.test(String(error) + String((error as { cause?: unknown }).cause ?? ""))) throw error;
  }
  const after = await rowsOf(db, ref);
  await publishVerificationKeys(env.JWKS_CACHE, ref, await loadPublishedJwks(db, ref));
  return after;
}

const loading = new Map<string, Promise<SigningKey>>();

/** The key that signs now, made on first need; concurrent first requests of an isolate share one load. */
export async function signingKeyFor(db: Db, env: KeyEnv, ref: KeySetRef): Promise<SigningKey> {
  const hit = signingCache.get(cacheKey(ref));
  if (hit && Date.now() - hit.at < SIGNING_CACHE_MS) return hit.key;
  let pending = loading.get(cacheKey(ref));
  if (!pending) {
    pending = loadSigningKey(db, env, ref).finally(() => loading.delete(cacheKey(ref)));
    loading.set(cacheKey(ref), pending);
  }
  return pending;
}

async function loadSigningKey(db: Db, env: KeyEnv, ref: KeySetRef): Promise<SigningKey> {
  const active = (await ensureKeys(db, env, ref)).find((r) => r.status === "ACTIVE");
  if (!active) throw new Error(`no ACTIVE signing key for ${cacheKey(ref)} after creation`);
  const jwk = await decryptPrivateJwk(env, binding(ref, active.kid), active.privateJwkEncrypted, active.encryptionKeyId);
  const key: SigningKey = { kid: active.kid, key: (await importJWK(jwk, "RS256")) as CryptoKey };
  signingCache.set(cacheKey(ref), { key, at: Date.now() });
  return key;
}

/** The public JWKS document of a key set (GET …/v1/keys), made on first need. */
export async function publishedJwks(db: Db, env: KeyEnv, ref: KeySetRef): Promise<{ keys: PublicJwk[] }> {
  const now = nowIso();
  const order = { ACTIVE: 0, NEXT: 1, EXPIRED: 2 } as const;
  const keys = (await ensureKeys(db, env, ref))
    .filter((r) => r.status !== "EXPIRED" || r.publishedUntil === null || r.publishedUntil > now)
    .sort((a, b) => order[a.status] - order[b.status])
    .map((r) => r.publicJwk);
  return { keys };
}

export interface KeyView {
  kid: string;
  status: KeyStatus;
  publicJwk: PublicJwk;
  created: string;
  lastUpdated: string;
  publishedUntil: string | null;
}

/** Every key of the set with its status (for an authorization server's credentials/keys API). */
export async function listKeys(db: Db, env: KeyEnv, ref: KeySetRef): Promise<KeyView[]> {
  const rows = await ensureKeys(db, env, ref);
  const order = { ACTIVE: 0, NEXT: 1, EXPIRED: 2 } as const;
  return rows
    .sort((a, b) => order[a.status] - order[b.status] || b.created.localeCompare(a.created))
    .map((r) => ({
      kid: r.kid,
      status: r.status,
      publicJwk: r.publicJwk,
      created: r.created,
      lastUpdated: r.lastUpdated,
      publishedUntil: r.publishedUntil,
    }));
}

/**
 * ACTIVE → EXPIRED, NEXT → ACTIVE, and a new NEXT, in one batch; signing
 * switches at once in this isolate (others within SIGNING_CACHE_MS). The
 * EXPIRED key stays published for `maxTokenLifetimeSeconds` plus a margin,
 * so every token it signed can still be verified until that token expires;
 * keys past their window are deleted here.
 */
export async function rotateKeys(
  db: Db,
  env: KeyEnv,
  ref: KeySetRef,
  options: { maxTokenLifetimeSeconds?: number } = {},
): Promise<KeyView[]> {
  const rows = await ensureKeys(db, env, ref);
  const lifetime = options.maxTokenLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS;
  const now = new Date();
  const nowText = now.toISOString();
  const publishedUntil = new Date(now.getTime() + (lifetime + PUBLISH_MARGIN_SECONDS) * 1000).toISOString();
  const next = rows.find((r) => r.status === "NEXT") ?? null;
  const fresh = await newKeyRow(env, ref, "NEXT");
  const inSet = and(eq(oauthSigningKeys.orgId, ref.orgId), eq(oauthSigningKeys.keySet, ref.keySet));
  const statements: BatchItem<"sqlite">[] = [
    db
      .delete(oauthSigningKeys)
      .where(and(inSet, eq(oauthSigningKeys.status, "EXPIRED"), lte(oauthSigningKeys.publishedUntil, nowText))),
    db
      .update(oauthSigningKeys)
      .set({ status: "EXPIRED", publishedUntil, lastUpdated: nowText })
      .where(and(inSet, eq(oauthSigningKeys.status, "ACTIVE"))),
  ];
  if (next) {
    statements.push(
      db.update(oauthSigningKeys).set({ status: "ACTIVE", lastUpdated: nowText }).where(and(inSet, eq(oauthSigningKeys.kid, next.kid))),
      db.insert(oauthSigningKeys).values(fresh),
    );
  } else {
    // No NEXT (never the case for keys made here): the fresh key signs at once, and a NEXT follows on next need.
    statements.push(db.insert(oauthSigningKeys).values({ ...fresh, status: "ACTIVE" }));
  }
  await runBatch(db, statements);
  signingCache.delete(cacheKey(ref));
  await publishVerificationKeys(env.JWKS_CACHE, ref, await loadPublishedJwks(db, ref));
  return listKeys(db, env, ref);
}

/**
 * After KEY_ENCRYPTION_SECRET was rotated: re-encrypts every private key of
 * the org still encrypted with KEY_ENCRYPTION_SECRET_PREVIOUS. Returns how
 * many rows changed.
 */
export async function reencryptSigningKeys(db: Db, env: KeyEnv, orgId: string): Promise<number> {
  const rows = await db.select().from(oauthSigningKeys).where(eq(oauthSigningKeys.orgId, orgId)).all();
  const updates: BatchItem<"sqlite">[] = [];
  for (const row of rows) {
    if (await isEncryptedWithCurrentSecret(env, row.encryptionKeyId)) continue;
    const ref = { orgId, keySet: row.keySet };
    const jwk = await decryptPrivateJwk(env, binding(ref, row.kid), row.privateJwkEncrypted, row.encryptionKeyId);
    const { ciphertext, encryptionKeyId } = await encryptPrivateJwk(env, binding(ref, row.kid), jwk);
    updates.push(
      db
        .update(oauthSigningKeys)
        .set({ privateJwkEncrypted: ciphertext, encryptionKeyId })
        .where(and(eq(oauthSigningKeys.orgId, orgId), eq(oauthSigningKeys.keySet, row.keySet), eq(oauthSigningKeys.kid, row.kid))),
    );
  }
  await runBatch(db, updates);
  return updates.length;
}
