import { eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { importJWK } from "jose";
import type { Env } from "../env";
import { decryptSecret, encryptSecret, isEncryptedWithCurrentSecret } from "../oauth/crypto/key-encryption";
import type { Db } from "../platform/context";
import { nowIso } from "../platform/ids";
import { proxyUpstreams } from "./table";

/**
 * A proxy org's upstream, as the operator API receives it (issue 13's shape):
 *   {"upstreamUrl": "https://…", "apiToken": "…"}
 *   {"upstreamUrl": "https://…", "clientId": "…", "privateJwk": {…}}
 * plus an optional `timeoutMs`. The credential is what the proxy calls the
 * upstream with in gateway mode; it is encrypted before it is stored.
 */
export type UpstreamCredential = { kind: "apiToken"; apiToken: string } | { kind: "privateKey"; clientId: string; privateJwk: JsonWebKey & { kid?: string } };

export interface Upstream {
  orgId: string;
  url: string;
  credential: UpstreamCredential;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_TIMEOUT_MS = 120_000;
const FIELDS = new Set(["upstreamUrl", "apiToken", "clientId", "privateJwk", "timeoutMs"]);

/** The problems of a `proxy` object, one "proxy.<field>: …" each, and the upstream when there are none. */
export async function readProxyInput(input: unknown, causes: string[]): Promise<Omit<Upstream, "orgId"> | null> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    causes.push("proxy: Must be an object with upstreamUrl and a credential");
    return null;
  }
  const body = input as Record<string, unknown>;
  for (const name of Object.keys(body)) if (!FIELDS.has(name)) causes.push(`proxy.${name}: Unknown field`);
  const url = readUpstreamUrl(body.upstreamUrl, causes);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (body.timeoutMs !== undefined) {
    const t = body.timeoutMs;
    if (typeof t !== "number" || !Number.isInteger(t) || t < 100 || t > MAX_TIMEOUT_MS) causes.push(`proxy.timeoutMs: Must be an integer from 100 to ${MAX_TIMEOUT_MS}`);
    else timeoutMs = t;
  }
  const credential = await readCredential(body, causes);
  return url && credential && !causes.length ? { url, credential, timeoutMs } : null;
}

