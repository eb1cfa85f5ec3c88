import { describe, expect, it } from "vitest";
import { ORIGIN, call, createOrg, links } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { asOrg, createWebApp, ecJwk, rsaJwk, serviceAppBody, webAppBody } from "./fixtures";

function causes(body: any): string[] {
  return (body?.errorCauses ?? []).map((c: { errorSummary: string }) => c.errorSummary);
}

function expectValidation(reply: { status: number; body: any }, fieldPrefix: string) {
  expect(reply.status).toBe(400);
  expect(reply.body.errorCode).toBe("E0000001");
  expectOktaSchema(reply.body, "Error");
  expect(causes(reply.body).some((c) => c.startsWith(`${fieldPrefix}:`)), JSON.stringify(reply.body)).toBe(true);
}

describe("POST /api/v1/apps", () => {
  it("creates an active OIDC web app whose client_id is its id, with a secret shown once", async () => {
    const reply = await call("POST", "/api/v1/apps", { body: webAppBody("Create me") });
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "OpenIdConnectApplication");
    const app = reply.body;
    expect(app.id).toMatch(/^0oa[A-Za-z0-9]{17}$/);
    expect(app.name).toBe("oidc_client");
    expect(app.label).toBe("Create me");
    expect(app.status).toBe("ACTIVE");
    expect(app.signOnMode).toBe("OPENID_CONNECT");
    expect(app.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(app.credentials.oauthClient.client_id).toBe(app.id);
    expect(app.credentials.oauthClient.token_endpoint_auth_method).toBe("client_secret_basic");
    expect(app.credentials.oauthClient.client_secret.length).toBeGreaterThanOrEqual(40);
    expect(app.settings.oauthClient).toMatchObject({
      application_type: "web",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: ["https://app.example.com/callback"],
      consent_method: "TRUSTED",
      dpop_bound_access_tokens: false,
    });
    expect(app._links.self.href).toBe(`${ORIGIN}/api/v1/apps/${app.id}`);
    expect(app._links.deactivate.href).toBe(`${ORIGIN}/api/v1/apps/${app.id}/lifecycle/deactivate`);
    expect(app._links.activate).toBeUndefined();

    const got = await call("GET", `/api/v1/apps/${app.id}`);
    expect(got.status).toBe(200);
    expectOktaSchema(got.body, "OpenIdConnectApplication");
    expect(got.body.credentials.oauthClient.client_secret).toBeUndefined();
    expect(got.body.label).toBe("Create me");
  });

  it("creates it INACTIVE with activate=false, and refuses other activate values", async () => {
    const reply = await call("POST", "/api/v1/apps?activate=false", { body: webAppBody() });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe("INACTIVE");
    expect(reply.body._links.activate.href).toBe(`${ORIGIN}/api/v1/apps/${reply.body.id}/lifecycle/activate`);
    expectValidation(await call("POST", "/api/v1/apps?activate=maybe", { body: webAppBody() }), "activate");
  });

  it("creates a service app with private_key_jwt and an RSA key, without a secret", async () => {
    const reply = await call("POST", "/api/v1/apps", { body: await serviceAppBody() });
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "OpenIdConnectApplication");
    expect(reply.body.credentials.oauthClient.client_secret).toBeUndefined();
    expect(reply.body.settings.oauthClient.jwks.keys).toHaveLength(1);
    expect(reply.body.settings.oauthClient.jwks.keys[0].kid).toBe("key-1");
    expect(reply.body.settings.oauthClient.redirect_uris).toEqual([]);
  });

  it("takes a supplied client_id and client_secret", async () => {
    const body = webAppBody("Custom id");
    body.credentials.oauthClient = {
      token_endpoint_auth_method: "client_secret_post",
      client_id: "my-custom.client_id",
      client_secret: "a-supplied-secret-of-enough-length",
    } as any;
    const reply = await call("POST", "/api/v1/apps", { body });
    expect(reply.status).toBe(200);
    expect(reply.body.credentials.oauthClient.client_id).toBe("my-custom.client_id");
    expect(reply.body.credentials.oauthClient.client_secret).toBe("a-supplied-secret-of-enough-length");
    expect(reply.body.id).not.toBe("my-custom.client_id");

    // The client_id is unique in the org.
    expectValidation(await call("POST", "/api/v1/apps", { body }), "client_id");
  });

  it("refuses bad supplied credentials", async () => {
    for (const [oauthClient, field] of [
      [{ token_endpoint_auth_method: "client_secret_basic", client_id: "ALL_CLIENTS" }, "client_id"],
      [{ token_endpoint_auth_method: "client_secret_basic", client_id: "abc" }, "client_id"],
      [{ token_endpoint_auth_method: "client_secret_basic", client_id: "bad id with spaces" }, "client_id"],
      [{ token_endpoint_auth_method: "client_secret_basic", client_secret: "short" }, "client_secret"],
      [{ token_endpoint_auth_method: "client_secret_jwt", client_secret: "only-twenty-chars-xx" }, "client_secret"],
    ] as const) {
      const body = webAppBody();
      body.credentials.oauthClient = oauthClient as any;
      expectValidation(await call("POST", "/api/v1/apps", { body }), field);
    }
    const service = await serviceAppBody();
    (service.credentials.oauthClient as any).client_secret = "a-secret-for-a-key-client-xx";
    expectValidation(await call("POST", "/api/v1/apps", { body: service }), "client_secret");
  });

  it("refuses bodies that are not OIDC apps, each problem a cause", async () => {
    const reply = await call("POST", "/api/v1/apps", { body: { name: "bookmark", signOnMode: "BOOKMARK" } });
    expectValidation(reply, "name");
    expect(causes(reply.body)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^signOnMode:/),
        "label: The field cannot be left blank",
        "settings.oauthClient: The field cannot be left blank",
      ]),
    );
    expectValidation(await call("POST", "/api/v1/apps", { body: [] }), "body");
    expectValidation(await call("POST", "/api/v1/apps", { body: webAppBody("x".repeat(101)) }), "label");
    expect((await call("POST", "/api/v1/apps", { body: "{not json" })).body.errorCode).toBe("E0000003");
  });

  it("applies the client rules of REFERENCE §4.2 as E0000001 causes", async () => {
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ grant_types: ["refresh_token"] }, "grant_types"],
      [{ grant_types: ["authorization_code", "password"] }, "grant_types"],
      [{ grant_types: ["authorization_code", "made_up"] }, "grant_types"],
      [{ response_types: ["token"] }, "response_types"],
      [{ redirect_uris: [] }, "redirect_uris"],
      [{ redirect_uris: ["/relative"] }, "redirect_uris"],
      [{ redirect_uris: ["https://app.example.com/cb#frag"] }, "redirect_uris"],
      [{ post_logout_redirect_uris: ["not a uri"] }, "post_logout_redirect_uris"],
      [{ application_type: "desktop" }, "application_type"],
      [{ grant_types: "authorization_code" }, "grant_types"],
      [{ logo_uri: "logo.png" }, "logo_uri"],
    ];
    for (const [overrides, field] of cases) {
      expectValidation(await call("POST", "/api/v1/apps", { body: webAppBody("x", overrides) }), field);
    }
    const browserWithSecret = webAppBody("spa", { application_type: "browser" });
    expectValidation(await call("POST", "/api/v1/apps", { body: browserWithSecret }), "token_endpoint_auth_method");
    const webWithNone = webAppBody("web");
    webWithNone.credentials.oauthClient.token_endpoint_auth_method = "none";
    expectValidation(await call("POST", "/api/v1/apps", { body: webWithNone }), "token_endpoint_auth_method");
    const noPkce = webAppBody("native", { application_type: "native" });
    noPkce.credentials.oauthClient = { token_endpoint_auth_method: "none", pkce_required: false } as any;
    expectValidation(await call("POST", "/api/v1/apps", { body: noPkce }), "pkce_required");
    const service = await serviceAppBody();
    service.settings.oauthClient.grant_types = ["authorization_code"];
    expectValidation(await call("POST", "/api/v1/apps", { body: service }), "grant_types");
    const keyless = await serviceAppBody();
    delete (keyless.settings.oauthClient as any).jwks;
    expectValidation(await call("POST", "/api/v1/apps", { body: keyless }), "jwks");
  });

  it("accepts a browser app with none + PKCE and a native app with a custom scheme", async () => {
    const spa = webAppBody("spa", { application_type: "browser", grant_types: ["authorization_code"] });
    spa.credentials.oauthClient.token_endpoint_auth_method = "none";
    const reply = await call("POST", "/api/v1/apps", { body: spa });
    expect(reply.status).toBe(200);
    expect(reply.body.credentials.oauthClient.pkce_required).toBe(true);
    expect(reply.body.credentials.oauthClient.client_secret).toBeUndefined();

    const native = webAppBody("native", { application_type: "native", redirect_uris: ["com.example.app:/callback"] });
    const nativeReply = await call("POST", "/api/v1/apps", { body: native });
    expect(nativeReply.status).toBe(200);
    expect(nativeReply.body.settings.oauthClient.redirect_uris).toEqual(["com.example.app:/callback"]);
  });

  it("accepts EC keys on P-256/384/521 and several keys with distinct kids", async () => {
    const body = await serviceAppBody();
    body.settings.oauthClient.jwks = { keys: [await ecJwk("P-256", "a"), await ecJwk("P-384", "b"), await ecJwk("P-521", "c"), await rsaJwk(3072, "d")] } as any;
    const reply = await call("POST", "/api/v1/apps", { body });
    expect(reply.status).toBe(200);
    expect(reply.body.settings.oauthClient.jwks.keys.map((k: any) => k.kid)).toEqual(["a", "b", "c", "d"]);
  }, 60_000); // RSA 3072 key generation is slow on a shared CPU
});

