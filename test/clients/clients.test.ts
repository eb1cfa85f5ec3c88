import { describe, expect, it } from "vitest";
import { ORIGIN, call, createOrg, links } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { getAccessToken } from "../support/oauth";
import { ecJwk, rsaJwk, rsaPrivateJwk } from "../apps/fixtures";

const webClient = (overrides: Record<string, unknown> = {}) => ({
  client_name: "DCR web",
  redirect_uris: ["https://client.example.com/cb"],
  ...overrides,
});

async function serviceClient(overrides: Record<string, unknown> = {}) {
  return {
    client_name: "DCR service",
    application_type: "service",
    grant_types: ["client_credentials"],
    response_types: ["token"],
    token_endpoint_auth_method: "private_key_jwt",
    jwks: { keys: [await rsaJwk()] },
    ...overrides,
  };
}

/** The §4.3 validation style: 400, {error: invalid_client_metadata, error_description: "<field>: …"}. */
function expectMetadataError(reply: { status: number; body: any }, field: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(Object.keys(reply.body).sort()).toEqual(["error", "error_description"]);
  expect(reply.body.error).toBe("invalid_client_metadata");
  expect(reply.body.error_description.startsWith(`${field}: `), reply.body.error_description).toBe(true);
}

describe("POST /oauth2/v1/clients", () => {
  it("registers with the DCR defaults: 201, web, authorization_code, code, client_secret_basic, a secret", async () => {
    const reply = await call("POST", "/oauth2/v1/clients", { body: webClient() });
    expect(reply.status).toBe(201);
    expectOktaSchema(reply.body, "Client");
    const client = reply.body;
    expect(client.client_id).toMatch(/^0oa[A-Za-z0-9]{17}$/);
    expect(client).toMatchObject({
      client_name: "DCR web",
      application_type: "web",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      redirect_uris: ["https://client.example.com/cb"],
      token_endpoint_auth_method: "client_secret_basic",
      client_secret_expires_at: 0,
      dpop_bound_access_tokens: false,
    });
    expect(client.client_secret.length).toBeGreaterThanOrEqual(40);
    expect(Math.abs(client.client_id_issued_at - Date.now() / 1000)).toBeLessThan(60);

    const got = await call("GET", `/oauth2/v1/clients/${client.client_id}`);
    expect(got.status).toBe(200);
    expectOktaSchema(got.body, "Client");
    expect(got.body.client_secret).toBeUndefined();
    expect(got.body.client_name).toBe("DCR web");
  });

  it("is an app: seen in /api/v1/apps as oidc_client with consent_method REQUIRED, client_id = app id", async () => {
    const client = (await call("POST", "/oauth2/v1/clients", { body: webClient({ client_name: "Both ways" }) })).body;
    const app = await call("GET", `/api/v1/apps/${client.client_id}`);
    expect(app.status).toBe(200);
    expect(app.body.id).toBe(client.client_id);
    expect(app.body.name).toBe("oidc_client");
    expect(app.body.label).toBe("Both ways");
    expect(app.body.status).toBe("ACTIVE");
    expect(app.body.settings.oauthClient.consent_method).toBe("REQUIRED");

    // And an app made through /api/v1/apps is a client.
    const made = await call("POST", "/api/v1/apps", {
      body: {
        name: "oidc_client",
        label: "From apps",
        signOnMode: "OPENID_CONNECT",
        credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_post" } },
        settings: { oauthClient: { grant_types: ["authorization_code"], redirect_uris: ["https://x.example.com/cb"] } },
      },
    });
    const asClient = await call("GET", `/oauth2/v1/clients/${made.body.id}`);
    expect(asClient.status).toBe(200);
    expect(asClient.body).toMatchObject({ client_id: made.body.id, client_name: "From apps", token_endpoint_auth_method: "client_secret_post" });
  });

  it("registers a private_key_jwt service client (no secret) with dpop_bound_access_tokens", async () => {
    const reply = await call("POST", "/oauth2/v1/clients", { body: await serviceClient({ dpop_bound_access_tokens: true }) });
    expect(reply.status).toBe(201);
    // The validator recurses without end on the spec's JsonSigningWebKey (allOf + oneOf), so the key set is checked by hand.
    expectOktaSchema({ ...reply.body, jwks: undefined }, "Client");
    expect(reply.body.client_secret).toBeUndefined();
    expect(reply.body.client_secret_expires_at).toBeUndefined();
    expect(reply.body.dpop_bound_access_tokens).toBe(true);
    expect(reply.body.jwks.keys[0]).toMatchObject({ kty: "RSA", kid: "key-1", e: "AQAB" });
    expect(reply.body.redirect_uris).toEqual([]);
  });

  it("keeps the optional metadata it was given", async () => {
    const body = webClient({
      client_uri: "https://client.example.com",
      logo_uri: "https://client.example.com/logo.png",
      policy_uri: "https://client.example.com/policy",
      tos_uri: "https://client.example.com/tos",
      initiate_login_uri: "https://client.example.com/login",
      post_logout_redirect_uris: ["https://client.example.com/bye"],
      request_object_signing_alg: "RS256",
    });
    const reply = await call("POST", "/oauth2/v1/clients", { body });
    expect(reply.status).toBe(201);
    expectOktaSchema(reply.body, "Client");
    expect(reply.body).toMatchObject({ ...body, client_name: "DCR web" });
  });

  it("validates exactly as §4.2, reporting the field the §4.3 way", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ client_name: undefined }, "client_name"],
      [{ client_name: "   " }, "client_name"],
      [{ client_name: 12 }, "client_name"],
      [{ application_type: "desktop" }, "application_type"],
      [{ grant_types: ["client_credentials"], application_type: "native" }, "grant_types"],
      [{ grant_types: ["implicit"] }, "grant_types"],
      [{ grant_types: ["authorization_code", "password"] }, "grant_types"],
      [{ grant_types: ["urn:made:up"] }, "grant_types"],
      [{ response_types: ["id_token"] }, "response_types"],
      [{ grant_types: ["authorization_code", "implicit"], response_types: ["code"] }, "response_types"],
      [{ response_types: ["code", "bogus"] }, "response_types"],
      [{ redirect_uris: undefined }, "redirect_uris"],
      [{ redirect_uris: [] }, "redirect_uris"],
      [{ redirect_uris: ["client.example.com/cb"] }, "redirect_uris"],
      [{ redirect_uris: ["https://client.example.com/cb#x"] }, "redirect_uris"],
      [{ redirect_uris: "https://client.example.com/cb" }, "redirect_uris"],
      [{ token_endpoint_auth_method: "mtls" }, "token_endpoint_auth_method"],
      [{ token_endpoint_auth_method: "none" }, "token_endpoint_auth_method"],
      [{ application_type: "browser" }, "token_endpoint_auth_method"],
      [{ token_endpoint_auth_method: "private_key_jwt" }, "jwks"],
      [{ client_id: "chosen-by-me" }, "client_id"],
      [{ client_secret: "chosen-by-me-too-0123456789" }, "client_secret"],
      [{ client_id_issued_at: 1 }, "client_id_issued_at"],
      [{ dpop_bound_access_tokens: "yes" }, "dpop_bound_access_tokens"],
      [{ logo_uri: "not a url" }, "logo_uri"],
      [{ request_object_signing_alg: "none" }, "request_object_signing_alg"],
    ];
    for (const [overrides, field] of cases) {
      expectMetadataError(await call("POST", "/oauth2/v1/clients", { body: webClient(overrides) }), field);
    }
    const blank = await call("POST", "/oauth2/v1/clients", { body: { redirect_uris: ["https://x.example.com/cb"] } });
    expect(blank.body).toEqual({ error: "invalid_client_metadata", error_description: "client_name: The field cannot be left blank" });
    expectMetadataError(await call("POST", "/oauth2/v1/clients", { body: [1, 2] }), "client_metadata");
    // A redirect URI is optional with client_credentials or password.
    const native = webClient({ application_type: "native", grant_types: ["authorization_code", "password"], redirect_uris: null, token_endpoint_auth_method: "none" });
    expect((await call("POST", "/oauth2/v1/clients", { body: native })).status).toBe(201);
  });

  it("checks the jwks of private_key_jwt clients: key types and sizes, kids, no private members", async () => {
    const rsa1024 = await rsaJwk(1024);
    const cases: [unknown, RegExp][] = [
      [{ keys: [] }, /required/],
      [[await rsaJwk()], /keys/],
      [{ keys: [rsa1024] }, /1024 bits/],
      [{ keys: [await rsaPrivateJwk()] }, /private key member 'd'/],
      [{ keys: [{ ...(await rsaJwk()), kid: undefined }, await rsaJwk(2048, "b")] }, /needs one/],
      [{ keys: [await rsaJwk(2048, "same"), await ecJwk("P-256", "same")] }, /'same' is not unique/],
      [{ keys: [{ kty: "oct", k: "c2VjcmV0", kid: "o" }] }, /private key member 'k'|unsupported 'kty'/],
      [{ keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "e" }] }, /unsupported 'kty'/],
      [{ keys: [{ ...(await ecJwk("P-256")), crv: "secp256k1" }] }, /curve/],
      [{ keys: [{ ...(await ecJwk("P-256")), x: "AAAA" }] }, /coordinates/],
      [{ keys: [{ kty: "RSA", kid: "x", e: "AQAB", n: "not*base64" }] }, /base64url/],
      [{ keys: [{ ...(await rsaJwk()), use: "other" }] }, /'use'/],
      [{ keys: [{ ...(await rsaJwk()), alg: "HS256" }] }, /'alg'/],
    ];
    for (const [jwks, message] of cases) {
      const reply = await call("POST", "/oauth2/v1/clients", { body: await serviceClient({ jwks }) });
      expectMetadataError(reply, "jwks");
      expect(reply.body.error_description).toMatch(message);
    }
    const jwksUri = await serviceClient({ jwks: undefined, jwks_uri: "https://client.example.com/jwks" });
    const uriReply = await call("POST", "/oauth2/v1/clients", { body: jwksUri });
    expectMetadataError(uriReply, "jwks");
    expect(uriReply.body.error_description).toMatch(/jwks_uri/);

    const single = { ...(await rsaJwk()) } as Record<string, unknown>;
    delete single.kid;
    const ok = await call("POST", "/oauth2/v1/clients", { body: await serviceClient({ jwks: { keys: [single] } }) });
    expect(ok.status).toBe(201);
  }, 60_000); // RSA key generation is slow on a shared CPU

  it("is refused 403 without the register scope, and allowed with okta.clients.register or manage", async () => {
    const reader = await getAccessToken(["okta.clients.read"]);
    const refused = await call("POST", "/oauth2/v1/clients", { auth: `Bearer ${reader.accessToken}`, body: webClient() });
    expect(refused.status).toBe(403);
    // REFERENCE §4.3: client registration says so in Okta's error object, not with an empty body.
    expect(refused.body).toMatchObject({ errorCode: "E0000006", errorLink: "E0000006", errorCauses: [] });
    expect(refused.headers.get("www-authenticate")).toContain('scope="okta.clients.register", error="insufficient_scope"');
    for (const scope of ["okta.clients.register", "okta.clients.manage"]) {
      const token = await getAccessToken([scope]);
      const reply = await call("POST", "/oauth2/v1/clients", { auth: `Bearer ${token.accessToken}`, body: webClient() });
      expect(reply.status, scope).toBe(201);
    }
  });
});

