import { describe, expect, it } from "vitest";
import { OPERATOR, call, createOrg, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";

const faultsOf = (slug: string) => `/_edgeorg/orgs/${slug}/faults`;
const addRule = (slug: string, body: unknown) => call("POST", faultsOf(slug), { auth: OPERATOR, body });

async function orgWithRule(body: Record<string, unknown>): Promise<TestOrg> {
  const org = await createOrg();
  const reply = await addRule(org.slug, body);
  expect(reply.status, reply.text).toBe(201);
  return org;
}

describe("failure injection: the operator API", () => {
  it("adds, lists and clears an org's rules", async () => {
    const org = await createOrg();
    const added = await addRule(org.slug, { method: "get", path: "/api/v1/users*", fault: "rateLimit", count: 2 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ method: "GET", path: "/api/v1/users*", fault: "rateLimit", resetSeconds: 1, probability: 1, remaining: 2 });
    expect(added.body.id).toMatch(/^flt[0-9A-Za-z]{17}$/);
    const second = await addRule(org.slug, { fault: "latency", latencyMs: 5 });
    expect(second.body).toMatchObject({ method: "*", path: "*", fault: "latency", latencyMs: 5, remaining: null });

    const listed = await call("GET", faultsOf(org.slug), { auth: OPERATOR });
    expect(listed.body.map((r: any) => r.id)).toEqual([added.body.id, second.body.id]);

    expect((await call("DELETE", `${faultsOf(org.slug)}/${second.body.id}`, { auth: OPERATOR })).status).toBe(204);
    expect((await call("GET", faultsOf(org.slug), { auth: OPERATOR })).body).toHaveLength(1);
    expect((await call("DELETE", faultsOf(org.slug), { auth: OPERATOR })).status).toBe(204);
    expect((await call("GET", faultsOf(org.slug), { auth: OPERATOR })).body).toEqual([]);
    const gone = await call("DELETE", `${faultsOf(org.slug)}/${second.body.id}`, { auth: OPERATOR });
    expect(gone.status).toBe(404);
    expect(gone.body.errorCode).toBe("E0000007");
  });

  it("refuses bad rules with E0000001, one cause per field", async () => {
    const org = await createOrg();
    const cases: [unknown, string[]][] = [
      [{}, ["fault: "]],
      [{ fault: "explode" }, ["fault: Must be one of latency, rateLimit, serverError, drop"]],
      [{ fault: "latency" }, ["latencyMs: The field cannot be left blank"]],
      [{ fault: "latency", latencyMs: 60_000 }, ["latencyMs: "]],
      [{ fault: "drop", probability: 0 }, ["probability: "]],
      [{ fault: "drop", count: 0 }, ["count: "]],
      [{ fault: "rateLimit", status: 500 }, ["status: Only a serverError fault takes a status"]],
      [{ fault: "serverError", status: 418 }, ["status: Must be 500, 502, 503 or 504"]],
      [{ fault: "drop", method: "BREW" }, ["method: Must be GET, POST, PUT, DELETE, PATCH or *"]],
      [{ fault: "drop", path: "api/v1/users" }, ["path: Must start with / (or be *)"]],
      [{ fault: "drop", latency_ms: 5 }, ["body: "]],
    ];
    for (const [body, causes] of cases) {
      const reply = await addRule(org.slug, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      const summaries = reply.body.errorCauses.map((c: any) => c.errorSummary);
      for (const cause of causes) expect(summaries.some((s: string) => s.startsWith(cause)), `${JSON.stringify(body)} → ${summaries}`).toBe(true);
    }
    expect((await call("GET", faultsOf(org.slug), { auth: OPERATOR })).body).toEqual([]);
  });

  it("needs the operator token, answers at the root only, and 404s an unknown org", async () => {
    const org = await createOrg();
    expect((await call("GET", faultsOf(org.slug), { auth: org.ssws })).status).toBe(401);
    expect((await call("GET", faultsOf(org.slug), { auth: OPERATOR, orgUrl: org.orgUrl })).status).toBe(404);
    const unknown = await call("GET", faultsOf("no-such-org"), { auth: OPERATOR });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errorCode).toBe("E0000008");
  });

  it("addresses the default org as `default`", async () => {
    const added = await addRule("default", { path: "/api/v1/groups/never-matches", fault: "serverError" });
    expect(added.status).toBe(201);
    const hit = await call("GET", "/api/v1/groups/never-matches");
    expect(hit.status).toBe(500);
    expect((await call("DELETE", faultsOf("default"), { auth: OPERATOR })).status).toBe(204);
    expect((await call("GET", "/api/v1/groups/never-matches")).status).toBe(404);
  });
});

describe("failure injection: what a client sees", () => {
  it("answers 429 E0000047 with Okta's rate-limit headers for the next N matching requests, then serves normally", async () => {
    const org = await orgWithRule({ method: "GET", path: "/api/v1/users", fault: "rateLimit", count: 2, resetSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const limited = await call("GET", "/api/v1/users", { auth: org.ssws, orgUrl: org.orgUrl });
      expect(limited.status).toBe(429);
      expect(limited.body.errorCode).toBe("E0000047");
      expect(limited.body.errorSummary).toBe("API call exceeded rate limit due to too many requests.");
      expectOktaSchema(limited.body, "Error");
      expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
      expect(limited.headers.get("x-rate-limit-limit")).toBe("600");
      const reset = Number(limited.headers.get("x-rate-limit-reset"));
      const date = Date.parse(limited.headers.get("date")!) / 1000;
      expect(reset - Math.floor(date)).toBe(7);
      expect(limited.headers.get("x-okta-request-id")).toBeTruthy();
    }
    expect((await call("GET", "/api/v1/users", { auth: org.ssws, orgUrl: org.orgUrl })).status).toBe(200);
    expect((await call("GET", faultsOf(org.slug), { auth: OPERATOR })).body[0].remaining).toBe(0);
  });

  it("matches by method and path pattern only", async () => {
    const org = await orgWithRule({ method: "POST", path: "/api/v1/groups/:groupId/*", fault: "serverError", status: 503 });
    expect((await call("GET", "/api/v1/groups", { auth: org.ssws, orgUrl: org.orgUrl })).status).toBe(200);
    expect((await call("POST", "/api/v1/groups", { auth: org.ssws, orgUrl: org.orgUrl, body: { profile: { name: "g" } } })).status).toBe(200);
    const failed = await call("POST", "/api/v1/groups/00gabc/owners", { auth: org.ssws, orgUrl: org.orgUrl, body: {} });
    expect(failed.status).toBe(503);
    expect(failed.body.errorCode).toBe("E0000009");
    expect(failed.body.errorSummary).toBe("Internal Server Error");
  });

  it("faults before authentication: a request without a credential gets the fault, and so does the token endpoint", async () => {
    const org = await orgWithRule({ fault: "serverError" });
    expect((await call("GET", "/api/v1/users", { auth: null, orgUrl: org.orgUrl })).status).toBe(500);
    expect((await call("POST", "/oauth2/v1/token", { auth: null, orgUrl: org.orgUrl, body: "grant_type=client_credentials" })).status).toBe(500);
    // Another org and the operator API are untouched.
    expect((await call("GET", "/api/v1/users")).status).toBe(200);
    expect((await call("GET", faultsOf(org.slug), { auth: OPERATOR })).status).toBe(200);
  });

  it("adds latency and then answers normally", async () => {
    const org = await orgWithRule({ path: "/api/v1/users", fault: "latency", latencyMs: 20 });
    const reply = await call("GET", "/api/v1/users", { auth: org.ssws, orgUrl: org.orgUrl });
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.body)).toBe(true);
  });

  it("drops the connection: the headers arrive, then reading the body fails", async () => {
    const org = await orgWithRule({ path: "/api/v1/users", fault: "drop", count: 1 });
    const { exports } = await import("cloudflare:workers");
    const response = await exports.default.fetch(new Request(`${org.orgUrl}/api/v1/users`, { headers: { Authorization: org.ssws } }));
    await expect(response.text()).rejects.toThrow();
    expect((await call("GET", "/api/v1/users", { auth: org.ssws, orgUrl: org.orgUrl })).status).toBe(200);
  });

  it("hits with the given probability: 1 always, a tiny one (almost) never", async () => {
    const org = await orgWithRule({ path: "/api/v1/apps", fault: "serverError", probability: 1e-9 });
    for (let i = 0; i < 5; i++) expect((await call("GET", "/api/v1/apps", { auth: org.ssws, orgUrl: org.orgUrl })).status).toBe(200);
  });
});
