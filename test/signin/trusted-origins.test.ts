import { describe, expect, it } from "vitest";
import { expectOktaSchema } from "../support/okta-schema";
import { newCtx } from "../users/helpers";
import { anon } from "./helpers";

describe("/api/v1/trustedOrigins", () => {
  it("creates, reads, lists, replaces, deactivates, activates and deletes", async () => {
    const ctx = await newCtx();
    const created = await ctx.req("POST", "/api/v1/trustedOrigins", { name: "SPA", origin: "https://spa.example", scopes: [{ type: "CORS" }, { type: "REDIRECT" }] });
    expect(created.status, created.text).toBe(200);
    expectOktaSchema(created.body, "TrustedOrigin");
    expect(created.body.id).toMatch(/^tos[0-9A-Za-z]{17}$/);
    expect(created.body).toMatchObject({ name: "SPA", origin: "https://spa.example", status: "ACTIVE" });
    expect(created.body._links.deactivate.href).toBe(`${ctx.org.orgUrl}/api/v1/trustedOrigins/${created.body.id}/lifecycle/deactivate`);
    const id = created.body.id;
    expect((await ctx.req("GET", `/api/v1/trustedOrigins/${id}`)).body.name).toBe("SPA");
    expect((await ctx.req("GET", "/api/v1/trustedOrigins")).body.map((o: any) => o.id)).toEqual([id]);
    const put = await ctx.req("PUT", `/api/v1/trustedOrigins/${id}`, { name: "SPA 2", origin: "https://spa2.example", scopes: [{ type: "CORS" }] });
    expect(put.body).toMatchObject({ name: "SPA 2", origin: "https://spa2.example" });
    expect((await ctx.req("POST", `/api/v1/trustedOrigins/${id}/lifecycle/deactivate`)).body.status).toBe("INACTIVE");
    expect((await ctx.req("POST", `/api/v1/trustedOrigins/${id}/lifecycle/activate`)).body.status).toBe("ACTIVE");
    expect((await ctx.req("DELETE", `/api/v1/trustedOrigins/${id}`)).status).toBe(204);
    const gone = await ctx.req("GET", `/api/v1/trustedOrigins/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.errorCode).toBe("E0000007");
  });

  it("refuses a bad origin, an unknown scope type and a duplicate origin with 400 E0000001", async () => {
    const ctx = await newCtx();
    const bad = await ctx.req("POST", "/api/v1/trustedOrigins", { name: "x", origin: "not a url", scopes: [{ type: "CORS" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errorCode).toBe("E0000001");
    const scope = await ctx.req("POST", "/api/v1/trustedOrigins", { name: "x", origin: "https://a.example", scopes: [{ type: "NOPE" }] });
    expect(scope.status).toBe(400);
    await ctx.req("POST", "/api/v1/trustedOrigins", { name: "a", origin: "https://a.example", scopes: [{ type: "CORS" }] });
    const dup = await ctx.req("POST", "/api/v1/trustedOrigins", { name: "b", origin: "https://a.example", scopes: [{ type: "CORS" }] });
    expect(dup.status).toBe(400);
  });
});

describe("CORS on /api/v1 for trusted origins", () => {
  it("answers a preflight and a request from a CORS-trusted origin with credentials; others get no CORS headers", async () => {
    const ctx = await newCtx();
    await ctx.req("POST", "/api/v1/trustedOrigins", { name: "SPA", origin: "https://spa.example", scopes: [{ type: "CORS" }] });
    await ctx.req("POST", "/api/v1/trustedOrigins", { name: "Redirect only", origin: "https://r.example", scopes: [{ type: "REDIRECT" }] });
    const preflight = await anon(ctx, "OPTIONS", "/api/v1/authn", undefined, {
      Origin: "https://spa.example",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "content-type",
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://spa.example");
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    const me = await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Origin: "https://spa.example" });
    expect(me.status).toBe(404);
    expect(me.headers.get("access-control-allow-origin")).toBe("https://spa.example");
    for (const origin of ["https://r.example", "https://evil.example"]) {
      const reply = await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Origin: origin });
      expect(reply.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});
