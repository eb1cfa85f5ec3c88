import { env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";
import { loggablePath } from "../../src/operator/request-log/redact";
import { REQUEST_LOG_SIZE, logFlushed, recentRequests, record } from "../../src/operator/request-log/writer";
import { getAccessToken, authHeaders, registerServiceClient, clientAssertion, JWT_BEARER } from "../support/oauth";
import { OPERATOR, call, createOrg } from "../support/http";

const logOf = (slug: string, query = "") => call("GET", `/_edgeorg/orgs/${slug}/requests${query}`, { auth: OPERATOR });

describe("the request log", () => {
  it("lists an org's requests newest first: method, path, status, caller, error code, latency, request id", async () => {
    const org = await createOrg();
    const ok = await call("GET", "/api/v1/users?limit=5", { auth: org.ssws, orgUrl: org.orgUrl });
    const missing = await call("GET", "/api/v1/users/00unope", { auth: org.ssws, orgUrl: org.orgUrl });
    const anonymous = await call("GET", "/api/v1/groups", { auth: null, orgUrl: org.orgUrl });

    const reply = await logOf(org.slug);
    expect(reply.status).toBe(200);
    const entries = reply.body;
    expect(entries.map((e: any) => e.requestId)).toEqual(
      [anonymous, missing, ok].map((r) => r.headers.get("x-okta-request-id")),
    );
    const [noCredential, notFound, listed] = entries;
    expect(listed).toMatchObject({ method: "GET", path: "/api/v1/users?limit=5", status: 200, errorCode: null, fault: null });
    expect(listed.actor).toEqual({ kind: "admin", id: expect.stringMatching(/^00u/) });
    expect(typeof listed.latencyMs).toBe("number");
    expect(Date.parse(listed.time)).not.toBeNaN();
    expect(notFound).toMatchObject({ status: 404, errorCode: "E0000007", path: "/api/v1/users/00unope" });
    expect(noCredential).toMatchObject({ status: 403, errorCode: "E0000005", actor: null });

    // Other orgs' requests are not in it; ?limit cuts it.
    expect((await logOf("default")).body.some((e: any) => e.requestId === listed.requestId)).toBe(false);
    expect((await logOf(org.slug, "?limit=2")).body).toHaveLength(2);
    expect((await logOf(org.slug, "?limit=0")).body.errorCode).toBe("E0000001");
  });

  it("says why an access token got a 403: the scope the route needs, the client that called", async () => {
    const org = await createOrg();
    const token = await getAccessToken(["okta.groups.read"], { org });
    const url = `${org.orgUrl}/api/v1/users/00usomeone`;
    const { auth, headers } = await authHeaders(token, "GET", url);
    const refused = await call("GET", url, { auth, headers });
    expect(refused.status).toBe(403);
    const entry = (await logOf(org.slug)).body.find((e: any) => e.requestId === refused.headers.get("x-okta-request-id"));
    expect(entry).toMatchObject({
      status: 403,
      errorCode: "insufficient_scope",
      errorSummary: "The route needs the scope okta.users.read",
      actor: { kind: "client", id: token.client.clientId, clientId: token.client.clientId },
    });
  });

  it("records injected faults", async () => {
    const org = await createOrg();
    await call("POST", `/_edgeorg/orgs/${org.slug}/faults`, { auth: OPERATOR, body: { fault: "rateLimit", count: 1 } });
    const limited = await call("GET", "/api/v1/users", { auth: org.ssws, orgUrl: org.orgUrl });
    expect(limited.status).toBe(429);
    const [entry] = (await logOf(org.slug)).body;
    expect(entry).toMatchObject({ status: 429, errorCode: "E0000047", fault: "rateLimit" });
  });

  it("never keeps a credential: tokens, client assertions, secret query values, credential path parameters", async () => {
    const org = await createOrg();
    const client = await registerServiceClient(org, { scopes: ["okta.users.read"] });
    const assertion = await clientAssertion(client);
    await call("POST", "/oauth2/v1/token", {
      auth: null,
      orgUrl: org.orgUrl,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "okta.users.read", client_assertion_type: JWT_BEARER, client_assertion: assertion }).toString(),
    });
    const token = await getAccessToken(["okta.users.read"], { org, client });
    const url = `${org.orgUrl}/api/v1/users?limit=1&access_token=${token.accessToken}&sessionToken=s3cr3t-session`;
    const { auth, headers } = await authHeaders(token, "GET", url);
    expect((await call("GET", url, { auth, headers })).status).toBe(200);
    await call("GET", "/api/v1/users", { auth: "SSWS not-the-real-but-secret-anyway", orgUrl: org.orgUrl });
    await call("POST", `/oauth2/v1/introspect?token=${token.accessToken}`, { auth: null, orgUrl: org.orgUrl, body: `token=${token.accessToken}`, headers: { "Content-Type": "application/x-www-form-urlencoded" } });

    const secrets = [org.apiToken, token.accessToken, assertion, "s3cr3t-session", "not-the-real-but-secret-anyway", env.OPERATOR_TOKEN];
    const shown = (await logOf(org.slug)).text;
    await logFlushed();
    const stored = JSON.stringify((await env.DB.prepare("SELECT * FROM request_log").all()).results);
    for (const secret of secrets) {
      expect(shown).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(shown).toContain("/api/v1/users?limit=1&access_token=***&sessionToken=***");
    expect(shown).toContain("/oauth2/v1/introspect?token=***");
    // A route with a credential in its path (activation, reset links) keeps the parameter's name only.
    expect(loggablePath(new URL("https://o.test/tokens/abc123XYZ/verify"), "/tokens/:activationToken/verify")).toBe("/tokens/{activationToken}/verify");
    expect(loggablePath(new URL("https://o.test/api/v1/users/00u1"), "/api/v1/users/:id")).toBe("/api/v1/users/00u1");
  });

  it("keeps the newest REQUEST_LOG_SIZE entries of an org, writing them in batches off the response path", async () => {
    const org = await createOrg();
    const db = drizzle(env.DB, { schema });
    // Earlier requests' entries may still wait for their flush; this burst must start its own.
    await logFlushed();
    const writes: Promise<unknown>[] = [];
    const base = Date.now();
    for (let i = 0; i < REQUEST_LOG_SIZE + 30; i++) {
      record(db, (p) => writes.push(p), {
        orgId: org.id, requestId: `r${i}`, at: base + i, seq: i, method: "GET", path: `/n/${i}`, status: 200,
        actorKind: null, actorId: null, clientId: null, errorCode: null, errorSummary: null, fault: null, latencyMs: 1,
      });
    }
    // One flush for the whole burst (group commit), not one per entry.
    expect(writes).toHaveLength(1);
    await Promise.all(writes);
    const { results } = await env.DB.prepare("SELECT request_id FROM request_log WHERE org_id = ?").bind(org.id).all();
    expect(results).toHaveLength(REQUEST_LOG_SIZE);
    const newest = await recentRequests(db, org.id, 3);
    expect(newest.map((e) => e.requestId)).toEqual([`r${REQUEST_LOG_SIZE + 29}`, `r${REQUEST_LOG_SIZE + 28}`, `r${REQUEST_LOG_SIZE + 27}`]);
  });

  it("needs the operator token", async () => {
    const org = await createOrg();
    expect((await call("GET", `/_edgeorg/orgs/${org.slug}/requests`, { auth: org.ssws })).status).toBe(401);
  });
});

