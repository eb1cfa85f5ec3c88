import { SignJWT, importJWK } from "jose";
import { randomBase62 } from "../platform/ids";
import type { Upstream } from "./config";
import { UpstreamError } from "./upstream-error";

/**
 * What the proxy sends upstream as `Authorization` in gateway mode: its SSWS
 * token, or an OAuth-for-Okta access token of its service app
 * (client_credentials with a private_key_jwt assertion, REFERENCE §6.3).
 * Tokens are minted per scope — the one the route needs — so each call
 * carries the least the upstream grants, and kept in the isolate until a
 * little before they expire; a 401 from the upstream drops the token
 * (forgetUpstreamToken) and the caller mints once more.
 */
const EXPIRY_MARGIN_SECONDS = 30;
const tokens = new Map<string, { token: string; exp: number }>();

export async function upstreamAuthorization(upstream: Upstream, scope: string): Promise<string> {
  if (upstream.credential.kind === "apiToken") return `SSWS ${upstream.credential.apiToken}`;
  const key = `${upstream.orgId}|${scope}`;
  const now = Math.floor(Date.now() / 1000);
  const hit = tokens.get(key);
  if (hit && hit.exp - EXPIRY_MARGIN_SECONDS > now) return `Bearer ${hit.token}`;
  const minted = await mintUpstreamToken(upstream, scope, now);
  if (tokens.size >= 10_000) tokens.clear();
  tokens.set(key, minted);
  return `Bearer ${minted.token}`;
}

export function forgetUpstreamToken(upstream: Upstream, scope: string): void {
  tokens.delete(`${upstream.orgId}|${scope}`);
}

/** Upstream token requests, for tests and the benchmark. */
export const upstreamTokenStats = { minted: 0 };

async function mintUpstreamToken(upstream: Upstream, scope: string, now: number): Promise<{ token: string; exp: number }> {
  if (upstream.credential.kind !== "privateKey") throw new Error("not an OAuth credential");
  const { clientId, privateJwk } = upstream.credential;
  const tokenUrl = `${upstream.url}/oauth2/v1/token`;
  const key = await importJWK({ ...privateJwk, alg: "RS256" }, "RS256");
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256", ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti(randomBase62(32))
    .sign(key);
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    scope,
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  });
  let response: Response;
  try {
    upstreamTokenStats.minted++;
    response = await fetch(tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: form,
      signal: AbortSignal.timeout(upstream.timeoutMs),
    });
  } catch (error) {
    throw UpstreamError.from(error, upstream);
  }
  const body = await response.json<{ access_token?: string; token_type?: string; expires_in?: number }>().catch(() => ({}) as Record<string, undefined>);
  // What the upstream said stays out of the answer and the log: it may echo the assertion.
  if (!response.ok || !body.access_token || body.token_type !== "Bearer") throw UpstreamError.credentialRefused();
  return { token: body.access_token, exp: now + (typeof body.expires_in === "number" ? body.expires_in : 300) };
}
