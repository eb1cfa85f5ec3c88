import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { findRouteRow, routeTable } from "../../src/access/route-table";

describe("the route table", () => {
  it("has a row for every registered route", () => {
    const routes = app.routes.filter((r) => r.method !== "ALL");
    expect(routes.length).toBeGreaterThan(0);
    const missing = routes.filter((r) => !findRouteRow(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it("has no row for a route that does not exist (a stale row would hide a typo)", () => {
    const routes = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    const stale = routeTable.filter((r) => !routes.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`);
    expect(stale).toEqual([]);
  });
});

describe("a route without a route-table row", () => {
  it("is denied with 403 E0000006, whatever the credential", async () => {
    const { Hono } = await import("hono");
    const { env } = await import("cloudflare:test");
    const { drizzle } = await import("drizzle-orm/d1");
    const { accessPipeline } = await import("../../src/app");
    const { ApiError } = await import("../../src/platform/errors");
    // The real access pipeline in front of a route the table does not know.
    const probe = new Hono<import("../../src/platform/context").AppEnv>();
    probe.use("*", async (c, next) => {
      c.set("db", drizzle(c.env.DB));
      await next();
    });
    probe.use("*", ...accessPipeline);
    probe.get("/api/v1/unlisted", (c) => c.json({ reached: true }));
    probe.onError((error) => (error instanceof ApiError ? error.toResponse() : new Response("boom", { status: 500 })));
    const reply = await probe.request(
      "https://edgeorg.test/api/v1/unlisted",
      { headers: { Authorization: `SSWS ${env.BOOTSTRAP_API_TOKEN}` } },
      env,
    );
    expect(reply.status).toBe(403);
    expect(((await reply.json()) as any).errorCode).toBe("E0000006");
  });
});