describe("GET /oauth2/v1/clients", () => {
  it("pages by limit (default 20, 1–200) with Link headers and searches client_name by prefix", async () => {
    const org = await createOrg();
    const as = { auth: org.ssws, orgUrl: org.orgUrl };
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const name = i < 3 ? `Search ${i}` : `Client ${String(i).padStart(2, "0")}`;
      ids.push((await call("POST", "/oauth2/v1/clients", { ...as, body: webClient({ client_name: name }) })).body.client_id);
    }
    const first = await call("GET", "/oauth2/v1/clients", as);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(20);
    for (const client of first.body) expectOktaSchema(client, "Client");
    expect(first.body.every((c: any) => c.client_secret === undefined)).toBe(true);
    expect(first.body.map((c: any) => c.client_id)).toEqual(ids.slice(0, 20));
    const firstLinks = links(first.headers);
    expect(firstLinks.self).toBe(`${org.orgUrl}/oauth2/v1/clients`);
    const second = await call("GET", firstLinks.next!, { auth: org.ssws });
    expect(second.body.map((c: any) => c.client_id)).toEqual(ids.slice(20));
    expect(links(second.headers).next).toBeUndefined();

    const limited = await call("GET", "/oauth2/v1/clients?limit=1&q=search", as);
    expect(limited.body.map((c: any) => c.client_name)).toEqual(["Search 0"]);
    const next = links(limited.headers).next!;
    expect(next).toMatch(/limit=1/);
    expect(next).toMatch(/q=search/);
    expect((await call("GET", next, { auth: org.ssws })).body.map((c: any) => c.client_name)).toEqual(["Search 1"]);

    expect((await call("GET", "/oauth2/v1/clients?limit=500", as)).body).toHaveLength(23);
    expect((await call("GET", "/oauth2/v1/clients?limit=0", as)).status).toBe(400);
  });
});

