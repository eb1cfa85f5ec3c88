import { base64url } from "jose";
import type { Env } from "../../env";
import { oauthError } from "../../platform/errors";

/**
 * Private signing keys are encrypted at rest with AES-256-GCM. The AES key
 * is derived from the KEY_ENCRYPTION_SECRET secret with HKDF-SHA-256:
 *   salt = UTF-8 "edgeorg/signing-keys/v1"
 *   info = UTF-8 "aes-256-gcm"
 * and each ciphertext is bound to its row by the AES-GCM additional data
 * "<org_id>/<key_set>/<kid>", so a ciphertext copied to another org or key
 * does not decrypt. The IV is 96 random bits per encryption.
 *
 * Rotating the secret: set the new value as KEY_ENCRYPTION_SECRET and the old
 * one as KEY_ENCRYPTION_SECRET_PREVIOUS. Each row records which secret
 * encrypted it (`encryption_key_id`, an HKDF-derived fingerprint that reveals
 * nothing about the secret), so old rows still decrypt while new keys use
 * the new secret. Once every key set has been rotated past the old keys'
 * publication window (rotateKeys), or after re-encrypting with
 * reencryptSigningKeys, KEY_ENCRYPTION_SECRET_PREVIOUS can be removed.
 */
type SecretEnv = Pick<Env, "KEY_ENCRYPTION_SECRET"> & { KEY_ENCRYPTION_SECRET_PREVIOUS?: string };

const SALT = new TextEncoder().encode("edgeorg/signing-keys/v1");
const AES_INFO = new TextEncoder().encode("aes-256-gcm");
const ID_INFO = new TextEncoder().encode("key-id");

interface DerivedKey {
  id: string;
  key: CryptoKey;
}

const derived = new Map<string, Promise<DerivedKey>>();

async function derive(secret: string): Promise<DerivedKey> {
  const ikm = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey", "deriveBits"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: SALT, info: AES_INFO },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  const idBits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: SALT, info: ID_INFO }, ikm, 64);
  return { id: base64url.encode(new Uint8Array(idBits)), key };
}

function derivedFor(secret: string): Promise<DerivedKey> {
  let hit = derived.get(secret);
  if (!hit) {
    hit = derive(secret);
    derived.set(secret, hit);
  }
  return hit;
}

/**
 * Without the secret no signing key can be made or used. That is the
 * operator's mistake, not the client's: an OAuth `server_error` that says
 * which secret is missing, rather than an anonymous 500.
 */
export function missingSecretError() {
  return oauthError(
    500,
    "server_error",
    "The authorization server cannot sign tokens: the KEY_ENCRYPTION_SECRET secret is not set.",
  );
}

function currentSecret(env: SecretEnv): string {
  const secret = env.KEY_ENCRYPTION_SECRET;
  if (!secret) throw missingSecretError();
  return secret;
}

const aad = (binding: string) => new TextEncoder().encode(binding);

export function encryptPrivateJwk(env: SecretEnv, binding: string, jwk: JsonWebKey) {
  return encryptSecret(env, binding, jwk);
}

export function decryptPrivateJwk(env: SecretEnv, binding: string, ciphertext: string, encryptionKeyId: string): Promise<JsonWebKey> {
  return decryptSecret<JsonWebKey>(env, binding, ciphertext, encryptionKeyId);
}

/**
 * Any JSON secret kept at rest the way the signing keys are (a proxy org's
 * upstream credential): the same derived key, bound to its row by `binding`.
 */
export async function encryptSecret(
  env: SecretEnv,
  binding: string,
  jwk: object,
): Promise<{ ciphertext: string; encryptionKeyId: string }> {
  const { id, key } = await derivedFor(currentSecret(env));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(jwk));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(binding) }, key, plaintext));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return { ciphertext: base64url.encode(out), encryptionKeyId: id };
}

export async function decryptSecret<T>(
  env: SecretEnv,
  binding: string,
  ciphertext: string,
  encryptionKeyId: string,
): Promise<T> {
  const candidates = [env.KEY_ENCRYPTION_SECRET, env.KEY_ENCRYPTION_SECRET_PREVIOUS].filter((s): s is string => !!s);
  if (!env.KEY_ENCRYPTION_SECRET) throw missingSecretError();
  for (const secret of candidates) {
    const { id, key } = await derivedFor(secret);
    if (id !== encryptionKeyId) continue;
    const bytes = base64url.decode(ciphertext);
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: aad(binding) },
      key,
      bytes.subarray(12),
    );
    return JSON.parse(new TextDecoder().decode(plaintext)) as T;
  }
  throw oauthError(
    500,
    "server_error",
    "The authorization server cannot sign tokens: its signing key was encrypted with a KEY_ENCRYPTION_SECRET that is no longer configured.",
  );
}

/** True when the row was encrypted with an older secret and should be re-encrypted. */
export async function isEncryptedWithCurrentSecret(env: SecretEnv, encryptionKeyId: string): Promise<boolean> {
  return (await derivedFor(currentSecret(env))).id === encryptionKeyId;
}
