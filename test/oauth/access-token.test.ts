import { SignJWT, base64url } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, type Reply, type TestOrg } from "../support/http";
import { clientAssertion, getAccessToken, jwtHeader, jwtPayload, postForm, type Token } from "../support/oauth";
import { STATUS_TTL_MS, statusWindow } from "../../src/oauth/tokens/client-status";
import { forgeAccessToken as forgeFor, type ForgeInput } from "./forge";

/**
 * Access tokens on the management API (REFERENCE §6.5) and the attacks of
 * the OAuth issue, each refused. Every test runs in its own org, so the
 * default org's state cannot make a refusal pass by accident.
 */
let org: TestOrg;
let token: Token;
const READ = "/api/v1/apps";

const get = (auth: string | null, headers: Record<string, string> = {}) => call("GET", READ, { orgUrl: org.orgUrl, auth, headers });

function expectInvalidToken(reply: Reply, description = "The token is invalid.", scope = "okta.apps.read") {
  expect(reply.status).toBe(401);
  expect(reply.body).toMatchObject({ errorCode: "E0000011", errorSummary: "Invalid token provided", errorCauses: [] });
  const challenge = reply.headers.get("www-authenticate") ?? "";
  expect(challenge).toMatch(/^Bearer authorization_uri="/);
  expect(challenge).toContain(`realm="${org.orgUrl}"`);
  expect(challenge).toContain(`scope="${scope}"`);
  expect(challenge).toContain('error="invalid_token"');
  expect(challenge).toContain(`error_description="${description}"`);
}

const enc = (o: object) => base64url.encode(new TextEncoder().encode(JSON.stringify(o)));

beforeAll(async () => {
  org = await createOrg();
  token = await getAccessToken(["okta.apps.read"], { org });
});

/** A token of this org's key for the test client, with the claims given. */
const forgeAccessToken = (orgId: string, input: ForgeInput) =>
  forgeFor(orgId, { clientId: token.client.clientId, subject: token.client.clientId, ...input });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until the token is refused; a deactivation reaches a verifier that saw the client active
 * within the status window, shortened for this file (afterAll puts it back) so the test does
 * not sleep through 5 s.
 */
const WINDOW_MS = 300;
beforeAll(() => {
  statusWindow.ms = WINDOW_MS;
});
afterAll(() => {
  statusWindow.ms = STATUS_TTL_MS;
});
async function refusedWithin(accessToken: string): Promise<Reply> {
  const deadline = Date.now() + statusWindow.ms + 1_500;
  for (;;) {
    const reply = await get(`Bearer ${accessToken}`);
    // A deleted app's roles go with it at once, so until the client status is re-read the role step
    // already refuses (403 E0000006); the token itself is refused (401) once it is.
    const rolesGone = reply.status === 403 && reply.body?.errorCode === "E0000006";
    if ((reply.status !== 200 && !rolesGone) || Date.now() > deadline) return reply;
    await sleep(250);
  }
}

describe("a valid access token", () => {
  it("passes the guard and the route answers", async () => {
    expect((await get(`Bearer ${token.accessToken}`)).status).toBe(200);
  });

  it("is refused on another org (issuer and audience are the org URL)", async () => {
    const other = await createOrg();
    const reply = await call("GET", READ, { orgUrl: other.orgUrl, auth: `Bearer ${token.accessToken}` });
    expect(reply.status).toBe(401);
    expect(reply.headers.get("www-authenticate")).toContain('error_description="The access token provided has an invalid issuer."');
    const root = await call("GET", READ, { auth: `Bearer ${token.accessToken}` });
    expect(root.status).toBe(401);
  });

  it("sent with the SSWS scheme → 401 E0000011", async () => {
    const reply = await get(`SSWS ${token.accessToken}`);
    expect(reply.status).toBe(401);
    expect(reply.body.errorCode).toBe("E0000011");
  });
});

describe("attacks, each refused with 401 E0000011 and the invalid_token challenge", () => {
  it("Bearer undefined, an empty token, garbage", async () => {
    expectInvalidToken(await get("Bearer undefined"));
    expectInvalidToken(await get("Bearer"));
    expectInvalidToken(await get("Bearer a.b.c"));
  });

  it("alg none", async () => {
    const [h, p] = token.accessToken.split(".");
    void h;
    expectInvalidToken(await get(`Bearer ${enc({ alg: "none", kid: jwtHeader(token.accessToken).kid })}.${p}.`));
    expectInvalidToken(await get(`Bearer ${enc({ alg: "none" })}.${p}.`));
  });

  it("HS256 signed with the org's public key as the HMAC secret", async () => {
    const jwks = (await call("GET", "/oauth2/v1/keys", { orgUrl: org.orgUrl, auth: null })).body;
    const pub = jwks.keys[0];
    const claims = jwtPayload(token.accessToken);
    for (const secret of [JSON.stringify(pub), pub.n, base64url.decode(pub.n)]) {
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", kid: pub.kid })
        .sign(typeof secret === "string" ? new TextEncoder().encode(secret) : secret);
      expectInvalidToken(await get(`Bearer ${forged}`));
    }
  });

  it("a kid the org never published, and no kid at all", async () => {
    const claims = jwtPayload(token.accessToken);
    const { privateKey } = await import("jose").then((j) => j.generateKeyPair("RS256"));
    expectInvalidToken(await get(`Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "made-up" }).sign(privateKey)}`));
    expectInvalidToken(await get(`Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: "RS256" }).sign(privateKey)}`));
    // The org's real kid on a token signed by another key: the signature fails.
    const kid = jwtHeader(token.accessToken).kid;
    expectInvalidToken(await get(`Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey)}`));
  });

  it("expired (beyond the 60 s skew), and within the skew still accepted", async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await forgeAccessToken(org.id, { issuer: org.orgUrl, scopes: ["okta.apps.read"], now: now - 3700, lifetimeSeconds: 3600 });
    expectInvalidToken(await get(`Bearer ${expired}`), "The token has expired.");
    const justExpired = await forgeAccessToken(org.id, { issuer: org.orgUrl, scopes: ["okta.apps.read"], now: now - 3620, lifetimeSeconds: 3600 });
    expect((await get(`Bearer ${justExpired}`)).status).toBe(200);
  });

  it("nbf or iat in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    const future = await forgeAccessToken(org.id, { issuer: org.orgUrl, scopes: ["okta.apps.read"], now: now + 600 });
    expectInvalidToken(await get(`Bearer ${future}`));
    const nbf = await forgeAccessToken(org.id, { issuer: org.orgUrl, scopes: ["okta.apps.read"], extraClaims: { nbf: now + 600 } });
    expectInvalidToken(await get(`Bearer ${nbf}`));
  });

  it("wrong iss, wrong aud", async () => {
    const wrongIss = await forgeAccessToken(org.id, { issuer: "https://evil.example", audience: org.orgUrl, scopes: ["okta.apps.read"] });
    expectInvalidToken(await get(`Bearer ${wrongIss}`), "The access token provided has an invalid issuer.");
    const wrongAud = await forgeAccessToken(org.id, { issuer: org.orgUrl, audience: "api://default", scopes: ["okta.apps.read"] });
    expectInvalidToken(await get(`Bearer ${wrongAud}`), "The access token provided is not intended for Okta.");
  });

  it("another org's token, even with this org's iss and aud written in (its key is not this org's)", async () => {
    const other = await createOrg();
    const forged = await forgeAccessToken(other.id, { issuer: org.orgUrl, scopes: ["okta.apps.read"] });
    expectInvalidToken(await get(`Bearer ${forged}`));
  });

  it("a tampered payload (scopes widened) with the original signature", async () => {
    const [h, p, s] = token.accessToken.split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    claims.scp = ["okta.apps.manage"];
    const tampered = `${h}.${enc(claims)}.${s}`;
    expectInvalidToken(await get(`Bearer ${tampered}`));
    expectInvalidToken(await call("POST", READ, { orgUrl: org.orgUrl, auth: `Bearer ${tampered}`, body: {} }), undefined, "okta.apps.manage");
  });

  it("a revoked token", async () => {
    const own = await getAccessToken(["okta.apps.read"], { org });
    expect((await get(`Bearer ${own.accessToken}`)).status).toBe(200);
    const assertion = await clientAssertion(own.client, { audience: `${org.orgUrl}/oauth2/v1/revoke` });
    const revoked = await postForm(org, "/oauth2/v1/revoke", {
      token: own.accessToken,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    });
    expect(revoked.status).toBe(200);
    expectInvalidToken(await get(`Bearer ${own.accessToken}`), "The access token has been revoked.");
  });

  it("a client assertion presented as an access token", async () => {
    // Signed by the client's key (not published by the org), iss = the client: refused before any key lookup.
    const assertion = await clientAssertion(token.client, { audience: org.orgUrl });
    expectInvalidToken(await get(`Bearer ${assertion}`), "The access token provided has an invalid issuer.");
    const disguised = await clientAssertion(token.client, { audience: org.orgUrl, claims: { iss: org.orgUrl } });
    expectInvalidToken(await get(`Bearer ${disguised}`));
  });

  it("an access token without the claims edgeorg relies on (scp)", async () => {
    const forged = await forgeAccessToken(org.id, { issuer: org.orgUrl, scopes: ["okta.apps.read"], extraClaims: {} });
    expect((await get(`Bearer ${forged}`)).status).toBe(200);
    // scp of the wrong type, validly signed:
    const bad = await forgeAccessToken(org.id, { issuer: org.orgUrl, scopes: "okta.apps.read" as unknown as string[] });
    expectInvalidToken(await get(`Bearer ${bad}`));
  });
});