describe("GET, PUT, DELETE /oauth2/v1/clients/:clientId", () => {
  it("is an Okta-style 404 E0000007 (PublicClientApp) for an unknown client on every route", async () => {
    for (const [method, path] of [
      ["GET", "/oauth2/v1/clients/0oaUnknownClient"],
      ["PUT", "/oauth2/v1/clients/0oaUnknownClient"],
      ["DELETE", "/oauth2/v1/clients/0oaUnknownClient"],
      ["POST", "/oauth2/v1/clients/0oaUnknownClient/lifecycle/newSecret"],
    ] as const) {
      const reply = await call(method, path, { body: method === "PUT" ? webClient() : undefined });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expectOktaSchema(reply.body, "Error");
      expect(reply.body.errorCode).toBe("E0000007");
      expect(reply.body.errorSummary).toBe("Not found: Resource not found: 0oaUnknownClient (PublicClientApp)");
    }
  });

  it("PUT replaces every setting (omitted ones return to their defaults) and keeps the secret", async () => {
    const created = (
      await call("POST", "/oauth2/v1/clients", {
        body: webClient({ grant_types: ["authorization_code", "refresh_token"], logo_uri: "https://x.example.com/l.png" }),
      })
    ).body;
    const reply = await call("PUT", `/oauth2/v1/clients/${created.client_id}`, {
      body: { client_id: created.client_id, client_name: "Renamed", redirect_uris: ["https://new.example.com/cb"], client_secret: "ignored" },
    });
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "Client");
    expect(reply.body).toMatchObject({
      client_id: created.client_id,
      client_name: "Renamed",
      redirect_uris: ["https://new.example.com/cb"],
      grant_types: ["authorization_code"],
      client_id_issued_at: created.client_id_issued_at,
    });
    expect(reply.body.logo_uri).toBeUndefined();
    expect(reply.body.client_secret).toBeUndefined();
    expect((await call("GET", `/api/v1/apps/${created.client_id}`)).body.label).toBe("Renamed");
  });

  it("PUT returns a new secret when the client newly needs one, and refuses read-only or immutable changes", async () => {
    const created = (await call("POST", "/oauth2/v1/clients", { body: await serviceClient() })).body;
    const toSecret = await call("PUT", `/oauth2/v1/clients/${created.client_id}`, {
      body: await serviceClient({ token_endpoint_auth_method: "client_secret_post", jwks: undefined }),
    });
    expect(toSecret.status).toBe(200);
    expect(toSecret.body.client_secret.length).toBeGreaterThanOrEqual(40);

    for (const [body, field] of [
      [await serviceClient({ application_type: "web" }), "application_type"],
      [await serviceClient({ client_id: "0oaSomethingElse123" }), "client_id"],
      [await serviceClient({ client_id_issued_at: created.client_id_issued_at }), "client_id_issued_at"],
      [await serviceClient({ client_secret_expires_at: 0 }), "client_secret_expires_at"],
      [await serviceClient({ client_name: "" }), "client_name"],
    ] as const) {
      expectMetadataError(await call("PUT", `/oauth2/v1/clients/${created.client_id}`, { body }), field);
    }
  });

  it("newSecret rotates the secret of client_secret_basic/post clients only", async () => {
    const created = (await call("POST", "/oauth2/v1/clients", { body: webClient() })).body;
    const rotated = await call("POST", `/oauth2/v1/clients/${created.client_id}/lifecycle/newSecret`);
    expect(rotated.status).toBe(200);
    expectOktaSchema(rotated.body, "Client");
    expect(rotated.body.client_secret.length).toBeGreaterThanOrEqual(40);
    expect(rotated.body.client_secret).not.toBe(created.client_secret);

    const keyClient = (await call("POST", "/oauth2/v1/clients", { body: await serviceClient() })).body;
    const refused = await call("POST", `/oauth2/v1/clients/${keyClient.client_id}/lifecycle/newSecret`);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe("invalid_request");
  });

  it("DELETE removes the client (whatever its status) and its app: 204, then 404", async () => {
    const created = (await call("POST", "/oauth2/v1/clients", { body: webClient() })).body;
    const deleted = await call("DELETE", `/oauth2/v1/clients/${created.client_id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await call("GET", `/oauth2/v1/clients/${created.client_id}`)).status).toBe(404);
    expect((await call("GET", `/api/v1/apps/${created.client_id}`)).status).toBe(404);
  });

  it("a client of one org is 404 in another", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const created = (await call("POST", "/oauth2/v1/clients", { auth: a.ssws, orgUrl: a.orgUrl, body: webClient() })).body;
    expect((await call("GET", `/oauth2/v1/clients/${created.client_id}`, { auth: b.ssws, orgUrl: b.orgUrl })).status).toBe(404);
    expect((await call("DELETE", `/oauth2/v1/clients/${created.client_id}`, { auth: b.ssws, orgUrl: b.orgUrl })).status).toBe(404);
    expect((await call("GET", "/oauth2/v1/clients", { auth: b.ssws, orgUrl: b.orgUrl })).body).toEqual([]);
    expect((await call("GET", `/oauth2/v1/clients/${created.client_id}`, { auth: a.ssws, orgUrl: a.orgUrl })).status).toBe(200);
    expect(created.client_id).toMatch(/^0oa/);
    expect(a.orgUrl.startsWith(ORIGIN)).toBe(true);
  });
});
