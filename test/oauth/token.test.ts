import { SignJWT, base64url, createLocalJWKSet, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import {
  DEFAULT_ORG,
  JWT_BEARER,
  clientAssertion,
  grantScopes,
  jwtHeader,
  jwtPayload,
  newKeyPair,
  postForm,
  registerServiceClient,
  requestToken,
  type ServiceClient,
} from "../support/oauth";

const TOKEN_URL = `${DEFAULT_ORG.orgUrl}/oauth2/v1/token`;

function expectOAuthError(reply: { status: number; body: any }, status: number, error: string, description?: string) {
  expect({ status: reply.status, error: reply.body?.error }).toEqual({ status, error });
  if (description !== undefined) expect(reply.body.error_description).toBe(description);
  expectOktaSchema(reply.body, "oauth:OAuthError");
}

let client: ServiceClient;

beforeAll(async () => {
  client = await registerServiceClient(DEFAULT_ORG, { scopes: ["okta.users.read", "okta.groups.manage"] });
});

describe("POST /oauth2/v1/token, client_credentials with private_key_jwt (REFERENCE §6.1, §6.4)", () => {
  it("issues a Bearer token for the granted scopes, with Okta's claims, signed by a published key", async () => {
    const reply = await requestToken(client, { scopes: ["okta.users.read", "okta.groups.manage"] });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("cache-control")).toBe("no-store");
    expect(reply.body).toEqual({
      token_type: "Bearer",
      expires_in: 3600,
      access_token: expect.any(String),
      scope: "okta.users.read okta.groups.manage",
    });
    expectOktaSchema(reply.body, "oauth:TokenResponseOrgAs");
    const header = jwtHeader(reply.body.access_token);
    expect(header.alg).toBe("RS256");
    expect(header.kid).toEqual(expect.any(String));
    const claims = jwtPayload(reply.body.access_token);
    expect(claims).toEqual({
      ver: 1,
      jti: expect.stringMatching(/^AT\./),
      iss: DEFAULT_ORG.orgUrl,
      aud: DEFAULT_ORG.orgUrl,
      sub: client.clientId,
      cid: client.clientId,
      iat: expect.any(Number),
      exp: claims.iat + 3600,
      scp: ["okta.users.read", "okta.groups.manage"],
    });
    const jwks = (await call("GET", "/oauth2/v1/keys", { auth: null })).body;
    expectOktaSchema(jwks, "oauth:OAuthKeys");
    const { payload } = await jwtVerify(reply.body.access_token, createLocalJWKSet(jwks), {
      issuer: DEFAULT_ORG.orgUrl,
      audience: DEFAULT_ORG.orgUrl,
      algorithms: ["RS256"],
    });
    expect(payload.cid).toBe(client.clientId);
  });

  it("accepts the Okta SDK's assertion exactly: no jti, kid from the key", async () => {
    const reply = await requestToken(client, { scopes: ["okta.users.read"], claims: { jti: undefined } });
    expect(reply.status).toBe(200);
    // Without jti, the same assertion may be used twice (nothing to make single-use).
    const assertion = await clientAssertion(client, { claims: { jti: undefined } });
    const form = { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: JWT_BEARER, client_assertion: assertion };
    expect((await postForm(DEFAULT_ORG, "/oauth2/v1/token", form)).status).toBe(200);
    expect((await postForm(DEFAULT_ORG, "/oauth2/v1/token", form)).status).toBe(200);
  });

  it("accepts an assertion without kid (the key is found by trying the client's keys) and an ES256 key", async () => {
    expect((await requestToken(client, { scopes: ["okta.users.read"], header: { kid: undefined } })).status).toBe(200);
    const ec = await registerServiceClient(DEFAULT_ORG, { scopes: ["okta.users.read"], key: await newKeyPair("ES256") });
    expect((await requestToken(ec, { scopes: ["okta.users.read"] })).status).toBe(200);
  });

  it("accepts client_id in the body when it names the assertion's client", async () => {
    expect((await requestToken(client, { scopes: ["okta.users.read"], form: { client_id: client.clientId } })).status).toBe(200);
  });
});