describe("PUT /api/v1/apps/:appId", () => {
  it("replaces the settings, keeps the secret unless one is supplied, and returns the supplied one", async () => {
    const created = await createWebApp({}, "Before");
    const body = webAppBody("After", { redirect_uris: ["https://after.example.com/cb"], grant_types: ["authorization_code"] });
    const reply = await call("PUT", `/api/v1/apps/${created.id}`, { body });
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "OpenIdConnectApplication");
    expect(reply.body.label).toBe("After");
    expect(reply.body.settings.oauthClient.redirect_uris).toEqual(["https://after.example.com/cb"]);
    expect(reply.body.settings.oauthClient.grant_types).toEqual(["authorization_code"]);
    expect(reply.body.credentials.oauthClient.client_secret).toBeUndefined();
    expect(reply.body.created).toBe(created.created);
    expect(reply.body.lastUpdated >= created.lastUpdated).toBe(true);

    (body.credentials.oauthClient as any).client_secret = "replacement-secret-0123456789";
    const withSecret = await call("PUT", `/api/v1/apps/${created.id}`, { body });
    expect(withSecret.body.credentials.oauthClient.client_secret).toBe("replacement-secret-0123456789");
  });

  it("refuses a change of application_type or client_id, and validates like POST", async () => {
    const created = await createWebApp();
    const native = webAppBody("x", { application_type: "native" });
    expectValidation(await call("PUT", `/api/v1/apps/${created.id}`, { body: native }), "application_type");
    const otherId = webAppBody("x");
    (otherId.credentials.oauthClient as any).client_id = "another-client-id";
    expectValidation(await call("PUT", `/api/v1/apps/${created.id}`, { body: otherId }), "client_id");
    expectValidation(await call("PUT", `/api/v1/apps/${created.id}`, { body: webAppBody("x", { redirect_uris: [] }) }), "redirect_uris");
  });

  it("generates a secret when the app moves to a secret-based auth method", async () => {
    const created = (await call("POST", "/api/v1/apps", { body: await serviceAppBody() })).body;
    const body = await serviceAppBody();
    body.credentials.oauthClient.token_endpoint_auth_method = "client_secret_basic";
    const reply = await call("PUT", `/api/v1/apps/${created.id}`, { body });
    expect(reply.status).toBe(200);
    expect(reply.body.credentials.oauthClient.client_secret.length).toBeGreaterThanOrEqual(40);
  });

  it("is 404 E0000007 for an unknown app", async () => {
    const reply = await call("PUT", "/api/v1/apps/0oaUnknownUnknown123", { body: webAppBody() });
    expect(reply.status).toBe(404);
    expect(reply.body.errorCode).toBe("E0000007");
    expect(reply.body.errorSummary).toBe("Not found: Resource not found: 0oaUnknownUnknown123 (AppInstance)");
  });
});

