import { env } from "cloudflare:test";
import { asc } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { beforeAll, describe, expect, it } from "vitest";
import { runBatch } from "../../src/platform/batch";
import type { Db } from "../../src/platform/context";
import { Errors } from "../../src/platform/errors";
import { afterCreated } from "../../src/platform/paging";
import { sameDigest, sameSecret, timingSafeEqual } from "../../src/platform/timing-safe";

const rows = sqliteTable("helpers_test_rows", { id: text("id").primaryKey(), created: text("created").notNull() });
const db = drizzle(env.DB) as unknown as Db;

async function ids(): Promise<string[]> {
  return (await db.select({ id: rows.id }).from(rows).orderBy(asc(rows.created), asc(rows.id))).map((r) => r.id);
}

describe("shared platform helpers", () => {
  beforeAll(async () => {
    await env.DB.exec("CREATE TABLE IF NOT EXISTS helpers_test_rows (id TEXT PRIMARY KEY, created TEXT NOT NULL)");
  });

  it("runBatch: an empty list writes nothing; a failing statement rolls back the whole batch", async () => {
    await db.delete(rows);
    expect(await runBatch(db, [])).toEqual([]);
    await runBatch(db, [db.insert(rows).values({ id: "a", created: "2026-01-01" })]);
    await expect(
      runBatch(db, [db.insert(rows).values({ id: "b", created: "2026-01-02" }), db.insert(rows).values({ id: "a", created: "x" })]),
    ).rejects.toThrow();
    expect(await ids()).toEqual(["a"]);
  });

  it("afterCreated: rows strictly after (created, id), the id breaking ties of the same instant", async () => {
    await db.delete(rows);
    const t1 = "2026-01-01T00:00:00.000Z";
    const t2 = "2026-01-01T00:00:00.001Z";
    await runBatch(db, [
      db.insert(rows).values({ id: "c", created: t1 }),
      db.insert(rows).values({ id: "a", created: t1 }),
      db.insert(rows).values({ id: "b", created: t2 }),
      db.insert(rows).values({ id: "d", created: t1 }),
    ]);
    const after = async (created: string, id: string) =>
      (await db.select({ id: rows.id }).from(rows).where(afterCreated(rows, created, id)).orderBy(asc(rows.created), asc(rows.id))).map(
        (r) => r.id,
      );
    expect(await ids()).toEqual(["a", "c", "d", "b"]);
    expect(await after(t1, "a")).toEqual(["c", "d", "b"]);
    expect(await after(t1, "d")).toEqual(["b"]);
    expect(await after(t2, "b")).toEqual([]);
  });

  it("timingSafeEqual, sameDigest and sameSecret: equal only when equal, any length", async () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(timingSafeEqual(bytes("abc"), bytes("abc"))).toBe(true);
    expect(timingSafeEqual(bytes("abc"), bytes("abd"))).toBe(false);
    expect(timingSafeEqual(bytes("abc"), bytes("abcd"))).toBe(false);
    expect(timingSafeEqual(bytes(""), bytes(""))).toBe(true);
    expect(sameDigest("00ff", "00ff")).toBe(true);
    expect(sameDigest("00ff", "00fe")).toBe(false);
    expect(await sameSecret("s3cret", "s3cret")).toBe(true);
    expect(await sameSecret("s3cret", "s3cre")).toBe(false);
    expect(await sameSecret("", "x")).toBe(false);
  });

  it("Errors.alreadyExists: Okta's E0000001 naming the field", () => {
    const error = Errors.alreadyExists("login");
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({
      errorCode: "E0000001",
      errorSummary: "Api validation failed: login",
      errorCauses: [{ errorSummary: "login: An object with this field already exists in the current organization" }],
    });
  });
});
