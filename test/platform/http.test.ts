import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { OPERATOR, call } from "../support/http";

function expectOktaError(body: any, code: string) {
  expect(body).toMatchObject({ errorCode: code, errorLink: code });
  expect(typeof body.errorSummary).toBe("string");
  expect(body.errorId).toMatch(/^oae[0-9A-Za-z]{22}$/);
  expect(Array.isArray(body.errorCauses)).toBe(true);
}

describe("every response", () => {
  it("carries X-Okta-Request-Id, unique per request", async () => {
    const a = await call("GET", "/.well-known/openid-configuration", { auth: null });
    const b = await call("GET", "/no/such/path", { auth: null });
    expect(a.headers.get("x-okta-request-id")).toMatch(/^[0-9A-Za-z]{24}$/);
    expect(b.headers.get("x-okta-request-id")).toMatch(/^[0-9A-Za-z]{24}$/);
    expect(a.headers.get("x-okta-request-id")).not.toBe(b.headers.get("x-okta-request-id"));
  });

  it("carries Okta's rate-limit headers with a reset in epoch seconds", async () => {
    const reply = await call("GET", "/.well-known/openid-configuration", { auth: null });
    expect(Number(reply.headers.get("x-rate-limit-limit"))).toBeGreaterThan(0);
    expect(Number(reply.headers.get("x-rate-limit-remaining"))).toBeGreaterThanOrEqual(0);
    const reset = Number(reply.headers.get("x-rate-limit-reset"));
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThan(Date.now() / 1000 + 3600);
  });
});

describe("unknown paths and methods", () => {
  it("answers an unknown path with 404 E0000008", async () => {
    const reply = await call("GET", "/api/v1/nothing-here");
    expect(reply.status).toBe(404);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expectOktaError(reply.body, "E0000008");
  });

  it("answers a known path with the wrong method with 405 E0000022 and Allow", async () => {
    const reply = await call("DELETE", "/.well-known/openid-configuration", { auth: null });
    expect(reply.status).toBe(405);
    expectOktaError(reply.body, "E0000022");
    expect(reply.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "HEAD"]);

    const orgs = await call("PUT", "/_edgeorg/orgs", { auth: OPERATOR });
    expect(orgs.status).toBe(405);
    expect(orgs.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "HEAD", "POST"]);
  });

  // Issue 14: middleware under /api/v1/authorizationServers/{id} read the org of a route that
  // never matched and answered 500 — for PUT, POST and DELETE, even without credentials.
  it("answers unrouted paths under a namespace's middleware with 404/405, not 500", async () => {
    for (const method of ["PUT", "POST", "DELETE", "PATCH"]) {
      for (const auth of [undefined, null]) {
        const reply = await call(method, "/api/v1/authorizationServers/default/lifecycle/bogus", { auth, body: {} });
        expect(reply.status, `${method} ${auth}`).toBe(404);
        expectOktaError(reply.body, "E0000008");
      }
    }
    const wrongMethod = await call("PUT", "/api/v1/authorizationServers/default/lifecycle/activate", { auth: null });
    expect(wrongMethod.status).toBe(405);
    expectOktaError(wrongMethod.body, "E0000022");
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });

  it("answers an unrouted path with 404 whatever its body (no body is read for a path with no route)", async () => {
    const reply = await call("POST", "/api/v1/nothing-here", { body: "{not json" });
    expect(reply.status).toBe(404);
    expectOktaError(reply.body, "E0000008");
  });

  it("matches a parameterised path for 405", async () => {
    const reply = await call("GET", "/_edgeorg/orgs/some-slug", { auth: OPERATOR });
    expect(reply.status).toBe(405);
    expect(reply.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "PATCH", "PUT"]);
  });
});

describe("request bodies", () => {
  it("refuses malformed JSON with 400 E0000003", async () => {
    const reply = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: '{"slug": "x' });
    expect(reply.status).toBe(400);
    expectOktaError(reply.body, "E0000003");
  });

  it("refuses a body that is not application/json with 400 E0000021", async () => {
    const reply = await call("POST", "/_edgeorg/orgs", {
      auth: OPERATOR,
      body: "slug=abc",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(reply.status).toBe(400);
    expectOktaError(reply.body, "E0000021");
  });

  it("accepts JSON with parameters in the media type", async () => {
    const reply = await call("POST", "/_edgeorg/orgs", {
      auth: OPERATOR,
      body: { slug: "media-type-org" },
      headers: { "Content-Type": "application/json; charset=UTF-8" },
    });
    expect(reply.status).toBe(201);
  });

  it("refuses bodies over 1 MiB before parsing, declared or streamed", async () => {
    const big = JSON.stringify({ slug: "x".repeat(1024 * 1024) });
    const declared = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: big });
    expect(declared.status).toBe(413);
    expectOktaError(declared.body, "E0000001");

    // A chunked body has no Content-Length to trust: the limit holds while reading.
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const { exports } = await import("cloudflare:workers");
    const response = await exports.default.fetch(
      new Request("https://edgeorg.test/_edgeorg/orgs", {
        method: "POST",
        headers: { Authorization: OPERATOR, "Content-Type": "application/json" },
        body: stream,
        // @ts-expect-error workerd needs duplex for a streamed request body
        duplex: "half",
      }),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errorCode).toBe("E0000001");
  });
});

describe("unexpected failures", () => {
  it("answer 500 E0000009 without internals in the body", async () => {
    // A real D1 failure: this test file's database loses the orgs table.
    await env.DB.exec("DROP TABLE orgs");
    const reply = await call("GET", "/orgs/never-cached-org/.well-known/openid-configuration", { auth: null });
    expect(reply.status).toBe(500);
    expectOktaError(reply.body, "E0000009");
    expect(reply.body.errorSummary).toBe("Internal Server Error");
    // errorId is random base62 and may spell "d1" by chance: look at everything else.
    const { errorId: _random, ...rest } = reply.body;
    expect(JSON.stringify(rest)).not.toMatch(/orgs|table|sqlite|D1/i);
  });
});