describe("lifecycle and DELETE", () => {
  it("deletes only INACTIVE apps: 403 E0000056 with the cause, then deactivate, delete, 404", async () => {
    const app = await createWebApp();
    const refused = await call("DELETE", `/api/v1/apps/${app.id}`);
    expect(refused.status).toBe(403);
    expectOktaSchema(refused.body, "Error");
    expect(refused.body.errorCode).toBe("E0000056");
    expect(refused.body.errorSummary).toBe("Delete application forbidden.");
    expect(causes(refused.body)).toEqual(["The application must be deactivated before deletion."]);

    const deactivated = await call("POST", `/api/v1/apps/${app.id}/lifecycle/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toEqual({});
    expect((await call("GET", `/api/v1/apps/${app.id}`)).body.status).toBe("INACTIVE");
    // Deactivating twice is harmless.
    expect((await call("POST", `/api/v1/apps/${app.id}/lifecycle/deactivate`)).status).toBe(200);

    const deleted = await call("DELETE", `/api/v1/apps/${app.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const gone = await call("GET", `/api/v1/apps/${app.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errorSummary).toBe(`Not found: Resource not found: ${app.id} (AppInstance)`);
  });

  it("activates an inactive app", async () => {
    const app = (await call("POST", "/api/v1/apps?activate=false", { body: webAppBody() })).body;
    const reply = await call("POST", `/api/v1/apps/${app.id}/lifecycle/activate`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({});
    expect((await call("GET", `/api/v1/apps/${app.id}`)).body.status).toBe("ACTIVE");
  });

  it("is 404 E0000007 for unknown apps on every route", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/apps/0oaNope"],
      ["DELETE", "/api/v1/apps/0oaNope"],
      ["POST", "/api/v1/apps/0oaNope/lifecycle/activate"],
      ["POST", "/api/v1/apps/0oaNope/lifecycle/deactivate"],
    ] as const) {
      const reply = await call(method, path);
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.body.errorCode).toBe("E0000007");
      expect(reply.body.errorSummary).toContain("(AppInstance)");
    }
  });
});

describe("GET /api/v1/apps", () => {
  it("pages by limit with self and next Link headers, oldest first, the last page without next", async () => {
    const org = await createOrg();
    const as = asOrg(org);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createWebApp(as, `Paged ${i}`)).id);

    const first = await call("GET", "/api/v1/apps?limit=2", as);
    expect(first.status).toBe(200);
    expect(first.body.map((a: any) => a.id)).toEqual(ids.slice(0, 2));
    for (const app of first.body) expectOktaSchema(app, "OpenIdConnectApplication");
    const firstLinks = links(first.headers);
    expect(firstLinks.self).toBe(`${org.orgUrl}/api/v1/apps?limit=2`);
    expect(firstLinks.next).toMatch(new RegExp(`^${org.orgUrl}/api/v1/apps\\?limit=2&after=`));

    const seen = [...first.body.map((a: any) => a.id)];
    let next: string | undefined = firstLinks.next;
    while (next) {
      const page = await call("GET", next, { auth: org.ssws });
      expect(page.status).toBe(200);
      seen.push(...page.body.map((a: any) => a.id));
      next = links(page.headers).next;
    }
    expect(seen).toEqual(ids);

    // Default page (20) holds them all; -1 (the spec's "all") is the maximum page.
    const all = await call("GET", "/api/v1/apps", as);
    expect(all.body.map((a: any) => a.id)).toEqual(ids);
    expect(links(all.headers).next).toBeUndefined();
    expect((await call("GET", "/api/v1/apps?limit=-1", as)).body).toHaveLength(5);
    // No secret in a list.
    expect(all.body.every((a: any) => a.credentials.oauthClient.client_secret === undefined)).toBe(true);
  });

  it("searches with q (label prefix, case-insensitive) and filters on id, status and name", async () => {
    const org = await createOrg();
    const as = asOrg(org);
    const alpha = await createWebApp(as, "Alpha service");
    const beta = await createWebApp(as, "Beta service");
    await call("POST", `/api/v1/apps/${beta.id}/lifecycle/deactivate`, as);

    const q = await call("GET", "/api/v1/apps?q=alp", as);
    expect(q.body.map((a: any) => a.id)).toEqual([alpha.id]);
    expect(links(q.headers).self).toBe(`${org.orgUrl}/api/v1/apps?q=alp`);
    // q also matches the app name (every app here is an oidc_client).
    expect((await call("GET", "/api/v1/apps?q=OIDC_", as)).body).toHaveLength(2);

    const inactive = await call("GET", `/api/v1/apps?filter=${encodeURIComponent('status eq "INACTIVE"')}`, as);
    expect(inactive.status).toBe(200);
    expect(inactive.body.map((a: any) => a.id)).toEqual([beta.id]);
    const byId = await call("GET", `/api/v1/apps?filter=${encodeURIComponent(`id eq "${alpha.id}" or id eq "${beta.id}"`)}`, as);
    expect(byId.body).toHaveLength(2);
    const byName = await call("GET", `/api/v1/apps?filter=${encodeURIComponent('name eq "oidc_client"')}`, as);
    expect(byName.body).toHaveLength(2);

    const unknownAttr = await call("GET", `/api/v1/apps?filter=${encodeURIComponent('label eq "x"')}`, as);
    expect(unknownAttr.status).toBe(400);
    const broken = await call("GET", `/api/v1/apps?filter=${encodeURIComponent('status eq')}`, as);
    expect(broken.status).toBe(400);
  });

  it("refuses a bad limit or cursor", async () => {
    expect((await call("GET", "/api/v1/apps?limit=0")).body.errorCode).toBe("E0000001");
    expect((await call("GET", "/api/v1/apps?limit=abc")).status).toBe(400);
    const cursor = await call("GET", "/api/v1/apps?after=garbage");
    expect(cursor.status).toBe(400);
    expect(cursor.body.errorCode).toBe("E0000029");
  });
});

describe("org isolation", () => {
  it("an app of one org is 404 in another and absent from its list", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const app = await createWebApp(asOrg(a), "Org A app");
    for (const [method, path] of [
      ["GET", `/api/v1/apps/${app.id}`],
      ["PUT", `/api/v1/apps/${app.id}`],
      ["POST", `/api/v1/apps/${app.id}/lifecycle/deactivate`],
      ["DELETE", `/api/v1/apps/${app.id}`],
      ["GET", `/api/v1/apps/${app.id}/grants`],
    ] as const) {
      const reply = await call(method, path, { ...asOrg(b), body: method === "PUT" ? webAppBody() : undefined });
      expect(reply.status, `${method} ${path}`).toBe(404);
    }
    expect((await call("GET", "/api/v1/apps", asOrg(b))).body).toEqual([]);
    expect((await call("GET", `/api/v1/apps/${app.id}`, asOrg(a))).body.status).toBe("ACTIVE");
    // Another org's token does not open this org.
    expect((await call("GET", `/api/v1/apps/${app.id}`, { auth: b.ssws, orgUrl: a.orgUrl })).status).toBe(401);
  });
});
