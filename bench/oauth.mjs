// OAuth for Okta: what a scoped access token costs on the management API,
// against the no-op route and an SSWS read of the same resource, plus the
// token endpoint; then the KV and D1 reads the verifier made per request.
import { randomUUID } from "node:crypto";
import { createHash } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { serviceAppBody } from "../scripts/lib/oauth-client.mjs";
import { createBenchOrg, deleteBenchOrg } from "./lib/orgs.mjs";

async function json(response, what) {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A DPoP proof with an ES256 key (cheap to sign in bulk); the token is bound to whichever key proved at /token. */
async function proof(key, { htm, htu, nonce, accessToken }) {
  const payload = { htm, htu, iat: Math.floor(Date.now() / 1000), jti: randomUUID() };
  if (nonce) payload.nonce = nonce;
  if (accessToken) payload.ath = createHash("sha256").update(accessToken).digest("base64url");
  return new SignJWT(payload).setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk: key.publicJwk }).sign(key.privateKey);
}

/**
 * A fresh org with a service client granted okta.apps.read, and an assertion for its token endpoint.
 * With `appAdmin`, the org has "Public client app admins" off and the client is an APP_ADMIN limited
 * to its own app instance (the role step then also looks the app up to check the target).
 */
export async function arrange(baseUrl, operatorToken, { dpop = false, appAdmin = false } = {}) {
  const org = await createBenchOrg(baseUrl, operatorToken, {
    slug: `bench-oauth-${randomUUID().slice(0, 8)}`,
    ttlSeconds: 3600,
    ...(appAdmin ? { settings: { publicClientAppAdmins: false } } : {}),
  });
  const ssws = { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" };
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const app = await json(
    await fetch(`${org.orgUrl}/api/v1/apps`, {
      method: "POST",
      headers: ssws,
      body: JSON.stringify(serviceAppBody({ label: "bench service client", publicJwk: jwk, kid, dpop })),
    }),
    "creating the service app",
  );
  const clientId = app.credentials.oauthClient.client_id;
  await json(
    await fetch(`${org.orgUrl}/api/v1/apps/${app.id}/grants`, {
      method: "POST",
      headers: ssws,
      body: JSON.stringify({ scopeId: "okta.apps.read", issuer: org.orgUrl }),
    }),
    "granting okta.apps.read",
  );
  if (appAdmin) {
    const role = await json(
      await fetch(`${org.orgUrl}/oauth2/v1/clients/${clientId}/roles`, { method: "POST", headers: ssws, body: JSON.stringify({ type: "APP_ADMIN" }) }),
      "assigning APP_ADMIN",
    );
    const target = await fetch(`${org.orgUrl}/oauth2/v1/clients/${clientId}/roles/${role.id}/targets/catalog/apps/oidc_client/${app.id}`, {
      method: "PUT",
      headers: ssws,
    });
    if (target.status !== 204) throw new Error(`targeting the app failed: ${target.status}`);
  }
  const tokenUrl = `${org.orgUrl}/oauth2/v1/token`;
  const now = Math.floor(Date.now() / 1000);
  // Without jti (as the spec allows and Go SDKs send), so one assertion serves every request of the run.
  const assertion = await new SignJWT({ aud: tokenUrl })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3000)
    .sign(privateKey);
  const tokenForm = new URLSearchParams({
    grant_type: "client_credentials",
    scope: "okta.apps.read",
    client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
    client_assertion: assertion,
  }).toString();
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  if (!dpop) {
    const token = await json(await fetch(tokenUrl, { method: "POST", headers: form, body: tokenForm }), "getting a token");
    return { org, app, tokenForm, accessToken: token.access_token };
  }
  const { privateKey: dpopPrivate, publicKey: dpopPublic } = await generateKeyPair("ES256");
  const dpopKey = { privateKey: dpopPrivate, publicJwk: await exportJWK(dpopPublic) };
  const challenge = await fetch(tokenUrl, { method: "POST", headers: { ...form, DPoP: await proof(dpopKey, { htm: "POST", htu: tokenUrl }) }, body: tokenForm });
  const nonce = challenge.headers.get("dpop-nonce");
  const token = await json(
    await fetch(tokenUrl, { method: "POST", headers: { ...form, DPoP: await proof(dpopKey, { htm: "POST", htu: tokenUrl, nonce }) }, body: tokenForm }),
    "getting a DPoP token",
  );
  return { org, app, tokenForm, accessToken: token.access_token, dpopKey };
}

async function stats(baseUrl, operatorToken) {
  const response = await fetch(`${baseUrl}/_edgeorg/oauth/stats`, { headers: { Authorization: `Bearer ${operatorToken}` } });
  return response.ok ? response.json() : undefined;
}

