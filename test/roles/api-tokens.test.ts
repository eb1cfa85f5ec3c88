import { beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_SSWS, call, createOrg, OPERATOR, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";
import { as, assignRole, makeUser, tokenFor, type Api } from "./helpers";

/** /api/v1/api-tokens (OpenAPI ApiToken) and the operator's way to make tokens. */
let org: TestOrg;
let root: Api;

beforeAll(async () => {
  org = await createOrg();
  root = as(org, org.ssws);
});

function expectApiToken(body: any, userId: string) {
  expectOktaSchema(body, "ApiToken");
  expect(body).toMatchObject({ userId, clientName: "Okta API", tokenWindow: "P30D", network: { connection: "ANYWHERE" } });
  expect(body.id).toMatch(/^00T[0-9A-Za-z]{17}$/);
  expect(body._link.self.href).toBe(`${org.orgUrl}/api/v1/api-tokens/${body.id}`);
  expect(body).not.toHaveProperty("token");
  expect(body).not.toHaveProperty("tokenHash");
}

describe("API tokens", () => {
  it("the operator makes a token for a user (201, the value once); it lists, gets and acts for that user", async () => {
    const adminId = (await root.get("/api/v1/users/me")).body.id;
    const made = await tokenFor(org, adminId, "ci");
    expect(made.reply.body.apiToken).toMatch(/^00[0-9A-Za-z]{40}$/);
    expect(made.reply.body).toMatchObject({ name: "ci", userId: adminId });
    const listed = await root.get("/api/v1/api-tokens");
    expect(listed.status).toBe(200);
    expect(listed.body.map((t: any) => t.name)).toEqual(["bootstrap", "ci"]);
    for (const token of listed.body) expectApiToken(token, adminId);
    expect((await root.get(`/api/v1/api-tokens/${made.id}`)).body).toEqual(listed.body[1]);
    expect((await as(org, made.ssws).get("/api/v1/users/me")).body.id).toBe(adminId);
  });

  it("revokes one token (204, then 401 E0000011), and the current one", async () => {
    const adminId = (await root.get("/api/v1/users/me")).body.id;
    const one = await tokenFor(org, adminId);
    const two = await tokenFor(org, adminId);
    expect((await root.del(`/api/v1/api-tokens/${one.id}`)).status).toBe(204);
    const revoked = await as(org, one.ssws).get("/api/v1/users/me");
    expect(revoked.status).toBe(401);
    expect(revoked.body.errorCode).toBe("E0000011");
    expect((await root.get(`/api/v1/api-tokens/${one.id}`)).status).toBe(404);

    const current = as(org, two.ssws);
    expect((await current.del("/api/v1/api-tokens/current")).status).toBe(204);
    expect((await current.get("/api/v1/users/me")).status).toBe(401);
    expect((await root.get("/api/v1/users/me")).status).toBe(200);
  });

  it("an admin who is not SUPER_ADMIN sees and revokes only its own tokens", async () => {
    const user = await makeUser(root);
    await assignRole(root, `/api/v1/users/${user.id}`, "READ_ONLY_ADMIN");
    const own = await tokenFor(org, user.id);
    const api = as(org, own.ssws);
    const listed = await api.get("/api/v1/api-tokens");
    expect(listed.body.map((t: any) => t.id)).toEqual([own.id]);
    const bootstrap = (await root.get("/api/v1/api-tokens")).body.find((t: any) => t.name === "bootstrap");
    expect((await api.get(`/api/v1/api-tokens/${bootstrap.id}`)).status).toBe(404);
    expect((await api.del(`/api/v1/api-tokens/${bootstrap.id}`)).status).toBe(404);
    expect((await api.del(`/api/v1/api-tokens/${own.id}`)).status).toBe(204);
  });

  it("the default org's bootstrap token is configuration: not listed, not revocable through the API", async () => {
    expect((await call("GET", "/api/v1/api-tokens", { auth: BOOTSTRAP_SSWS })).body).toEqual([]);
    const refused = await call("DELETE", "/api/v1/api-tokens/current", { auth: BOOTSTRAP_SSWS });
    expect(refused.status).toBe(403);
    expect((await call("GET", "/api/v1/users/me", { auth: BOOTSTRAP_SSWS })).status).toBe(200);
  });

  it("the operator route validates: unknown org 404, a userId not a string 400, unknown user 404, operator token only", async () => {
    const path = `/_edgeorg/orgs/${org.slug}/apiTokens`;
    expect((await call("POST", "/_edgeorg/orgs/nope-nope/apiTokens", { auth: OPERATOR, body: { userId: "x" } })).status).toBe(404);
    const wrong = await call("POST", path, { auth: OPERATOR, body: { userId: 5 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errorCode).toBe("E0000001");
    expect((await call("POST", path, { auth: OPERATOR, body: { userId: "00uNotThere000000000" } })).status).toBe(404);
    expect((await call("POST", path, { auth: org.ssws, body: { userId: "x" } })).status).toBe(401);
  });
});
