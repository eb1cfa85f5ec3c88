import { describe, expect, it } from "vitest";
import { BOOTSTRAP_SSWS, call, createOrg } from "../support/http";

// REFERENCE §6.5: how the management API answers each kind of credential.
describe("API tokens (SSWS) and missing credentials", () => {
  it("no Authorization header, or a scheme Okta does not know: 403 E0000005 Invalid session", async () => {
    for (const auth of [null, "Basic dXNlcjpwYXNz", "test-bootstrap-api-token", "Token abc"]) {
      const reply = await call("GET", "/api/v1/users", { auth });
      expect(reply.status, String(auth)).toBe(403);
      expect(reply.body).toMatchObject({ errorCode: "E0000005", errorSummary: "Invalid session" });
    }
  });

  it("an unknown, empty or JWT-shaped SSWS token: 401 E0000011", async () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    for (const auth of ["SSWS 00notARealToken", "SSWS", "SSWS ", `SSWS ${jwt}`]) {
      const reply = await call("GET", "/api/v1/users", { auth });
      expect(reply.status, auth).toBe(401);
      expect(reply.body).toMatchObject({ errorCode: "E0000011", errorSummary: "Invalid token provided" });
    }
  });

  it("the scheme is read case-insensitively, the token exactly", async () => {
    expect((await call("GET", "/api/v1/users", { auth: BOOTSTRAP_SSWS.replace("SSWS", "ssws") })).status).toBe(200);
    expect((await call("GET", "/api/v1/users", { auth: BOOTSTRAP_SSWS.toUpperCase() })).status).toBe(401);
  });

  it("an org's token works on its own org only", async () => {
    const a = await createOrg();
    const b = await createOrg();
    expect((await call("GET", "/api/v1/users", { auth: a.ssws, orgUrl: a.orgUrl })).status).toBe(200);
    for (const [auth, orgUrl] of [
      [a.ssws, b.orgUrl],
      [b.ssws, a.orgUrl],
      [BOOTSTRAP_SSWS, a.orgUrl],
      [a.ssws, undefined],
    ] as const) {
      const reply = await call("GET", "/api/v1/users", { auth, ...(orgUrl ? { orgUrl } : {}) });
      expect(reply.status).toBe(401);
      expect(reply.body.errorCode).toBe("E0000011");
    }
  });
});

describe("org isolation", () => {
  it("rows of one org are invisible from another, by id and in lists", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const asA = (method: string, path: string, body?: unknown) => call(method, path, { auth: a.ssws, orgUrl: a.orgUrl, body });
    const asB = (method: string, path: string) => call(method, path, { auth: b.ssws, orgUrl: b.orgUrl });

    const user = await asA("POST", "/api/v1/users?activate=false", {
      profile: { firstName: "Iso", lastName: "Lated", email: "iso@example.com", login: "iso@example.com" },
    });
    const group = await asA("POST", "/api/v1/groups", { profile: { name: "Isolated group" } });
    const app = await asA("POST", "/api/v1/apps", {
      name: "oidc_client",
      label: "Isolated app",
      signOnMode: "OPENID_CONNECT",
      credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic" } },
      settings: { oauthClient: { application_type: "service", grant_types: ["client_credentials"], response_types: ["token"] } },
    });
    const server = await asA("POST", "/api/v1/authorizationServers", {
      name: "Isolated server",
      description: "only in org A",
      audiences: ["api://isolated"],
    });
    for (const created of [user, group, app, server]) expect(created.status, created.text).toBeLessThan(300);

    const byId: [string, string][] = [
      [`/api/v1/users/${user.body.id}`, "E0000007"],
      ["/api/v1/users/iso@example.com", "E0000007"],
      [`/api/v1/groups/${group.body.id}`, "E0000007"],
      [`/api/v1/apps/${app.body.id}`, "E0000007"],
      [`/oauth2/v1/clients/${app.body.id}`, "E0000007"],
      [`/api/v1/authorizationServers/${server.body.id}`, "E0000007"],
    ];
    for (const [path, code] of byId) {
      const reply = await asB("GET", path);
      expect(reply.status, path).toBe(404);
      expect(reply.body.errorCode).toBe(code);
    }
    const lists: [string, string][] = [
      ["/api/v1/users?search=profile.login%20eq%20%22iso%40example.com%22", user.body.id],
      ["/api/v1/groups", group.body.id],
      ["/api/v1/apps", app.body.id],
      ["/oauth2/v1/clients", app.body.id],
      ["/api/v1/authorizationServers", server.body.id],
    ];
    for (const [path, id] of lists) {
      const reply = await asB("GET", path);
      expect(reply.status, path).toBe(200);
      expect(JSON.stringify(reply.body)).not.toContain(id);
    }
    // The custom server's token endpoint is not reachable through the other org either.
    const token = await call("GET", `/oauth2/${server.body.id}/.well-known/oauth-authorization-server`, { auth: null, orgUrl: b.orgUrl });
    expect(token.status).toBe(404);
  });
});
