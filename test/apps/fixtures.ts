import { call, type TestOrg } from "../support/http";
import { oidcAppBody } from "../support/oidc-app-body";

// RSA generation is slow on a shared CPU: one key per size per test file, reused under any kid.
const rsaKeys = new Map<number, Promise<JsonWebKey>>();

/** A public RSA JWK of the given size, with a kid (the same modulus for every call of one size). */
export async function rsaJwk(bits = 2048, kid = "key-1"): Promise<JsonWebKey & { kid: string }> {
  if (!rsaKeys.has(bits)) {
    rsaKeys.set(
      bits,
      (async () => {
        const pair = (await crypto.subtle.generateKey(
          { name: "RSASSA-PKCS1-v1_5", modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
          true,
          ["sign", "verify"],
        )) as CryptoKeyPair;
        return (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
      })(),
    );
  }
  const jwk = await rsaKeys.get(bits)!;
  return { kty: "RSA", n: jwk.n, e: jwk.e, kid, use: "sig", alg: "RS256" };
}

export async function ecJwk(curve: "P-256" | "P-384" | "P-521" = "P-256", kid = "ec-1"): Promise<JsonWebKey & { kid: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: curve }, true, ["sign", "verify"])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey;
  return { kty: "EC", crv: curve, x: jwk.x, y: jwk.y, kid };
}

/** A private RSA JWK (d, p, q… included), to prove private keys are refused. */
export async function rsaPrivateJwk(): Promise<JsonWebKey> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  return { ...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey), kid: "private" } as JsonWebKey;
}

/** An OIDC web app body for POST /api/v1/apps. */
export function webAppBody(label = "My web app", overrides: Record<string, unknown> = {}) {
  return oidcAppBody(label, overrides);
}

/** An OIDC service app body with a private_key_jwt key. */
export async function serviceAppBody(label = "My service") {
  return {
    name: "oidc_client",
    label,
    signOnMode: "OPENID_CONNECT",
    credentials: { oauthClient: { token_endpoint_auth_method: "private_key_jwt" } },
    settings: {
      oauthClient: {
        application_type: "service",
        grant_types: ["client_credentials"],
        response_types: ["token"],
        jwks: { keys: [await rsaJwk()] },
      },
    },
  };
}

export interface CallAs {
  auth?: string;
  orgUrl?: string;
}

export async function createWebApp(as: CallAs = {}, label?: string) {
  const reply = await call("POST", "/api/v1/apps", { ...as, body: webAppBody(label) });
  if (reply.status !== 200) throw new Error(`app creation failed: ${reply.status} ${reply.text}`);
  return reply.body;
}

export function asOrg(org: TestOrg): CallAs {
  return { auth: org.ssws, orgUrl: org.orgUrl };
}
