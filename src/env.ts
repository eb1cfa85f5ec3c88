/** Bindings, vars and secrets of the worker (wrangler.toml, .dev.vars). */
export interface Env {
  DB: D1Database;
  JWKS_CACHE: KVNamespace;
  /** SSWS token of the default org's super-admin; unset means no SSWS access to the default org. */
  BOOTSTRAP_API_TOKEN?: string;
  /** Bearer token of the operator API under /_edgeorg. Unset: the operator API refuses everyone. */
  OPERATOR_TOKEN?: string;
  /** Secret from which the signing keys' at-rest encryption key is derived. */
  KEY_ENCRYPTION_SECRET?: string;
  /** The previous KEY_ENCRYPTION_SECRET while keys are re-encrypted after a rotation (POST /_edgeorg/keys/reencrypt). */
  KEY_ENCRYPTION_SECRET_PREVIOUS?: string;
  /** Pins the default org's URL (behind a proxy). */
  ORG_URL?: string;
  PASSWORD_HASH_ITERATIONS?: string;
  /** "true": every response carries its request's D1 statement and KV read counts (X-Edgeorg-* headers). Operators only. */
  DEBUG_STORAGE_COUNTS?: string;
}