describe("the request log page", () => {
  const basic = (password: string) => `Basic ${btoa(`operator:${password}`)}`;

  it("asks a browser for the operator token (HTTP Basic) and refuses a wrong one", async () => {
    const none = await call("GET", "/_edgeorg/requests-view", { auth: null });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain('Basic realm="edgeorg operator"');
    expect((await call("GET", "/_edgeorg/requests-view", { auth: basic("wrong") })).status).toBe(401);
    expect((await call("GET", "/_edgeorg/requests-view", { auth: OPERATOR })).status).toBe(401);
  });

  it("shows an org's log, escaping what requests put in it", async () => {
    const org = await createOrg();
    await call("GET", `/api/v1/users/${encodeURIComponent('<script>alert("x")</script>')}`, { auth: org.ssws, orgUrl: org.orgUrl });
    const page = await call("GET", `/_edgeorg/requests-view?org=${org.slug}`, { auth: basic(env.OPERATOR_TOKEN!) });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.text).toContain("E0000007");
    expect(page.text).toContain("&lt;script&gt;");
    expect(page.text).not.toContain("<script");
    expect((await call("GET", "/_edgeorg/requests-view?org=no-such-org", { auth: basic(env.OPERATOR_TOKEN!) })).status).toBe(404);
  });
});
