import { describe, expect, it } from "vitest";
import { expectOktaSchema, oktaSchemaErrors, oktaSchemaNames } from "./okta-schema";

const href = (path: string) => ({ href: `https://example.okta.com${path}` });

// Shaped like the User example in Okta's reference for GET /api/v1/users/{id}.
const user = {
  id: "00ub0oNGTSWTBKOLGLNR",
  status: "ACTIVE",
  created: "2013-06-24T16:39:18.000Z",
  activated: "2013-06-24T16:39:19.000Z",
  statusChanged: "2013-06-24T16:39:19.000Z",
  lastLogin: null,
  lastUpdated: "2013-07-02T21:36:25.344Z",
  passwordChanged: "2013-07-02T21:36:25.344Z",
  type: { id: "otyfnjfba4ye7pgjB0g4" },
  profile: {
    firstName: "Isaac",
    lastName: "Brock",
    email: "isaac.brock@example.com",
    login: "isaac.brock@example.com",
    mobilePhone: "555-415-1337",
    customAttribute: 7,
  },
  credentials: {
    password: {},
    recovery_question: { question: "Who's a major player in the cowboy scene?" },
    provider: { type: "OKTA", name: "OKTA" },
  },
  _links: { self: href("/api/v1/users/00ub0oNGTSWTBKOLGLNR") },
};

describe("expectOktaSchema", () => {
  it("accepts a User shaped like Okta's", () => {
    expect(() => expectOktaSchema(user, "User")).not.toThrow();
  });

  it("rejects a User whose status is a number, naming the field", () => {
    const errors = oktaSchemaErrors({ ...user, status: 42 }, "User");
    expect(errors.some((line) => line.startsWith("#/status:"))).toBe(true);
    expect(() => expectOktaSchema({ ...user, status: 42 }, "User")).toThrow(/Okta schema User:[\s\S]*#\/status/);
  });

  it("rejects a status outside Okta's enum and a malformed timestamp", () => {
    expect(oktaSchemaErrors({ ...user, status: "ENABLED" }, "User").join("\n")).toMatch(/#\/status/);
    expect(oktaSchemaErrors({ ...user, created: "yesterday" }, "User").join("\n")).toMatch(/#\/created/);
  });

  it("keeps OpenAPI nullable as null-or-type", () => {
    expect(oktaSchemaErrors({ ...user, activated: null }, "User")).toEqual([]);
    expect(oktaSchemaErrors({ ...user, created: null }, "User")).not.toEqual([]);
  });

  it("validates Okta's error object", () => {
    const error = {
      errorCode: "E0000007",
      errorSummary: "Not found: Resource not found: nope (User)",
      errorLink: "E0000007",
      errorId: "oaeXXXXXXXXXXXXXXXXXXXX",
      errorCauses: [],
    };
    expectOktaSchema(error, "Error");
    expect(oktaSchemaErrors({ ...error, errorCauses: "none" }, "Error")).not.toEqual([]);
  });

  it("uses the Dynamic Client Registration Client from the OAuth spec", () => {
    const client = {
      client_id: "0oa1abcdefghijklmnop",
      client_id_issued_at: 1700000000,
      client_name: "Demo",
      client_secret: null,
      client_secret_expires_at: 0,
      redirect_uris: ["https://app.example.com/cb"],
      post_logout_redirect_uris: ["https://app.example.com/"],
      response_types: ["code"],
      grant_types: ["authorization_code", "refresh_token"],
      token_endpoint_auth_method: "none",
      application_type: "browser",
    };
    expectOktaSchema(client, "Client");
    expect(oktaSchemaErrors({ ...client, client_name: undefined }, "Client").join()).toMatch(/client_name/);
  });

  it("dispatches discriminated subtypes and accepts an OIDC application", () => {
    const app = {
      id: "0oa1abcdefghijklmnop",
      name: "oidc_client",
      label: "Demo",
      status: "ACTIVE",
      signOnMode: "OPENID_CONNECT",
      created: "2024-01-01T00:00:00.000Z",
      lastUpdated: "2024-01-01T00:00:00.000Z",
      credentials: { oauthClient: { client_id: "0oa1abcdefghijklmnop", token_endpoint_auth_method: "client_secret_basic" } },
      settings: { oauthClient: { grant_types: ["client_credentials"], response_types: ["token"], application_type: "service" } },
      _links: {},
    };
    expectOktaSchema(app, "OpenIdConnectApplication");
    expect(oktaSchemaErrors({ ...app, signOnMode: 3 }, "OpenIdConnectApplication")).not.toEqual([]);
  });

  it("validates a JWKS whose key schemas refer back to their parent without recursing forever", () => {
    const keys = { keys: [{ kty: "RSA", alg: "RS256", kid: "k1", use: "sig", e: "AQAB", n: "sXch" }] };
    expectOktaSchema(keys, "OAuthKeys");
    expect(oktaSchemaErrors({ keys: [{ ...keys.keys[0], kty: "oct" }] }, "OAuthKeys").join()).toMatch(/kty/);
    const client = { client_name: "svc", jwks: { keys: [{ kty: "RSA", kid: "k1", use: "sig", e: "AQAB", n: "sXch" }] } };
    expectOktaSchema(client, "Client");
    // Without `use` an RSA key fits both the signing and the encryption key schema: still one allowed shape.
    expectOktaSchema({ client_name: "svc", jwks: { keys: [{ kty: "RSA", kid: "k1", e: "AQAB", n: "sXch" }] } }, "Client");
    expect(oktaSchemaErrors({ client_name: "svc", jwks: { keys: [{ kty: "RSA", use: "nope" }] } }, "Client")).not.toEqual([]);
  });

  it("knows every name the contract promises, and refuses unknown ones", () => {
    for (const name of oktaSchemaNames()) expect(() => oktaSchemaErrors({}, name)).not.toThrow();
    expect(() => expectOktaSchema({}, "NoSuchSchema")).toThrow(/no Okta schema named "NoSuchSchema"/);
    expect(() => expectOktaSchema({}, "management:Client")).toThrow(/no Okta schema named "Client" in the management spec/);
  });
});
