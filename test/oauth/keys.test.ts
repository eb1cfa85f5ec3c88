import { env } from "cloudflare:test";
import { SignJWT, generateKeyPair } from "jose";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/platform/errors";
import { decryptPrivateJwk } from "../../src/oauth/crypto/key-encryption";
import { ORG_KEY_SET, jwksStats, kvKey } from "../../src/oauth/crypto/jwks";
import { listKeys, publishedJwks, reencryptSigningKeys, rotateKeys, signingKeyFor } from "../../src/oauth/crypto/keys";
import { revocationStats } from "../../src/oauth/tokens/revocations";
import { clientStatusStats } from "../../src/oauth/tokens/client-status";
import { oauthSigningKeys } from "../../src/oauth/table";
import { call, createOrg, type TestOrg } from "../support/http";
import { getAccessToken, jwtHeader, jwtPayload } from "../support/oauth";
import { testDb } from "./forge";

const jwksOf = async (org: TestOrg) => call("GET", "/oauth2/v1/keys", { orgUrl: org.orgUrl, auth: null });
const ref = (org: TestOrg) => ({ orgId: org.id, keySet: ORG_KEY_SET });

describe("GET /oauth2/v1/keys", () => {
  it("publishes the ACTIVE and the NEXT public keys, cacheable for an hour, nothing private", async () => {
    const org = await createOrg();
    const reply = await jwksOf(org);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("cache-control")).toBe("public, max-age=3600, must-revalidate");
    expect(reply.body.keys).toHaveLength(2);
    for (const key of reply.body.keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
      expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
      // 2048-bit modulus: 256 bytes → 342 base64url characters.
      expect(key.n).toHaveLength(342);
    }
    const token = await getAccessToken(["okta.apps.read"], { org });
    expect(jwtHeader(token.accessToken).kid).toBe(reply.body.keys[0].kid);
  });

  it("needs no credential, and another org has its own keys", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const kidsA = (await jwksOf(a)).body.keys.map((k: any) => k.kid);
    const kidsB = (await jwksOf(b)).body.keys.map((k: any) => k.kid);
    expect(kidsA.filter((kid: string) => kidsB.includes(kid))).toEqual([]);
  });
});