describe("a deactivated or deleted client's tokens", () => {
  it("are refused once the app is deactivated, and stay refused after reactivation", async () => {
    const own = await getAccessToken(["okta.apps.read"], { org });
    expect((await get(`Bearer ${own.accessToken}`)).status).toBe(200);
    const deactivated = await call("POST", `/api/v1/apps/${own.client.clientId}/lifecycle/deactivate`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect(deactivated.status).toBe(200);
    expectInvalidToken(await refusedWithin(own.accessToken), "The access token has been revoked.");
    await call("POST", `/api/v1/apps/${own.client.clientId}/lifecycle/activate`, { orgUrl: org.orgUrl, auth: org.ssws });
    expectInvalidToken(await get(`Bearer ${own.accessToken}`), "The access token has been revoked.");
  }, 15_000);

  it("are refused once the app is deleted", async () => {
    const own = await getAccessToken(["okta.apps.read"], { org });
    expect((await get(`Bearer ${own.accessToken}`)).status).toBe(200);
    const path = `/api/v1/apps/${own.client.clientId}`;
    await call("POST", `${path}/lifecycle/deactivate`, { orgUrl: org.orgUrl, auth: org.ssws });
    expect((await call("DELETE", path, { orgUrl: org.orgUrl, auth: org.ssws })).status).toBe(204);
    expectInvalidToken(await refusedWithin(own.accessToken), "The access token has been revoked.");
  }, 15_000);
});
