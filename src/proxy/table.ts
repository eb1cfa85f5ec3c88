import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The upstream of a proxy org (orgs.mode = "proxy"): the real Okta org it
 * stands in front of and the credential the proxy calls it with in gateway
 * mode. The credential (an SSWS token, or a service app's private JWK) is
 * encrypted like the signing keys (oauth/crypto/key-encryption.ts, bound to
 * "<org_id>/proxy/upstream") and never leaves the worker.
 */
export const proxyUpstreams = sqliteTable("proxy_upstreams", {
  orgId: text("org_id").primaryKey(),
  /** The upstream org's URL, no trailing slash: https://, or http:// on a loopback address. */
  upstreamUrl: text("upstream_url").notNull(),
  /** apiToken (SSWS) | privateKey (OAuth for Okta: private_key_jwt client_credentials). */
  credentialKind: text("credential_kind", { enum: ["apiToken", "privateKey"] }).notNull(),
  /** The upstream service app's client id (privateKey only). */
  clientId: text("client_id"),
  credentialEncrypted: text("credential_encrypted").notNull(),
  encryptionKeyId: text("encryption_key_id").notNull(),
  /** How long the proxy waits for the upstream's status line before answering 504. */
  timeoutMs: integer("timeout_ms").notNull(),
  created: text("created").notNull(),
});