describe("signing keys in D1", () => {
  it("concurrent first requests end with one ACTIVE and one NEXT key", async () => {
    const org = await createOrg();
    const replies = await Promise.all(Array.from({ length: 6 }, () => jwksOf(org)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const keys = await listKeys(testDb(), env, ref(org));
    expect(keys.map((k) => k.status).sort()).toEqual(["ACTIVE", "NEXT"]);
    const kids = new Set(replies.map((r) => r.body.keys[0].kid));
    expect(kids.size).toBe(1);
  });

  it("keeps the private key encrypted (AES-GCM, bound to its org, key set and kid)", async () => {
    const org = await createOrg();
    await jwksOf(org);
    const rows = await testDb().select().from(oauthSigningKeys).where(eq(oauthSigningKeys.orgId, org.id)).all();
    expect(rows).toHaveLength(2);
    const row = rows[0]!;
    expect(row.privateJwkEncrypted).not.toContain('"d"');
    expect(() => JSON.parse(row.privateJwkEncrypted)).toThrow();
    const jwk = await decryptPrivateJwk(env, `${org.id}/org/${row.kid}`, row.privateJwkEncrypted, row.encryptionKeyId);
    expect(jwk).toMatchObject({ kty: "RSA", n: row.publicJwk.n, d: expect.any(String) });
    // Copied to another org or kid, the ciphertext does not decrypt.
    await expect(decryptPrivateJwk(env, `00oOther/org/${row.kid}`, row.privateJwkEncrypted, row.encryptionKeyId)).rejects.toThrow();
    // Another secret cannot decrypt it (its fingerprint does not match).
    await expect(
      decryptPrivateJwk({ KEY_ENCRYPTION_SECRET: "another-secret" }, `${org.id}/org/${row.kid}`, row.privateJwkEncrypted, row.encryptionKeyId),
    ).rejects.toBeInstanceOf(ApiError);
  });

  it("without KEY_ENCRYPTION_SECRET no key can be made: an OAuth server_error naming the secret", async () => {
    const org = await createOrg();
    const error = await signingKeyFor(testDb(), { ...env, KEY_ENCRYPTION_SECRET: undefined }, ref(org)).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
    expect(error.body).toEqual({ error: "server_error", error_description: expect.stringContaining("KEY_ENCRYPTION_SECRET") });
  });

  it("the secret can be rotated: old rows decrypt with KEY_ENCRYPTION_SECRET_PREVIOUS, then are re-encrypted", async () => {
    const org = await createOrg();
    const db = testDb();
    await publishedJwks(db, env, ref(org));
    const rotated = { ...env, KEY_ENCRYPTION_SECRET: "the-new-secret", KEY_ENCRYPTION_SECRET_PREVIOUS: env.KEY_ENCRYPTION_SECRET };
    const key = await signingKeyFor(db, rotated, ref(org));
    expect(key.kid).toEqual(expect.any(String));
    expect(await reencryptSigningKeys(db, rotated, org.id)).toBe(2);
    expect(await reencryptSigningKeys(db, rotated, org.id)).toBe(0);
    const row = await db
      .select()
      .from(oauthSigningKeys)
      .where(and(eq(oauthSigningKeys.orgId, org.id), eq(oauthSigningKeys.kid, key.kid)))
      .get();
    const jwk = await decryptPrivateJwk({ KEY_ENCRYPTION_SECRET: "the-new-secret" }, `${org.id}/org/${key.kid}`, row!.privateJwkEncrypted, row!.encryptionKeyId);
    expect(jwk.d).toEqual(expect.any(String));
  });
});

describe("rotation", () => {
  it("NEXT signs from now on; the old key stays published and its tokens stay valid", async () => {
    const org = await createOrg();
    const before = await getAccessToken(["okta.apps.read"], { org });
    const [active, next] = (await jwksOf(org)).body.keys.map((k: any) => k.kid);
    const keys = await rotateKeys(testDb(), env, ref(org), { maxTokenLifetimeSeconds: 3600 });
    expect(keys.map((k) => [k.status, k.kid])).toEqual([["ACTIVE", next], ["NEXT", expect.any(String)], ["EXPIRED", active]]);
    const expired = keys.find((k) => k.status === "EXPIRED")!;
    expect(Date.parse(expired.publishedUntil!) - Date.now()).toBeGreaterThan(3600 * 1000);

    const after = await getAccessToken(["okta.apps.read"], { org, client: before.client });
    expect(jwtHeader(after.accessToken).kid).toBe(next);
    const published = (await jwksOf(org)).body.keys.map((k: any) => k.kid);
    expect(published).toHaveLength(3);
    expect(published).toContain(active);
    for (const token of [before, after]) {
      expect((await call("GET", "/api/v1/apps", { orgUrl: org.orgUrl, auth: `Bearer ${token.accessToken}` })).status).toBe(200);
    }
  });

  it("a key past its publication window leaves the JWKS, and the next rotation deletes it", async () => {
    const org = await createOrg();
    const [first] = (await jwksOf(org)).body.keys.map((k: any) => k.kid);
    await rotateKeys(testDb(), env, ref(org), { maxTokenLifetimeSeconds: -300 });
    expect((await jwksOf(org)).body.keys.map((k: any) => k.kid)).not.toContain(first);
    await rotateKeys(testDb(), env, ref(org));
    const all = await listKeys(testDb(), env, ref(org));
    expect(all.map((k) => k.kid)).not.toContain(first);
    expect(all.map((k) => k.status)).toEqual(["ACTIVE", "NEXT", "EXPIRED"]);
  });
});

describe("the verifier's key lookup: memory → KV → D1", () => {
  it("writes the JWKS to KV when keys are made", async () => {
    const org = await createOrg();
    const kids = (await jwksOf(org)).body.keys.map((k: any) => k.kid);
    const cached = await env.JWKS_CACHE.get<any[]>(kvKey(ref(org)), "json");
    expect(cached?.map((k) => k.kid)).toEqual(kids);
  });

  it("an unknown kid refreshes at most once per cooldown window, and steady state reads nothing", async () => {
    const org = await createOrg();
    const token = await getAccessToken(["okta.apps.read"], { org });
    const claims = jwtPayload(token.accessToken);
    const { privateKey } = await generateKeyPair("RS256");
    const start = { kv: jwksStats.kvReads, d1: jwksStats.d1Reads };
    for (let i = 0; i < 10; i++) {
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: `unknown-${i}` }).sign(privateKey);
      expect((await call("GET", "/api/v1/apps", { orgUrl: org.orgUrl, auth: `Bearer ${forged}` })).status).toBe(401);
    }
    expect({ kv: jwksStats.kvReads - start.kv, d1: jwksStats.d1Reads - start.d1 }).toEqual({ kv: 1, d1: 1 });

    const warm = { ...jwksStats, revocations: revocationStats.d1Reads, clients: clientStatusStats.d1Reads };
    for (let i = 0; i < 20; i++) {
      expect((await call("GET", "/api/v1/apps", { orgUrl: org.orgUrl, auth: `Bearer ${token.accessToken}` })).status).toBe(200);
    }
    expect({ kv: jwksStats.kvReads, d1: jwksStats.d1Reads }).toEqual({ kv: warm.kvReads, d1: warm.d1Reads });
    // At most one sync each if the 5 s intervals happened to end during the loop.
    expect(revocationStats.d1Reads - warm.revocations).toBeLessThanOrEqual(1);
    expect(clientStatusStats.d1Reads - warm.clients).toBeLessThanOrEqual(1);
  });
});
