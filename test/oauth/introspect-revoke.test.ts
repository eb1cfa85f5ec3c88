import { beforeAll, describe, expect, it } from "vitest";
import { call, createOrg, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { JWT_BEARER, clientAssertion, getAccessToken, jwtPayload, postForm, type ServiceClient, type Token } from "../support/oauth";

/** RFC 7662 introspection and RFC 7009 revocation at the org authorization server (REFERENCE §5.8). */
let org: TestOrg;
let token: Token;

beforeAll(async () => {
  org = await createOrg();
  token = await getAccessToken(["okta.apps.read", "okta.users.read"], { org });
});

async function asClient(client: ServiceClient, path: "/oauth2/v1/introspect" | "/oauth2/v1/revoke", form: Record<string, string>) {
  const assertion = await clientAssertion(client, { audience: `${org.orgUrl}${path}` });
  return postForm(org, path, { ...form, client_assertion_type: JWT_BEARER, client_assertion: assertion });
}

describe("POST /oauth2/v1/introspect", () => {
  it("describes the client's own active token", async () => {
    const reply = await asClient(token.client, "/oauth2/v1/introspect", { token: token.accessToken, token_type_hint: "access_token" });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("cache-control")).toBe("no-store");
    const claims = jwtPayload(token.accessToken);
    expect(reply.body).toEqual({
      active: true,
      token_type: "Bearer",
      scope: "okta.apps.read okta.users.read",
      client_id: token.client.clientId,
      username: token.client.clientId,
      exp: claims.exp,
      iat: claims.iat,
      sub: token.client.clientId,
      aud: org.orgUrl,
      iss: org.orgUrl,
      jti: claims.jti,
    });
    expectOktaSchema(reply.body, "oauth:IntrospectionResponse");
  });

  it("says only {active:false} for garbage, another client's token, another org's token", async () => {
    const other = await getAccessToken(["okta.apps.read"], { org });
    for (const value of ["garbage", other.accessToken, (await getAccessToken(["okta.apps.read"])).accessToken]) {
      const reply = await asClient(token.client, "/oauth2/v1/introspect", { token: value });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ active: false });
    }
  });

  it("needs client authentication and the token parameter", async () => {
    const none = await postForm(org, "/oauth2/v1/introspect", { token: token.accessToken });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: "invalid_client", error_description: "No client credentials found" });
    const missing = await asClient(token.client, "/oauth2/v1/introspect", {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: "invalid_request", error_description: "The `token` parameter is required." });
  });

  it("the assertion's aud must be the introspection URL", async () => {
    const assertion = await clientAssertion(token.client, { audience: `${org.orgUrl}/oauth2/v1/token` });
    const reply = await postForm(org, "/oauth2/v1/introspect", { token: token.accessToken, client_assertion_type: JWT_BEARER, client_assertion: assertion });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toBe("invalid_client");
  });
});

describe("POST /oauth2/v1/revoke", () => {
  it("revokes the client's own token: 200 empty, then refused by the API and inactive on introspection", async () => {
    const own = await getAccessToken(["okta.apps.read"], { org });
    const api = () => call("GET", "/api/v1/apps", { orgUrl: org.orgUrl, auth: `Bearer ${own.accessToken}` });
    expect((await api()).status).toBe(200);
    const reply = await asClient(own.client, "/oauth2/v1/revoke", { token: own.accessToken, token_type_hint: "access_token" });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("");
    expect((await api()).status).toBe(401);
    expect((await asClient(own.client, "/oauth2/v1/introspect", { token: own.accessToken })).body).toEqual({ active: false });
    // Revoking again, or revoking garbage: still 200.
    expect((await asClient(own.client, "/oauth2/v1/revoke", { token: own.accessToken })).status).toBe(200);
    expect((await asClient(own.client, "/oauth2/v1/revoke", { token: "garbage" })).status).toBe(200);
  });

  it("a client cannot revoke another client's token (200, and the token still works)", async () => {
    const victim = await getAccessToken(["okta.apps.read"], { org });
    const reply = await asClient(token.client, "/oauth2/v1/revoke", { token: victim.accessToken });
    expect(reply.status).toBe(200);
    expect((await call("GET", "/api/v1/apps", { orgUrl: org.orgUrl, auth: `Bearer ${victim.accessToken}` })).status).toBe(200);
  });

  it("needs client authentication and the token parameter", async () => {
    expect((await postForm(org, "/oauth2/v1/revoke", { token: token.accessToken })).status).toBe(401);
    const missing = await asClient(token.client, "/oauth2/v1/revoke", {});
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("invalid_request");
  });

  it("a wrong Content-Type → 400 invalid_request", async () => {
    const reply = await call("POST", "/oauth2/v1/revoke", { orgUrl: org.orgUrl, auth: null, body: { token: "x" } });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe("invalid_request");
  });
});

describe("client_secret_basic / client_secret_post clients at introspect", () => {
  it("authenticate with their secret, the way they are registered", async () => {
    const created = await call("POST", "/api/v1/apps", {
      orgUrl: org.orgUrl,
      auth: org.ssws,
      body: {
        name: "oidc_client",
        label: "web",
        signOnMode: "OPENID_CONNECT",
        credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_post" } },
        settings: { oauthClient: { application_type: "service", grant_types: ["client_credentials"], response_types: ["token"] } },
      },
    });
    expect(created.status).toBe(200);
    const { client_id, client_secret } = created.body.credentials.oauthClient;
    const post = await postForm(org, "/oauth2/v1/introspect", { token: "garbage", client_id, client_secret });
    expect(post.status).toBe(200);
    expect(post.body).toEqual({ active: false });
    const wrong = await postForm(org, "/oauth2/v1/introspect", { token: "garbage", client_id, client_secret: "wrong" });
    expect(wrong.status).toBe(401);
    const basic = await postForm(org, "/oauth2/v1/introspect", { token: "garbage" }, { Authorization: `Basic ${btoa(`${client_id}:${client_secret}`)}` });
    expect(basic.status).toBe(401);
    expect(basic.body.error_description).toBe("Client authentication failed. Either the client or the client credentials are invalid.");
  });
});