describe("scopes at the org authorization server (§6.1, §6.3)", () => {
  it("drops ungranted scopes silently", async () => {
    const reply = await requestToken(client, { scopes: ["okta.users.read", "okta.apps.manage", "okta.groups.manage"] });
    expect(reply.status).toBe(200);
    expect(reply.body.scope).toBe("okta.users.read okta.groups.manage");
    expect(jwtPayload(reply.body.access_token).scp).toEqual(["okta.users.read", "okta.groups.manage"]);
  });

  it("none granted → 400 consent_required", async () => {
    expectOAuthError(await requestToken(client, { scopes: ["okta.apps.read"] }), 400, "consent_required", "You are not allowed any of the requested scopes.");
  });

  it("no scope → 400 invalid_scope", async () => {
    expectOAuthError(await requestToken(client, { scopes: [] }), 400, "invalid_scope", "No scopes were requested.");
    const assertion = await clientAssertion(client);
    expectOAuthError(
      await postForm(DEFAULT_ORG, "/oauth2/v1/token", { grant_type: "client_credentials", client_assertion_type: JWT_BEARER, client_assertion: assertion }),
      400,
      "invalid_scope",
    );
  });

  it(".self scopes → 400 client_credentials_self_scope_requested", async () => {
    expectOAuthError(
      await requestToken(client, { scopes: ["okta.users.read", "okta.users.read.self"] }),
      400,
      "client_credentials_self_scope_requested",
      "The 'client_credentials' grant type may not request .self scopes.",
    );
  });

  it("openid scopes and scopes the org authorization server does not know → 400 invalid_scope", async () => {
    expectOAuthError(await requestToken(client, { scopes: ["openid", "okta.users.read"] }), 400, "invalid_scope");
    expectOAuthError(await requestToken(client, { scopes: ["api:read"] }), 400, "invalid_scope");
  });

  it("a revoked grant is no longer in new tokens", async () => {
    const fresh = await registerServiceClient(DEFAULT_ORG, {});
    const [grant] = await grantScopes(fresh, ["okta.apps.read"]);
    expect((await requestToken(fresh, { scopes: ["okta.apps.read"] })).status).toBe(200);
    const deleted = await call("DELETE", `/api/v1/apps/${fresh.clientId}/grants/${grant.id}`);
    expect(deleted.status).toBe(204);
    expectOAuthError(await requestToken(fresh, { scopes: ["okta.apps.read"] }), 400, "consent_required");
  });
});

describe("which clients may use client_credentials at the org authorization server (§6.1)", () => {
  it("a non-service app → 401 invalid_client", async () => {
    const web = await registerServiceClient(DEFAULT_ORG, {
      settings: { application_type: "web", grant_types: ["authorization_code", "client_credentials"], response_types: ["code"], redirect_uris: ["https://app.example/cb"] },
    });
    expectOAuthError(
      await requestToken(web, { scopes: ["okta.users.read"] }),
      401,
      "invalid_client",
      "Only clients with 'application_type' of 'service' may use the client_credentials 'grant_type' with the Org Authorization Server.",
    );
  });

  it("a service app authenticating with a client secret → 401 invalid_client", async () => {
    const reply = await call("POST", "/api/v1/apps", {
      body: {
        name: "oidc_client",
        label: "secret-svc",
        signOnMode: "OPENID_CONNECT",
        credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic" } },
        settings: { oauthClient: { application_type: "service", grant_types: ["client_credentials"], response_types: ["token"] } },
      },
    });
    expect(reply.status).toBe(200);
    const { client_id, client_secret } = reply.body.credentials.oauthClient;
    await grantScopes({ org: DEFAULT_ORG, clientId: client_id }, ["okta.users.read"]);
    const basic = `Basic ${btoa(`${client_id}:${client_secret}`)}`;
    const ok = await postForm(DEFAULT_ORG, "/oauth2/v1/token", { grant_type: "client_credentials", scope: "okta.users.read" }, { Authorization: basic });
    expectOAuthError(
      ok,
      401,
      "invalid_client",
      "Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.",
    );
    const wrong = await postForm(DEFAULT_ORG, "/oauth2/v1/token", { grant_type: "client_credentials", scope: "okta.users.read" }, {
      Authorization: `Basic ${btoa(`${client_id}:not-the-secret`)}`,
    });
    expectOAuthError(wrong, 401, "invalid_client", "The client secret supplied for a confidential client is invalid.");
    // The secret client presenting an assertion: not its registered method.
    const assertion = await clientAssertion({ ...client, clientId: client_id });
    expectOAuthError(
      await postForm(DEFAULT_ORG, "/oauth2/v1/token", { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: JWT_BEARER, client_assertion: assertion }),
      401,
      "invalid_client",
    );
  });

  it("an inactive or unknown client → 401 invalid_client", async () => {
    const gone = await registerServiceClient(DEFAULT_ORG, { scopes: ["okta.users.read"] });
    // Served once first: the deactivation must reach a client the isolate already keeps.
    expect((await requestToken(gone, { scopes: ["okta.users.read"] })).status).toBe(200);
    expect((await call("POST", `/api/v1/apps/${gone.clientId}/lifecycle/deactivate`)).status).toBe(200);
    expectOAuthError(await requestToken(gone, { scopes: ["okta.users.read"] }), 401, "invalid_client");
    expectOAuthError(await requestToken({ ...client, clientId: "0oaUnknownClient0000" }, { scopes: ["okta.users.read"] }), 401, "invalid_client");
  });

  it("a grant type the org authorization server does not serve → 400 unsupported_grant_type", async () => {
    const reply = await requestToken(client, { scopes: ["okta.users.read"], form: { grant_type: "implicit" } });
    expectOAuthError(reply, 400, "unsupported_grant_type");
  });
});

