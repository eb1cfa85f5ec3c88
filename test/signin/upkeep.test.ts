import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { authnTokens, passwordFailures, sessions } from "../../src/signin/table";
import { testDb } from "../oauth/forge";
import { newCtx } from "../users/helpers";
import { activeUser, anon, authn, browserSignIn } from "./helpers";

/**
 * Sign-in rows do not outlive what they belong to (docs/STORAGE.md): a
 * deleted user's sessions, Authentication API tokens and lockout count go in
 * the delete's batch, and expired sessions and tokens are swept by the batch
 * of the next sign-in. These tests are about the tables, so they read them.
 */
const rowsOf = async (orgId: string, userId: string) => {
  const db = testDb();
  return {
    sessions: await db.select().from(sessions).where(and(eq(sessions.orgId, orgId), eq(sessions.userId, userId))).all(),
    tokens: await db.select().from(authnTokens).where(and(eq(authnTokens.orgId, orgId), eq(authnTokens.userId, userId))).all(),
    failures: await db.select().from(passwordFailures).where(and(eq(passwordFailures.orgId, orgId), eq(passwordFailures.userId, userId))).all(),
  };
};

describe("sign-in upkeep", () => {
  it("deleting a user removes its sessions, authn tokens and lockout count", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    await browserSignIn(ctx, user.profile.login);
    expect((await authn(ctx, user.profile.login)).body.status).toBe("SUCCESS");
    expect((await authn(ctx, user.profile.login, "wrong-Passw0rd")).status).toBe(401);
    const before = await rowsOf(ctx.org.id, user.id);
    expect([before.sessions.length, before.tokens.length, before.failures.length]).toEqual([1, 1, 1]);

    expect((await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/deactivate`)).status).toBe(200);
    expect((await ctx.req("DELETE", `/api/v1/users/${user.id}`)).status).toBe(204);
    expect(await rowsOf(ctx.org.id, user.id)).toEqual({ sessions: [], tokens: [], failures: [] });
  });

  it("a sign-in sweeps the org's expired sessions and authn tokens, and leaves live ones and other orgs' alone", async () => {
    const ctx = await newCtx();
    const elsewhere = await newCtx();
    const user = await activeUser(ctx);
    const past = new Date(Date.now() - 60_000).toISOString();
    const db = testDb();
    const expired = (orgId: string, n: number) => ({
      orgId,
      idHash: `expired-${orgId}-${n}`,
      userId: user.id,
      createdAt: past,
      expiresAt: past,
      lastPasswordVerification: past,
      amr: ["pwd"],
    });
    await db.insert(sessions).values([expired(ctx.org.id, 1), expired(ctx.org.id, 2), expired(elsewhere.org.id, 1)]);
    await db.insert(authnTokens).values({ orgId: ctx.org.id, tokenHash: "expired-token", kind: "session", userId: user.id, expiresAt: past });
    expect((await authn(ctx, user.profile.login)).body.status).toBe("SUCCESS"); // a live sessionToken

    const { sid } = await browserSignIn(ctx, user.profile.login);
    const after = await rowsOf(ctx.org.id, user.id);
    expect(after.sessions.map((s) => s.idHash).filter((h) => h.startsWith("expired-"))).toEqual([]);
    expect(after.sessions).toHaveLength(1);
    expect(after.tokens.map((t) => t.tokenHash)).not.toContain("expired-token");
    expect(after.tokens).toHaveLength(1);
    expect((await anon(ctx, "GET", "/api/v1/sessions/me", undefined, { Cookie: `sid=${sid}` })).status).toBe(200);
    const other = await db.select().from(sessions).where(eq(sessions.orgId, elsewhere.org.id)).all();
    expect(other).toHaveLength(1);
  });
});
