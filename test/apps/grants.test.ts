import { describe, expect, it } from "vitest";
import { ORIGIN, call, createOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { getAccessToken, registerServiceClient, requestToken } from "../support/oauth";
import { asOrg, createWebApp, webAppBody } from "./fixtures";

function causes(body: any): string[] {
  return (body?.errorCauses ?? []).map((c: { errorSummary: string }) => c.errorSummary);
}

describe("POST /api/v1/apps/:appId/grants", () => {
  it("grants an okta.* scope: 201 with the grant object, its links and the embedded scope", async () => {
    const app = await createWebApp({}, "Granted app");
    const reply = await call("POST", `/api/v1/apps/${app.id}/grants`, { body: { scopeId: "okta.users.read", issuer: ORIGIN } });
    expect(reply.status).toBe(201);
    expectOktaSchema(reply.body, "OAuth2ScopeConsentGrant");
    const grant = reply.body;
    expect(grant.id).toMatch(/^oag[A-Za-z0-9]{17}$/);
    expect(grant).toMatchObject({
      status: "ACTIVE",
      issuer: ORIGIN,
      clientId: app.id,
      scopeId: "okta.users.read",
      source: "ADMIN",
      _embedded: { scope: { id: "okta.users.read" } },
    });
    // SSWS: the token's owner, the org's super-admin user.
    expect(grant.createdBy.type).toBe("User");
    expect(grant.createdBy.id).toMatch(/^00u/);
    expect(grant.created).toMatch(/Z$/);
    expect(grant._links.app).toEqual({ href: `${ORIGIN}/api/v1/apps/${app.id}`, title: "Granted app" });
    expect(grant._links.self).toEqual({ href: `${ORIGIN}/api/v1/apps/${app.id}/grants/${grant.id}`, hints: { allow: ["GET", "DELETE"] } });
    expect(grant._links.client).toEqual({ href: `${ORIGIN}/oauth2/v1/clients/${app.id}`, title: "Granted app" });
  });

  it("refuses a scope outside the okta.* catalogue, a missing scopeId or issuer, and a foreign issuer", async () => {
    const app = await createWebApp();
    for (const [body, field] of [
      [{ scopeId: "openid", issuer: ORIGIN }, "scopeId"],
      [{ scopeId: "okta.nothing.read", issuer: ORIGIN }, "scopeId"],
      [{ scopeId: 42, issuer: ORIGIN }, "scopeId"],
      [{ issuer: ORIGIN }, "scopeId"],
      [{ scopeId: "okta.users.read" }, "issuer"],
      [{ scopeId: "okta.users.read", issuer: `${ORIGIN}/oauth2/default` }, "issuer"],
      [{ scopeId: "okta.users.read", issuer: "https://other.example.com" }, "issuer"],
    ] as const) {
      const reply = await call("POST", `/api/v1/apps/${app.id}/grants`, { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(causes(reply.body).some((c) => c.startsWith(`${field}:`)), JSON.stringify(reply.body)).toBe(true);
    }
    const both = await call("POST", `/api/v1/apps/${app.id}/grants`, { body: {} });
    expect(causes(both.body).map((c) => c.split(":")[0])).toEqual(["scopeId", "issuer"]);
  });

  it("accepts the .self and okta.clients scopes, and the issuer with a trailing slash", async () => {
    const app = await createWebApp();
    for (const scopeId of ["okta.users.read.self", "okta.users.manage.self", "okta.clients.register", "okta.logs.read", "okta.appGrants.manage"]) {
      const reply = await call("POST", `/api/v1/apps/${app.id}/grants`, { body: { scopeId, issuer: `${ORIGIN}/` } });
      expect(reply.status, scopeId).toBe(201);
      expect(reply.body.issuer).toBe(ORIGIN);
    }
  });

  it("refuses a scope already granted with E0000001", async () => {
    const app = await createWebApp();
    const body = { scopeId: "okta.groups.read", issuer: ORIGIN };
    expect((await call("POST", `/api/v1/apps/${app.id}/grants`, { body })).status).toBe(201);
    const again = await call("POST", `/api/v1/apps/${app.id}/grants`, { body });
    expect(again.status).toBe(400);
    expect(again.body.errorCode).toBe("E0000001");
    expect(causes(again.body)[0]).toMatch(/^scopeId: The scope 'okta.groups.read' has already been granted/);
    expect((await call("GET", `/api/v1/apps/${app.id}/grants`)).body).toHaveLength(1);
  });

  it("is 404 E0000007 for an unknown app", async () => {
    const reply = await call("POST", "/api/v1/apps/0oaMissing/grants", { body: { scopeId: "okta.users.read", issuer: ORIGIN } });
    expect(reply.status).toBe(404);
    expect(reply.body.errorCode).toBe("E0000007");
    expect(reply.body.errorSummary).toBe("Not found: Resource not found: 0oaMissing (AppInstance)");
    for (const [method, path] of [
      ["GET", "/api/v1/apps/0oaMissing/grants"],
      ["GET", "/api/v1/apps/0oaMissing/grants/oagX"],
      ["DELETE", "/api/v1/apps/0oaMissing/grants/oagX"],
    ] as const) {
      expect((await call(method, path)).status).toBe(404);
    }
  });

  it("takes a custom client_id in the path as well as the app id", async () => {
    const body = webAppBody("custom");
    (body.credentials.oauthClient as any).client_id = "grants-by-client-id";
    const app = (await call("POST", "/api/v1/apps", { body })).body;
    const reply = await call("POST", "/api/v1/apps/grants-by-client-id/grants", { body: { scopeId: "okta.users.read", issuer: ORIGIN } });
    expect(reply.status).toBe(201);
    expect(reply.body.clientId).toBe("grants-by-client-id");
    expect(reply.body._links.app.href).toBe(`${ORIGIN}/api/v1/apps/${app.id}`);
    expect((await call("GET", `/api/v1/apps/${app.id}/grants`)).body).toHaveLength(1);
  });
});

describe("GET and DELETE grants", () => {
  it("lists and gets grants, embedding the scope with expand=scope", async () => {
    const app = await createWebApp();
    const a = (await call("POST", `/api/v1/apps/${app.id}/grants`, { body: { scopeId: "okta.users.read", issuer: ORIGIN } })).body;
    const b = (await call("POST", `/api/v1/apps/${app.id}/grants`, { body: { scopeId: "okta.groups.manage", issuer: ORIGIN } })).body;

    const list = await call("GET", `/api/v1/apps/${app.id}/grants?expand=scope`);
    expect(list.status).toBe(200);
    expect(list.body.map((g: any) => g.id)).toEqual([a.id, b.id]);
    for (const grant of list.body) expectOktaSchema(grant, "OAuth2ScopeConsentGrant");
    expect(list.body[1]._embedded).toEqual({ scope: { id: "okta.groups.manage" } });
    expect(list.headers.get("link")).toBeNull();
    const plain = await call("GET", `/api/v1/apps/${app.id}/grants`);
    expect(plain.body[0]._embedded).toBeUndefined();

    const one = await call("GET", `/api/v1/apps/${app.id}/grants/${b.id}?expand=scope`);
    expect(one.status).toBe(200);
    expectOktaSchema(one.body, "OAuth2ScopeConsentGrant");
    expect(one.body).toEqual(list.body[1]);

    const unknown = await call("GET", `/api/v1/apps/${app.id}/grants/oagUnknown`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errorCode).toBe("E0000007");
  });

  it("a grant of another app is 404 under this app", async () => {
    const one = await createWebApp();
    const two = await createWebApp();
    const grant = (await call("POST", `/api/v1/apps/${one.id}/grants`, { body: { scopeId: "okta.users.read", issuer: ORIGIN } })).body;
    expect((await call("GET", `/api/v1/apps/${two.id}/grants/${grant.id}`)).status).toBe(404);
    expect((await call("DELETE", `/api/v1/apps/${two.id}/grants/${grant.id}`)).status).toBe(404);
  });

  it("DELETE revokes: 204, gone from the list, and the token endpoint stops granting the scope", async () => {
    const client = await registerServiceClient(undefined, { scopes: ["okta.users.read", "okta.groups.read"] });
    const before = await requestToken(client, { scopes: ["okta.users.read", "okta.groups.read"] });
    expect(before.status).toBe(200);
    expect(before.body.scope.split(" ").sort()).toEqual(["okta.groups.read", "okta.users.read"]);

    const grants = (await call("GET", `/api/v1/apps/${client.clientId}/grants`)).body;
    const usersRead = grants.find((g: any) => g.scopeId === "okta.users.read");
    const deleted = await call("DELETE", `/api/v1/apps/${client.clientId}/grants/${usersRead.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await call("GET", `/api/v1/apps/${client.clientId}/grants/${usersRead.id}`)).status).toBe(404);
    expect((await call("GET", `/api/v1/apps/${client.clientId}/grants`)).body.map((g: any) => g.scopeId)).toEqual(["okta.groups.read"]);

    const after = await requestToken(client, { scopes: ["okta.users.read", "okta.groups.read"] });
    expect(after.status).toBe(200);
    expect(after.body.scope).toBe("okta.groups.read");
    const none = await requestToken(client, { scopes: ["okta.users.read"] });
    expect(none.status).toBe(400);
    expect(none.body.error).toBe("consent_required");
  });

  it("a grant made with an access token names the client as its creator", async () => {
    const admin = await registerServiceClient(undefined, { scopes: ["okta.appGrants.manage"] });
    const token = await getAccessToken(["okta.appGrants.manage"], { client: admin });
    const target = await createWebApp();
    const reply = await call("POST", `/api/v1/apps/${target.id}/grants`, {
      auth: `Bearer ${token.accessToken}`,
      body: { scopeId: "okta.users.read", issuer: ORIGIN },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.createdBy).toEqual({ id: admin.clientId, type: "PublicClientApp" });
  });

  it("deleting the app deletes its grants (a new app never inherits them)", async () => {
    const org = await createOrg();
    const app = await createWebApp(asOrg(org));
    await call("POST", `/api/v1/apps/${app.id}/grants`, { ...asOrg(org), body: { scopeId: "okta.users.read", issuer: org.orgUrl } });
    await call("POST", `/api/v1/apps/${app.id}/lifecycle/deactivate`, asOrg(org));
    expect((await call("DELETE", `/api/v1/apps/${app.id}`, asOrg(org))).status).toBe(204);
    expect((await call("GET", `/api/v1/apps/${app.id}/grants`, asOrg(org))).status).toBe(404);
  });

  it("grants are per org: the issuer must be that org's URL", async () => {
    const org = await createOrg();
    const app = await createWebApp(asOrg(org));
    const wrong = await call("POST", `/api/v1/apps/${app.id}/grants`, { ...asOrg(org), body: { scopeId: "okta.users.read", issuer: ORIGIN } });
    expect(wrong.status).toBe(400);
    const right = await call("POST", `/api/v1/apps/${app.id}/grants`, { ...asOrg(org), body: { scopeId: "okta.users.read", issuer: org.orgUrl } });
    expect(right.status).toBe(201);
    expect(right.body._links.self.href).toBe(`${org.orgUrl}/api/v1/apps/${app.id}/grants/${right.body.id}`);
  });
});
