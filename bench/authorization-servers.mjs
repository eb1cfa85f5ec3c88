// Custom authorization servers: the token endpoint of the `default` server
// with client_secret_basic and with private_key_jwt, and its JWKS, beside the
// no-op route and the org server's token endpoint (private_key_jwt).
import { randomUUID } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { createBenchOrg, deleteBenchOrg } from "./lib/orgs.mjs";

async function json(response, what) {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function assertionFor(clientId, kid, privateKey, audience) {
  const now = Math.floor(Date.now() / 1000);
  // No jti (as the Okta SDKs send it), so one assertion serves every request of the run.
  return new SignJWT({ aud: audience })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3000)
    .sign(privateKey);
}

async function arrange(baseUrl, operatorToken) {
  const org = await createBenchOrg(baseUrl, operatorToken, { slug: `bench-as-${randomUUID().slice(0, 8)}`, ttlSeconds: 3600 });
  const ssws = { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" };
  const post = (path, body, what) => fetch(`${org.orgUrl}${path}`, { method: "POST", headers: ssws, body: JSON.stringify(body) }).then((r) => json(r, what));

  await post("/api/v1/authorizationServers/default/scopes", { name: "bench:read" }, "creating the scope");
  await post(
    "/api/v1/authorizationServers/default/claims",
    { name: "tenant", claimType: "RESOURCE", valueType: "EXPRESSION", value: "String.toUpperCase(app.clientId)" },
    "creating the claim",
  );
  const secretClient = await post(
    "/oauth2/v1/clients",
    {
      client_name: "bench secret client",
      application_type: "service",
      grant_types: ["client_credentials"],
      response_types: ["token"],
      token_endpoint_auth_method: "client_secret_basic",
    },
    "registering the client_secret_basic client",
  );
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const keyClient = await post(
    "/oauth2/v1/clients",
    {
      client_name: "bench key client",
      application_type: "service",
      grant_types: ["client_credentials"],
      response_types: ["token"],
      token_endpoint_auth_method: "private_key_jwt",
      jwks: { keys: [{ ...jwk, kid, use: "sig", alg: "RS256" }] },
    },
    "registering the private_key_jwt client",
  );
  await post(`/api/v1/apps/${keyClient.client_id}/grants`, { scopeId: "okta.apps.read", issuer: org.orgUrl }, "granting okta.apps.read");

  const customTokenUrl = `${org.orgUrl}/oauth2/default/v1/token`;
  const orgTokenUrl = `${org.orgUrl}/oauth2/v1/token`;
  const jwtForm = (audience, scope) =>
    assertionFor(keyClient.client_id, kid, privateKey, audience).then((assertion) =>
      new URLSearchParams({
        grant_type: "client_credentials",
        scope,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: assertion,
      }).toString(),
    );
  const basic = `Basic ${Buffer.from(`${secretClient.client_id}:${secretClient.client_secret}`).toString("base64")}`;
  const basicForm = new URLSearchParams({ grant_type: "client_credentials", scope: "bench:read" }).toString();
  // Fail early rather than benchmark an error path.
  await json(
    await fetch(customTokenUrl, { method: "POST", headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" }, body: basicForm }),
    "a client_secret_basic token",
  );
  return {
    org,
    customTokenUrl,
    orgTokenUrl,
    basic,
    basicForm,
    customJwtForm: await jwtForm(customTokenUrl, "bench:read"),
    orgJwtForm: await jwtForm(orgTokenUrl, "okta.apps.read"),
  };
}

export async function bench({ orgUrl: baseUrl, operatorToken, report }) {
  const a = await arrange(baseUrl, operatorToken);
  const form = { "content-type": "application/x-www-form-urlencoded" };

  const noop = await report.run("GET /_edgeorg/health (no-op, no auth)", { url: `${baseUrl}/_edgeorg/health` });
  const basic = await report.run("POST /oauth2/default/v1/token (client_secret_basic)", {
    url: a.customTokenUrl,
    method: "POST",
    headers: { ...form, authorization: a.basic },
    body: a.basicForm,
  });
  const jwt = await report.run("POST /oauth2/default/v1/token (private_key_jwt)", {
    url: a.customTokenUrl,
    method: "POST",
    headers: form,
    body: a.customJwtForm,
  });
  const orgJwt = await report.run("POST /oauth2/v1/token (org server, private_key_jwt)", {
    url: a.orgTokenUrl,
    method: "POST",
    headers: form,
    body: a.orgJwtForm,
  });
  const keys = await report.run("GET /oauth2/default/v1/keys", { url: `${a.org.orgUrl}/oauth2/default/v1/keys` });

  if (noop) {
    report.ratio("custom token client_secret_basic / no-op (req/s)", basic && basic.reqPerSec / noop.reqPerSec);
    report.ratio("custom token private_key_jwt / no-op (req/s)", jwt && jwt.reqPerSec / noop.reqPerSec);
    report.ratio("custom keys / no-op (req/s)", keys && keys.reqPerSec / noop.reqPerSec);
  }
  if (jwt && orgJwt) report.ratio("custom / org token endpoint, private_key_jwt (req/s)", jwt.reqPerSec / orgJwt.reqPerSec);
  if (basic && jwt) report.ratio("client_secret_basic / private_key_jwt at the custom server (req/s)", basic.reqPerSec / jwt.reqPerSec);
  await deleteBenchOrg(baseUrl, operatorToken, a.org.slug);
}
