// OAuth for Okta: what a scoped access token costs on the management API,
// against the no-op route and an SSWS read of the same resource, plus the
// token endpoint; then the KV and D1 reads the verifier made per request.
import { randomUUID } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";

async function json(response, what) {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A fresh org with a service client granted okta.apps.read, and an assertion for its token endpoint. */
async function arrange(baseUrl, operatorToken) {
  const org = await json(
    await fetch(`${baseUrl}/_edgeorg/orgs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${operatorToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ slug: `bench-oauth-${randomUUID().slice(0, 8)}`, ttlSeconds: 3600 }),
    }),
    "creating the bench org",
  );
  const ssws = { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" };
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const app = await json(
    await fetch(`${org.orgUrl}/api/v1/apps`, {
      method: "POST",
      headers: ssws,
      body: JSON.stringify({
        name: "oidc_client",
        label: "bench service client",
        signOnMode: "OPENID_CONNECT",
        credentials: { oauthClient: { token_endpoint_auth_method: "private_key_jwt" } },
        settings: {
          oauthClient: {
            application_type: "service",
            grant_types: ["client_credentials"],
            response_types: ["token"],
            jwks: { keys: [{ ...jwk, kid, use: "sig", alg: "RS256" }] },
          },
        },
      }),
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
  const token = await json(
    await fetch(tokenUrl, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: tokenForm }),
    "getting a token",
  );
  return { org, app, tokenForm, accessToken: token.access_token };
}

async function stats(baseUrl, operatorToken) {
  const response = await fetch(`${baseUrl}/_edgeorg/oauth/stats`, { headers: { Authorization: `Bearer ${operatorToken}` } });
  return response.ok ? response.json() : undefined;
}

export async function bench({ orgUrl: baseUrl, operatorToken, report }) {
  const { org, app, tokenForm, accessToken } = await arrange(baseUrl, operatorToken);
  const path = `/api/v1/apps/${app.id}`;
  const target = `${org.orgUrl}${path}`;

  const noop = await report.run("GET /_edgeorg/health (no-op, no auth)", { url: `${baseUrl}/_edgeorg/health` });
  const sswsRead = await report.run("GET /api/v1/apps/{id} SSWS", { url: target, headers: { authorization: `SSWS ${org.apiToken}` } });

  const before = await stats(baseUrl, operatorToken);
  const bearerRead = await report.run("GET /api/v1/apps/{id} Bearer (RS256 access token)", {
    url: target,
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const after = await stats(baseUrl, operatorToken);
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

  if (noop) {
    report.ratio("SSWS read / no-op (req/s)", sswsRead && sswsRead.reqPerSec / noop.reqPerSec);
    report.ratio("Bearer read / no-op (req/s; target ≥ 0.70)", bearerRead && bearerRead.reqPerSec / noop.reqPerSec);
    report.ratio("Bearer verification only / no-op (req/s)", authOnly && authOnly.reqPerSec / noop.reqPerSec);
    report.ratio("token endpoint / no-op (req/s)", tokenEndpoint && tokenEndpoint.reqPerSec / noop.reqPerSec);
  }
  if (sswsRead && bearerRead) report.ratio("Bearer read / SSWS read (req/s)", bearerRead.reqPerSec / sswsRead.reqPerSec);
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
  await fetch(`${baseUrl}/_edgeorg/orgs/${org.slug}`, { method: "DELETE", headers: { Authorization: `Bearer ${operatorToken}` } });
}