export async function bench({ orgUrl: baseUrl, operatorToken, autocannon, report }) {
  const { org, app, tokenForm, accessToken } = await arrange(baseUrl, operatorToken);
  const path = `/api/v1/apps/${app.id}`;
  const target = `${org.orgUrl}${path}`;

  const noopFirst = await report.run("GET /_edgeorg/health (no-op, no auth)", { url: `${baseUrl}/_edgeorg/health` });
  const sswsRead = await report.run("GET /api/v1/apps/{id} SSWS", { url: target, headers: { authorization: `SSWS ${org.apiToken}` } });

  const before = await stats(baseUrl, operatorToken);
  const bearerRead = await report.run("GET /api/v1/apps/{id} Bearer (RS256 access token)", {
    url: target,
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const after = await stats(baseUrl, operatorToken);
  // The same read by a client whose role is limited to that app: the role step also checks the target.
  let targetedRead;
  if (report.selected("GET /api/v1/apps/{id} Bearer, APP_ADMIN limited to that app")) {
    const limited = await arrange(baseUrl, operatorToken, { appAdmin: true });
    targetedRead = await report.run("GET /api/v1/apps/{id} Bearer, APP_ADMIN limited to that app", {
      url: `${limited.org.orgUrl}/api/v1/apps/${limited.app.id}`,
      headers: { authorization: `Bearer ${limited.accessToken}` },
    });
    await deleteBenchOrg(baseUrl, operatorToken, limited.org.slug);
  }
  // The guard alone: the token is verified in full, then refused for lacking okta.groups.read — no handler, no D1.
  const authOnly = await report.run("GET /api/v1/groups Bearer → 403 (verification only, expected non-2xx)", {
    url: `${org.orgUrl}/api/v1/groups`,
    headers: { authorization: `Bearer ${accessToken}` },
  });

  const tokenEndpoint = await report.run("POST /oauth2/v1/token (private_key_jwt, client_credentials)", {
    url: `${org.orgUrl}/oauth2/v1/token`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: tokenForm,
  });

  // DPoP: every request carries a fresh proof (its jti is written to D1 to refuse replays across isolates).
  let dpopRead;
  if (report.selected("GET /api/v1/apps/{id} DPoP (token + fresh proof per request)")) {
    const bound = await arrange(baseUrl, operatorToken, { dpop: true });
    const url = `${bound.org.orgUrl}/api/v1/apps/${bound.app.id}`;
    const count = 4000;
    const proofs = [];
    for (let i = 0; i < count; i++) proofs.push(await proof(bound.dpopKey, { htm: "GET", htu: url, accessToken: bound.accessToken }));
    let next = 0;
    // Not report.run: its warm-up would spend the proofs. 200 unrecorded requests warm up, the rest are measured.
    const run = (amount) =>
      autocannon({
        url,
        connections: 10,
        amount,
        headers: { authorization: `DPoP ${bound.accessToken}` },
        requests: [{ setupRequest: (request) => ({ ...request, headers: { ...request.headers, dpop: proofs[next++] } }) }],
      });
    console.log("  oauth › GET /api/v1/apps/{id} DPoP (token + fresh proof per request)");
    await run(200);
    dpopRead = report.record("GET /api/v1/apps/{id} DPoP (token + fresh proof per request)", await run(count - 200));
    await deleteBenchOrg(baseUrl, operatorToken, bound.org.slug);
  }

  // The machine's load drifts during a run: the floor is measured again at the end and the ratios use the mean.
  const noopAgain = await report.run("GET /_edgeorg/health (no-op, again at the end)", { url: `${baseUrl}/_edgeorg/health` });
  const noop = noopFirst && noopAgain ? { reqPerSec: (noopFirst.reqPerSec + noopAgain.reqPerSec) / 2 } : noopFirst;
  if (noop) {
    report.ratio("SSWS read / no-op (req/s)", sswsRead && sswsRead.reqPerSec / noop.reqPerSec);
    report.ratio("Bearer read / no-op (req/s; target ≥ 0.70)", bearerRead && bearerRead.reqPerSec / noop.reqPerSec);
    report.ratio("DPoP read / no-op (req/s)", dpopRead && dpopRead.reqPerSec / noop.reqPerSec);
    report.ratio("Bearer verification only / no-op (req/s)", authOnly && authOnly.reqPerSec / noop.reqPerSec);
    report.ratio("token endpoint / no-op (req/s)", tokenEndpoint && tokenEndpoint.reqPerSec / noop.reqPerSec);
  }
  if (sswsRead && bearerRead) report.ratio("Bearer read / SSWS read (req/s)", bearerRead.reqPerSec / sswsRead.reqPerSec);
  if (bearerRead && targetedRead) report.ratio("Bearer read, targeted APP_ADMIN / Bearer read, SUPER_ADMIN (req/s)", targetedRead.reqPerSec / bearerRead.reqPerSec);
  if (bearerRead && before && after) {
    // The warm-up run is counted too: requests of the recorded run are the lower bound of those served.
    const served = bearerRead.requests;
    report.ratio("verifier KV reads per Bearer request (target 0)", (after.jwks.kvReads - before.jwks.kvReads) / served);
    report.ratio("verifier D1 key reads per Bearer request (target 0)", (after.jwks.d1Reads - before.jwks.d1Reads) / served);
    report.ratio(
      "revocation-list D1 reads per Bearer request (one per 5 s per isolate)",
      (after.revocations.d1Reads - before.revocations.d1Reads) / served,
    );
    report.ratio(
      "client-status D1 reads per Bearer request (one per 5 s per client per isolate)",
      (after.clientStatus.d1Reads - before.clientStatus.d1Reads) / served,
    );
  }
  await deleteBenchOrg(baseUrl, operatorToken, org.slug);
}