/** https://, or http:// on a loopback address (tests); no credentials, query or fragment; the trailing slash dropped. */
function readUpstreamUrl(value: unknown, causes: string[]): string | null {
  let url: URL;
  try {
    if (typeof value !== "string") throw new Error();
    url = new URL(value);
  } catch {
    causes.push("proxy.upstreamUrl: Must be an absolute URL such as https://example.okta.com");
    return null;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    causes.push("proxy.upstreamUrl: Must use https:// (http:// only on a loopback address)");
    return null;
  }
  if (url.username || url.password || url.search || url.hash) {
    causes.push("proxy.upstreamUrl: Must not carry credentials, a query or a fragment");
    return null;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

async function readCredential(body: Record<string, unknown>, causes: string[]): Promise<UpstreamCredential | null> {
  const { apiToken, clientId, privateJwk } = body;
  if (apiToken !== undefined) {
    if (clientId !== undefined || privateJwk !== undefined) {
      causes.push("proxy: Give either apiToken or clientId with privateJwk, not both");
      return null;
    }
    if (typeof apiToken !== "string" || !/^[\x21-\x7e]{1,200}$/.test(apiToken)) {
      causes.push("proxy.apiToken: Must be 1 to 200 printable ASCII characters");
      return null;
    }
    return { kind: "apiToken", apiToken };
  }
  if (clientId === undefined && privateJwk === undefined) {
    causes.push("proxy: Needs a credential: apiToken, or clientId with privateJwk");
    return null;
  }
  if (typeof clientId !== "string" || !/^[\x21-\x7e]{1,200}$/.test(clientId)) {
    causes.push("proxy.clientId: Must be 1 to 200 printable ASCII characters");
    return null;
  }
  if (typeof privateJwk !== "object" || privateJwk === null || Array.isArray(privateJwk)) {
    causes.push("proxy.privateJwk: Must be an RSA private key as a JWK");
    return null;
  }
  const jwk = privateJwk as JsonWebKey & { kid?: unknown };
  if (jwk.kty !== "RSA" || typeof jwk.d !== "string" || (jwk.kid !== undefined && typeof jwk.kid !== "string")) {
    causes.push("proxy.privateJwk: Must be an RSA private key as a JWK");
    return null;
  }
  try {
    await importJWK({ ...(jwk as JsonWebKey), alg: "RS256" }, "RS256");
  } catch {
    causes.push("proxy.privateJwk: Must be an RSA private key as a JWK");
    return null;
  }
  return { kind: "privateKey", clientId, privateJwk: jwk as JsonWebKey & { kid?: string } };
}

const binding = (orgId: string) => `${orgId}/proxy/upstream`;

/**
 * The insert of a new proxy org's upstream, its credential encrypted, to run
 * in the org's creation batch. In an array: a bare drizzle query is
 * thenable, and an async function returning it would run it.
 */
export async function upstreamRows(db: Db, env: Env, orgId: string, upstream: Omit<Upstream, "orgId">): Promise<BatchItem<"sqlite">[]> {
  const secret = upstream.credential.kind === "apiToken" ? { apiToken: upstream.credential.apiToken } : { privateJwk: upstream.credential.privateJwk };
  const { ciphertext, encryptionKeyId } = await encryptSecret(env, binding(orgId), secret);
  return [db.insert(proxyUpstreams).values({
    orgId,
    upstreamUrl: upstream.url,
    credentialKind: upstream.credential.kind,
    clientId: upstream.credential.kind === "privateKey" ? upstream.credential.clientId : null,
    credentialEncrypted: ciphertext,
    encryptionKeyId,
    timeoutMs: upstream.timeoutMs,
    created: nowIso(),
  })];
}

/** What the operator API shows of an upstream: never the credential. */
export function upstreamView(row: typeof proxyUpstreams.$inferSelect) {
  return {
    upstreamUrl: row.upstreamUrl,
    credential: row.credentialKind,
    ...(row.clientId ? { clientId: row.clientId } : {}),
    timeoutMs: row.timeoutMs,
  };
}

export async function findUpstreamRow(db: Db, orgId: string) {
  return (await db.select().from(proxyUpstreams).where(eq(proxyUpstreams.orgId, orgId)).get()) ?? null;
}

/**
 * A proxy org's upstream, credential decrypted, kept in the isolate like the
 * org row (30 s): it is read on every forwarded request. The org's deletion
 * forgets it here at once (forgetUpstream).
 */
const UPSTREAM_CACHE_MS = 30_000;
const cache = new Map<string, { upstream: Upstream; at: number }>();

export async function upstreamOf(db: Db, env: Env, orgId: string): Promise<Upstream> {
  const hit = cache.get(orgId);
  if (hit && Date.now() - hit.at < UPSTREAM_CACHE_MS) return hit.upstream;
  const row = await findUpstreamRow(db, orgId);
  if (!row) throw new Error(`proxy org ${orgId} has no upstream`);
  const secret = await decryptSecret<{ apiToken?: string; privateJwk?: JsonWebKey & { kid?: string } }>(
    env,
    binding(orgId),
    row.credentialEncrypted,
    row.encryptionKeyId,
  );
  const credential: UpstreamCredential =
    row.credentialKind === "apiToken" ? { kind: "apiToken", apiToken: secret.apiToken! } : { kind: "privateKey", clientId: row.clientId!, privateJwk: secret.privateJwk! };
  const upstream = { orgId, url: row.upstreamUrl, credential, timeoutMs: row.timeoutMs };
  if (cache.size >= 10_000) cache.clear();
  cache.set(orgId, { upstream, at: Date.now() });
  return upstream;
}

export function forgetUpstream(orgId: string): void {
  cache.delete(orgId);
}

/**
 * After KEY_ENCRYPTION_SECRET was rotated (POST /_edgeorg/keys/reencrypt):
 * the org's upstream credential encrypted again with the current secret.
 * 1 when it was re-encrypted, else 0.
 */
export async function reencryptUpstream(db: Db, env: Env, orgId: string): Promise<number> {
  const row = await findUpstreamRow(db, orgId);
  if (!row || (await isEncryptedWithCurrentSecret(env, row.encryptionKeyId))) return 0;
  const secret = await decryptSecret<object>(env, binding(orgId), row.credentialEncrypted, row.encryptionKeyId);
  const { ciphertext, encryptionKeyId } = await encryptSecret(env, binding(orgId), secret);
  await db.update(proxyUpstreams).set({ credentialEncrypted: ciphertext, encryptionKeyId }).where(eq(proxyUpstreams.orgId, orgId));
  return 1;
}
