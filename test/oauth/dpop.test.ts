import { calculateJwkThumbprint } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, type Reply, type TestOrg } from "../support/http";
import { dpopProof, getAccessToken, jwtPayload, newKeyPair, registerServiceClient, requestToken, type ServiceClient, type Token } from "../support/oauth";

/** DPoP (RFC 9449, REFERENCE §6.6) at the token endpoint and on the management API. */
let org: TestOrg;
let client: ServiceClient;
let tokenUrl: string;

beforeAll(async () => {
  org = await createOrg();
  client = await registerServiceClient(org, { scopes: ["okta.apps.read"], dpop: true });
  tokenUrl = `${org.orgUrl}/oauth2/v1/token`;
});

function expectOAuthError(reply: Reply, status: number, error: string, description?: string) {
  expect({ status: reply.status, error: reply.body?.error }).toEqual({ status, error });
  if (description) expect(reply.body.error_description).toBe(description);
}

async function nonce(): Promise<string> {
  const first = await requestToken(client, { scopes: ["okta.apps.read"], headers: { DPoP: await dpopProof(client.key, { htm: "POST", htu: tokenUrl }) } });
  expectOAuthError(first, 400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.");
  return first.headers.get("dpop-nonce")!;
}

describe("the token endpoint for a DPoP-bound client", () => {
  it("challenges for a nonce, then issues a DPoP token bound to the proof's key", async () => {
    const value = await nonce();
    expect(value).toMatch(/^\d+\.[\w-]+$/);
    const reply = await requestToken(client, {
      scopes: ["okta.apps.read"],
      headers: { DPoP: await dpopProof(client.key, { htm: "POST", htu: tokenUrl, nonce: value }) },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.token_type).toBe("DPoP");
    const { kid: _kid, use: _use, alg: _alg, ...jwk } = client.key.publicJwk;
    void _kid, _use, _alg;
    expect(jwtPayload(reply.body.access_token).cnf).toEqual({ jkt: await calculateJwkThumbprint(jwk) });
  });

  it("a proof key other than the client's own is fine: the token is bound to the proof's key", async () => {
    const other = await newKeyPair("ES256");
    const value = await nonce();
    const reply = await requestToken(client, { scopes: ["okta.apps.read"], headers: { DPoP: await dpopProof(other, { htm: "POST", htu: tokenUrl, nonce: value }) } });
    expect(reply.status).toBe(200);
    const { kid: _k, use: _u, alg: _a, ...jwk } = other.publicJwk;
    void _k, _u, _a;
    expect(jwtPayload(reply.body.access_token).cnf.jkt).toBe(await calculateJwkThumbprint(jwk));
  });

  it("no DPoP header → 400 invalid_dpop_proof", async () => {
    expectOAuthError(await requestToken(client, { scopes: ["okta.apps.read"] }), 400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
  });

  it("a made-up nonce → use_dpop_nonce again", async () => {
    const reply = await requestToken(client, {
      scopes: ["okta.apps.read"],
      headers: { DPoP: await dpopProof(client.key, { htm: "POST", htu: tokenUrl, nonce: `${Math.floor(Date.now() / 86400000)}.forged` }) },
    });
    expectOAuthError(reply, 400, "use_dpop_nonce");
    expect(reply.headers.get("dpop-nonce")).toBeTruthy();
  });

  it("bad proofs → 400 invalid_dpop_proof", async () => {
    const value = await nonce();
    const cases: [Promise<string>, string][] = [
      [dpopProof(client.key, { htm: "GET", htu: tokenUrl, nonce: value }), "'htm' claim in the DPoP proof JWT is invalid."],
      [dpopProof(client.key, { htm: "POST", htu: `${org.orgUrl}/oauth2/v1/keys`, nonce: value }), "'htu' claim in the DPoP proof JWT is invalid."],
      [dpopProof(client.key, { htm: "POST", htu: tokenUrl, nonce: value, iat: Math.floor(Date.now() / 1000) - 600 }), "The DPoP proof JWT is issued more than five minutes in the past."],
      [dpopProof(client.key, { htm: "POST", htu: tokenUrl, nonce: value, iat: Math.floor(Date.now() / 1000) + 600 }), "The DPoP proof JWT is issued in the future."],
      [dpopProof(client.key, { htm: "POST", htu: tokenUrl, nonce: value }, { typ: "JWT" }), "The DPoP proof JWT header 'typ' must be 'dpop+jwt'."],
      [Promise.resolve("garbage"), "The DPoP proof JWT cannot be parsed."],
    ];
    for (const [proof, description] of cases) {
      expectOAuthError(await requestToken(client, { scopes: ["okta.apps.read"], headers: { DPoP: await proof } }), 400, "invalid_dpop_proof", description);
    }
    // A proof whose signature is not by the key in its header.
    const proof = await dpopProof(client.key, { htm: "POST", htu: tokenUrl, nonce: value });
    const other = await dpopProof(await newKeyPair(), { htm: "POST", htu: tokenUrl, nonce: value });
    const spliced = [other.split(".")[0], proof.split(".")[1], proof.split(".")[2]].join(".");
    expectOAuthError(await requestToken(client, { scopes: ["okta.apps.read"], headers: { DPoP: spliced } }), 400, "invalid_dpop_proof", "The DPoP proof JWT signature is invalid.");
  });

  it("a replayed token-endpoint proof → 400 invalid_dpop_proof", async () => {
    const value = await nonce();
    const proof = await dpopProof(client.key, { htm: "POST", htu: tokenUrl, nonce: value });
    expect((await requestToken(client, { scopes: ["okta.apps.read"], headers: { DPoP: proof } })).status).toBe(200);
    expectOAuthError(
      await requestToken(client, { scopes: ["okta.apps.read"], headers: { DPoP: proof } }),
      400,
      "invalid_dpop_proof",
      "The DPoP proof JWT has already been used.",
    );
  });

  it("a client without dpop_bound_access_tokens: its DPoP header is ignored and it gets a Bearer token", async () => {
    const plain = await registerServiceClient(org, { scopes: ["okta.apps.read"] });
    const reply = await requestToken(plain, { scopes: ["okta.apps.read"], headers: { DPoP: await dpopProof(plain.key, { htm: "POST", htu: tokenUrl }) } });
    expect(reply.status).toBe(200);
    expect(reply.body.token_type).toBe("Bearer");
    expect(jwtPayload(reply.body.access_token).cnf).toBeUndefined();
    // Even a broken one.
    expect((await requestToken(plain, { scopes: ["okta.apps.read"], headers: { DPoP: "garbage" } })).status).toBe(200);
  });
});

describe("DPoP tokens on the management API", () => {
  let token: Token;
  const path = "/api/v1/apps";
  let url: string;

  beforeAll(async () => {
    token = await getAccessToken(["okta.apps.read"], { org, client });
    url = `${org.orgUrl}${path}`;
  });

  const get = (auth: string, headers: Record<string, string>, query = "") => call("GET", path + query, { orgUrl: org.orgUrl, auth, headers });

  function expectDpopFailure(reply: Reply, error: string, description: string) {
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ errorCode: error, errorSummary: description });
    const challenge = reply.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^DPoP algs="RS256 RS384 RS512 ES256 ES384 ES512", /);
    expect(challenge).toContain(`error="${error}"`);
    expect(challenge).toContain(`error_description="${description}"`);
  }

  it("DPoP scheme + a fresh proof with ath passes; the query is not part of htu", async () => {
    const proof = await dpopProof(client.key, { htm: "GET", htu: url, accessToken: token.accessToken });
    expect((await get(`DPoP ${token.accessToken}`, { DPoP: proof }, "?limit=5")).status).toBe(200);
  });

  it("a replayed proof → 400 invalid_dpop_proof", async () => {
    const proof = await dpopProof(client.key, { htm: "GET", htu: url, accessToken: token.accessToken });
    expect((await get(`DPoP ${token.accessToken}`, { DPoP: proof })).status).toBe(200);
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, { DPoP: proof }), "invalid_dpop_proof", "The DPoP proof JWT has already been used.");
  });

  it("a proof for another URL, another method, or another org", async () => {
    const other = await dpopProof(client.key, { htm: "GET", htu: `${org.orgUrl}/api/v1/users`, accessToken: token.accessToken });
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, { DPoP: other }), "invalid_dpop_proof", "'htu' claim in the DPoP proof JWT is invalid.");
    const root = await dpopProof(client.key, { htm: "GET", htu: `https://edgeorg.test${path}`, accessToken: token.accessToken });
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, { DPoP: root }), "invalid_dpop_proof", "'htu' claim in the DPoP proof JWT is invalid.");
    const post = await dpopProof(client.key, { htm: "POST", htu: url, accessToken: token.accessToken });
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, { DPoP: post }), "invalid_dpop_proof", "'htm' claim in the DPoP proof JWT is invalid.");
  });

  it("ath of another token, or none", async () => {
    const wrong = await dpopProof(client.key, { htm: "GET", htu: url, accessToken: "another-token" });
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, { DPoP: wrong }), "invalid_dpop_proof", "'ath' claim in the DPoP proof does not match the presented access_token.");
    const none = await dpopProof(client.key, { htm: "GET", htu: url });
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, { DPoP: none }), "invalid_dpop_proof", "'ath' claim in the DPoP proof does not match the presented access_token.");
  });

  it("a proof by a key the token is not bound to (a stolen token)", async () => {
    const thief = await newKeyPair();
    const proof = await dpopProof(thief, { htm: "GET", htu: url, accessToken: token.accessToken });
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, { DPoP: proof }), "invalid_dpop_proof", "The access_token is not bound to the provided DPoP proof.");
  });

  it("no proof → 400 invalid_request", async () => {
    expectDpopFailure(await get(`DPoP ${token.accessToken}`, {}), "invalid_request", "The resource request requires a DPoP proof.");
  });

  it("a DPoP-bound token with the Bearer scheme → 400 invalid_request", async () => {
    expectDpopFailure(
      await get(`Bearer ${token.accessToken}`, {}),
      "invalid_request",
      "The resource request must use the DPoP authentication scheme when using a DPoP bound token.",
    );
  });

  it("a Bearer token with the DPoP scheme → 401 invalid_token 'not DPoP bound'", async () => {
    const bearer = await getAccessToken(["okta.apps.read"], { org });
    const proof = await dpopProof(bearer.client.key, { htm: "GET", htu: url, accessToken: bearer.accessToken });
    const reply = await get(`DPoP ${bearer.accessToken}`, { DPoP: proof });
    expect(reply.status).toBe(401);
    expect(reply.body.errorCode).toBe("E0000011");
    expect(reply.headers.get("www-authenticate")).toContain('error_description="The presented access_token is not DPoP bound."');
  });

  it("missing scope with a DPoP token → 403 with the DPoP challenge", async () => {
    const proof = await dpopProof(client.key, { htm: "POST", htu: url, accessToken: token.accessToken });
    const reply = await call("POST", path, { orgUrl: org.orgUrl, auth: `DPoP ${token.accessToken}`, headers: { DPoP: proof }, body: {} });
    expect(reply.status).toBe(403);
    expect(reply.text).toBe("");
    expect(reply.headers.get("www-authenticate")).toMatch(/^DPoP algs=.*error="insufficient_scope"/);
  });
});
