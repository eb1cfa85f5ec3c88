import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { findScopeRow } from "../../src/auth/scope-table";

describe("the scope table", () => {
  it("has a row for every registered route", () => {
    const routes = app.routes.filter((r) => r.method !== "ALL");
    expect(routes.length).toBeGreaterThan(0);
    const missing = routes.filter((r) => !findScopeRow(r.method, r.path)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });
});