describe("the request itself (§5.9)", () => {
  it("grant_type missing → 400 invalid_request; unknown → 400 unsupported_grant_type", async () => {
    const assertion = await clientAssertion(client);
    const missing = await postForm(DEFAULT_ORG, "/oauth2/v1/token", { scope: "okta.users.read", client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expectOAuthError(missing, 400, "invalid_request");
    expect(missing.body.error_description).toMatch(/^The token request must specify a 'grant_type'/);
    expectOAuthError(await requestToken(client, { scopes: ["okta.users.read"], form: { grant_type: "urn:example:nope" } }), 400, "unsupported_grant_type");
  });

  it("a body that is not form-encoded → 400 invalid_request", async () => {
    const reply = await call("POST", "/oauth2/v1/token", { auth: null, body: { grant_type: "client_credentials" } });
    expectOAuthError(reply, 400, "invalid_request");
  });

  it("a repeated parameter → 400 invalid_request", async () => {
    const assertion = await clientAssertion(client);
    const body = `grant_type=client_credentials&scope=okta.users.read&scope=okta.groups.read&client_assertion_type=${encodeURIComponent(JWT_BEARER)}&client_assertion=${assertion}`;
    const reply = await call("POST", "/oauth2/v1/token", { auth: null, body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expectOAuthError(reply, 400, "invalid_request");
  });

  it("no client credentials → 401 invalid_client", async () => {
    expectOAuthError(
      await postForm(DEFAULT_ORG, "/oauth2/v1/token", { grant_type: "client_credentials", scope: "okta.users.read" }),
      401,
      "invalid_client",
      "No client credentials found",
    );
  });

  it("more than one credential style → 400 invalid_request", async () => {
    const multiple =
      "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body.";
    const withBasic = await requestToken(client, { scopes: ["okta.users.read"], headers: { Authorization: `Basic ${btoa(`${client.clientId}:x`)}` } });
    expectOAuthError(withBasic, 400, "invalid_request", multiple);
    const withSecret = await requestToken(client, { scopes: ["okta.users.read"], form: { client_id: client.clientId, client_secret: "x" } });
    expectOAuthError(withSecret, 400, "invalid_request", multiple);
  });
});

describe("client assertion checks (§6.2)", () => {
  const scopes = ["okta.users.read"];

  it("client_assertion_type other than the jwt-bearer URN → 400 invalid_request", async () => {
    expectOAuthError(
      await requestToken(client, { scopes, form: { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" } }),
      400,
      "invalid_request",
      "The client_assertion_type is invalid.",
    );
  });

  it("an assertion that does not parse", async () => {
    expectOAuthError(await requestToken(client, { scopes, form: { client_assertion: "not.a-jwt" } }), 401, "invalid_client", "The parsing of the client_assertion failed.");
    expectOAuthError(await requestToken(client, { scopes, form: { client_assertion: "abc" } }), 401, "invalid_client", "The parsing of the client_assertion failed.");
  });

  it("alg none, and HS256 (only for client_secret_jwt) → signature algorithm is invalid", async () => {
    const enc = (o: object) => base64url.encode(new TextEncoder().encode(JSON.stringify(o)));
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: client.clientId, sub: client.clientId, aud: TOKEN_URL, iat: now, exp: now + 300 };
    const none = `${enc({ alg: "none" })}.${enc(claims)}.`;
    expectOAuthError(await requestToken(client, { scopes, form: { client_assertion: none } }), 401, "invalid_client", "The client_assertion JWT signature algorithm is invalid.");
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("x".repeat(40)));
    expectOAuthError(await requestToken(client, { scopes, form: { client_assertion: hs } }), 401, "invalid_client", "The client_assertion JWT signature algorithm is invalid.");
  });

  it("iss or sub not the client", async () => {
    expectOAuthError(
      await requestToken(client, { scopes, claims: { iss: "0oaSomeoneElse000000" } }),
      401,
      "invalid_client",
      "The issuer claim for client_assertion is not a valid client_id.",
    );
    expectOAuthError(
      await requestToken(client, { scopes, claims: { sub: "0oaSomeoneElse000000" } }),
      401,
      "invalid_client",
      "The subject claim for client_assertion is not a valid client_id.",
    );
    expectOAuthError(await requestToken(client, { scopes, form: { client_id: "0oaSomeoneElse000000" } }), 401, "invalid_client");
  });

  it("a kid the client never registered", async () => {
    expectOAuthError(await requestToken(client, { scopes, header: { kid: "unknown-kid" } }), 401, "invalid_client", "The client_assertion JWT kid is invalid.");
  });

  it("an assertion signed with another client's key (same kid claimed, or none)", async () => {
    const other = await registerServiceClient(DEFAULT_ORG, { scopes });
    expectOAuthError(
      await requestToken(client, { scopes, key: other.key, header: { kid: client.key.publicJwk.kid } }),
      401,
      "invalid_client",
      "The client_assertion signature is invalid.",
    );
    expectOAuthError(
      await requestToken(client, { scopes, key: other.key, header: { kid: undefined } }),
      401,
      "invalid_client",
      "The client_assertion signature is invalid.",
    );
  });

  it("aud must be exactly the token URL invoked", async () => {
    const invalidAud = "The audience claim for client_assertion must be the endpoint invoked for the request.";
    for (const audience of [DEFAULT_ORG.orgUrl, `${DEFAULT_ORG.orgUrl}/oauth2/default/v1/token`, `${TOKEN_URL}/`, "https://other.example/oauth2/v1/token"]) {
      expectOAuthError(await requestToken(client, { scopes, audience }), 401, "invalid_client", invalidAud);
    }
    expectOAuthError(await requestToken(client, { scopes, audience: [TOKEN_URL, "https://other.example"] }), 401, "invalid_client", invalidAud);
    expect((await requestToken(client, { scopes, audience: [TOKEN_URL] })).status).toBe(200);
  });

  it("exp: required, not expired, at most an hour ahead", async () => {
    const now = Math.floor(Date.now() / 1000);
    expectOAuthError(
      await requestToken(client, { scopes, claims: { exp: undefined } }),
      401,
      "invalid_client",
      "The client_assertion token must contain the 'exp' claim as seconds since epoch.",
    );
    expectOAuthError(await requestToken(client, { scopes, claims: { exp: String(now + 300) } }), 401, "invalid_client");
    expectOAuthError(await requestToken(client, { scopes, claims: { iat: now - 900, exp: now - 600 } }), 401, "invalid_client", "The client_assertion token is expired.");
    expectOAuthError(
      await requestToken(client, { scopes, claims: { exp: now + 2 * 3600 } }),
      401,
      "invalid_client",
      "The client_assertion token has an expiration too far into the future.",
    );
    expect((await requestToken(client, { scopes, claims: { exp: now + 3500 } })).status).toBe(200);
  });

  it("iat in the future", async () => {
    const now = Math.floor(Date.now() / 1000);
    expectOAuthError(
      await requestToken(client, { scopes, claims: { iat: now + 600 } }),
      401,
      "invalid_client",
      "The client_assertion token must be issued before the current time.",
    );
  });

  it("a jti is single-use: the replayed assertion is refused", async () => {
    const assertion = await clientAssertion(client);
    const form = { grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: JWT_BEARER, client_assertion: assertion };
    expect((await postForm(DEFAULT_ORG, "/oauth2/v1/token", form)).status).toBe(200);
    expectOAuthError(await postForm(DEFAULT_ORG, "/oauth2/v1/token", form), 401, "invalid_client", "The client_assertion token has already been used.");
  });

  it("the same jti used by two clients is two different assertions", async () => {
    const other = await registerServiceClient(DEFAULT_ORG, { scopes });
    const jti = crypto.randomUUID();
    expect((await requestToken(client, { scopes, claims: { jti } })).status).toBe(200);
    expect((await requestToken(other, { scopes, claims: { jti } })).status).toBe(200);
  });
});

describe("orgs under /orgs/<slug>", () => {
  let org: TestOrg;
  let orgClient: ServiceClient;

  beforeAll(async () => {
    org = await createOrg();
    orgClient = await registerServiceClient(org, { scopes: ["okta.users.read"] });
  });

  it("the assertion's aud is that org's token URL, and the token's iss and aud are its URL", async () => {
    const reply = await requestToken(orgClient, { scopes: ["okta.users.read"] });
    expect(reply.status).toBe(200);
    expect(jwtPayload(reply.body.access_token)).toMatchObject({ iss: org.orgUrl, aud: org.orgUrl });
    expectOAuthError(await requestToken(orgClient, { scopes: ["okta.users.read"], audience: TOKEN_URL }), 401, "invalid_client");
  });

  it("a client of one org is unknown in another", async () => {
    expectOAuthError(
      await requestToken({ ...orgClient, org: DEFAULT_ORG }, { scopes: ["okta.users.read"] }),
      401,
      "invalid_client",
      "The issuer claim for client_assertion is not a valid client_id.",
    );
  });
});
