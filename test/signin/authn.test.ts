import { describe, expect, it } from "vitest";
import { newCtx } from "../users/helpers";
import { PASSWORD, activeUser, anon, authn } from "./helpers";

describe("POST /api/v1/authn primary authentication", () => {
  it("answers SUCCESS with a single-use sessionToken and the embedded user", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const reply = await authn(ctx, user.profile.login);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.status).toBe("SUCCESS");
    expect(reply.body.sessionToken).toMatch(/^00[0-9A-Za-z]{40}$/);
    expect(reply.body._embedded.user.id).toBe(user.id);
    expect(reply.body._embedded.user.profile.login).toBe(user.profile.login);
    expect(reply.body._links).toBeUndefined();
    const first = await anon(ctx, "POST", "/api/v1/sessions", { sessionToken: reply.body.sessionToken });
    expect(first.status, first.text).toBe(200);
    expect(first.body.userId).toBe(user.id);
    const second = await anon(ctx, "POST", "/api/v1/sessions", { sessionToken: reply.body.sessionToken });
    expect(second.status).toBe(401);
    expect(second.body.errorCode).toBe("E0000004");
  });

  it("answers an unknown user and a wrong password with the same 401 E0000004", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const wrong = await authn(ctx, user.profile.login, "Wrong-pass1");
    const unknown = await authn(ctx, "nobody@example.com", "Wrong-pass1");
    for (const reply of [wrong, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.body.errorCode).toBe("E0000004");
      expect(reply.body.errorSummary).toBe("Authentication failed");
      expect(reply.body.errorCauses).toEqual([]);
    }
    const strip = (b: any) => ({ ...b, errorId: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it("refuses SUSPENDED and DEPROVISIONED users with E0000004, right password or not", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/suspend`);
    expect((await authn(ctx, user.profile.login)).body.errorCode).toBe("E0000004");
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/deactivate`);
    expect((await authn(ctx, user.profile.login)).status).toBe(401);
  });

  it("locks the user out after 10 failures; the admin unlock lets them in again", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    for (let i = 0; i < 10; i++) expect((await authn(ctx, user.profile.login, "Wrong-pass1")).status).toBe(401);
    expect((await ctx.req("GET", `/api/v1/users/${user.id}`)).body.status).toBe("LOCKED_OUT");
    const locked = await authn(ctx, user.profile.login);
    expect(locked.status).toBe(401);
    expect(locked.body.errorCode).toBe("E0000004");
    expect((await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/unlock`)).status).toBe(200);
    expect((await authn(ctx, user.profile.login, "Wrong-pass1")).status).toBe(401);
    expect((await ctx.req("GET", `/api/v1/users/${user.id}`)).body.status).toBe("ACTIVE");
    expect((await authn(ctx, user.profile.login)).body.status).toBe("SUCCESS");
  });

  it("a success resets the count of failures", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    for (let i = 0; i < 9; i++) await authn(ctx, user.profile.login, "Wrong-pass1");
    expect((await authn(ctx, user.profile.login)).body.status).toBe("SUCCESS");
    for (let i = 0; i < 9; i++) await authn(ctx, user.profile.login, "Wrong-pass1");
    expect((await ctx.req("GET", `/api/v1/users/${user.id}`)).body.status).toBe("ACTIVE");
  });

  it("answers a missing password with 400 E0000001", async () => {
    const ctx = await newCtx();
    const reply = await anon(ctx, "POST", "/api/v1/authn", { username: "a@example.com" });
    expect(reply.status).toBe(400);
    expect(reply.body.errorCode).toBe("E0000001");
  });
});

describe("PASSWORD_EXPIRED → change_password", () => {
  it("issues a stateToken, refuses a wrong old password and a weak new one with E0000014, then SUCCESS", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/expire_password`);
    const first = await authn(ctx, user.profile.login);
    expect(first.status, first.text).toBe(200);
    expect(first.body.status).toBe("PASSWORD_EXPIRED");
    expect(first.body.stateToken).toMatch(/^00/);
    expect(first.body._links.next.name).toBe("changePassword");
    expect(first.body._links.next.href).toBe(`${ctx.org.orgUrl}/api/v1/authn/credentials/change_password`);
    expect(first.body._embedded.policy.complexity.minLength).toBe(8);
    const path = "/api/v1/authn/credentials/change_password";
    const stateToken = first.body.stateToken;
    const wrongOld = await anon(ctx, "POST", path, { stateToken, oldPassword: "Nope-nope1", newPassword: "Another-pass9" });
    expect(wrongOld.status).toBe(403);
    expect(wrongOld.body.errorCode).toBe("E0000014");
    expect(wrongOld.body.errorCauses[0].errorSummary).toBe("oldPassword: The credentials provided were incorrect.");
    const weak = await anon(ctx, "POST", path, { stateToken, oldPassword: PASSWORD, newPassword: "short" });
    expect(weak.status).toBe(403);
    expect(weak.body.errorSummary).toBe("The password does meet the complexity requirements of the current password policy.");
    const ok = await anon(ctx, "POST", path, { stateToken, oldPassword: PASSWORD, newPassword: "Another-pass9" });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.status).toBe("SUCCESS");
    expect((await ctx.req("GET", `/api/v1/users/${user.id}`)).body.status).toBe("ACTIVE");
    expect((await authn(ctx, user.profile.login, "Another-pass9")).body.status).toBe("SUCCESS");
    const reused = await anon(ctx, "POST", path, { stateToken, oldPassword: "Another-pass9", newPassword: "Third-pass77" });
    expect(reused.status).toBe(401);
    expect(reused.body.errorCode).toBe("E0000011");
  });

  it("refuses a stateToken in the wrong state with 403 E0000079, and cancel ends it", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/expire_password`);
    const { stateToken } = (await authn(ctx, user.profile.login)).body;
    const wrong = await anon(ctx, "POST", "/api/v1/authn/credentials/reset_password", { stateToken, newPassword: "Another-pass9" });
    expect(wrong.status).toBe(403);
    expect(wrong.body.errorCode).toBe("E0000079");
    expect((await anon(ctx, "POST", "/api/v1/authn", { stateToken })).body.status).toBe("PASSWORD_EXPIRED");
    expect((await anon(ctx, "POST", "/api/v1/authn/cancel", { stateToken })).status).toBe(200);
    expect((await anon(ctx, "POST", "/api/v1/authn", { stateToken })).body.errorCode).toBe("E0000011");
  });
});

describe("activation and recovery tokens", () => {
  it("an activation token of a user without a password leads to PASSWORD_RESET, then SUCCESS; used again it is E0000004", async () => {
    const ctx = await newCtx();
    const created = await ctx.req("POST", "/api/v1/users?activate=false", { profile: { login: "new.person@example.com", email: "new.person@example.com", firstName: "New", lastName: "Person" } });
    const activated = await ctx.req("POST", `/api/v1/users/${created.body.id}/lifecycle/activate?sendEmail=false`);
    const token = activated.body.activationToken;
    expect(activated.body.activationUrl).toBe(`${ctx.org.orgUrl}/welcome/${token}`);
    const first = await anon(ctx, "POST", "/api/v1/authn", { token });
    expect(first.status, first.text).toBe(200);
    expect(first.body.status).toBe("PASSWORD_RESET");
    expect(first.body.recoveryType).toBe("ACCOUNT_ACTIVATION");
    expect(first.body._links.next.name).toBe("resetPassword");
    const done = await anon(ctx, "POST", "/api/v1/authn/credentials/reset_password", { stateToken: first.body.stateToken, newPassword: "Brand-Fresh-77" });
    expect(done.body.status).toBe("SUCCESS");
    expect((await ctx.req("GET", `/api/v1/users/${created.body.id}`)).body.status).toBe("ACTIVE");
    const again = await anon(ctx, "POST", "/api/v1/authn", { token });
    expect(again.status).toBe(401);
    expect(again.body.errorCode).toBe("E0000004");
  });

  it("the reset token of resetPasswordUrl is a recovery token: RECOVERY → PASSWORD_RESET → SUCCESS", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const reset = await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/reset_password?sendEmail=false`);
    const recoveryToken = reset.body.resetPasswordUrl.split("/").pop();
    const first = await anon(ctx, "POST", "/api/v1/authn/recovery/token", { recoveryToken });
    expect(first.status, first.text).toBe(200);
    expect(first.body.status).toBe("PASSWORD_RESET");
    const done = await anon(ctx, "POST", "/api/v1/authn/credentials/reset_password", { stateToken: first.body.stateToken, newPassword: "Brand-Fresh-77" });
    expect(done.body.status).toBe("SUCCESS");
    expect((await authn(ctx, user.profile.login, "Brand-Fresh-77")).body.status).toBe("SUCCESS");
    const used = await anon(ctx, "POST", "/api/v1/authn/recovery/token", { recoveryToken });
    expect(used.status).toBe(401);
    expect(used.body.errorCode).toBe("E0000011");
  });

  it("recovery/password: a public app gets the same RECOVERY_CHALLENGE for known and unknown users; a trusted app gets the token", async () => {
    const ctx = await newCtx();
    const user = await activeUser(ctx);
    const path = "/api/v1/authn/recovery/password";
    const known = await anon(ctx, "POST", path, { username: user.profile.login, factorType: "EMAIL" });
    const unknown = await anon(ctx, "POST", path, { username: "ghost@example.com", factorType: "EMAIL" });
    expect(known.status).toBe(200);
    expect(known.body).toEqual(unknown.body);
    expect(known.body).toEqual({ status: "RECOVERY_CHALLENGE", factorResult: "WAITING", factorType: "EMAIL", recoveryType: "PASSWORD" });
    const trusted = await ctx.req("POST", path, { username: user.profile.login });
    expect(trusted.status, trusted.text).toBe(200);
    expect(trusted.body.status).toBe("RECOVERY");
    expect(trusted.body._links.next.name).toBe("recovery");
    const redeemed = await anon(ctx, "POST", "/api/v1/authn/recovery/token", { recoveryToken: trusted.body.recoveryToken });
    expect(redeemed.body.status).toBe("PASSWORD_RESET");
    const ghost = await ctx.req("POST", path, { username: "ghost@example.com" });
    expect(ghost.status).toBe(403);
    expect(ghost.body.errorCode).toBe("E0000095");
  });
});
