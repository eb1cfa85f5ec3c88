import { describe, expect, it } from "vitest";
import { expectOktaSchema } from "../support/okta-schema";
import { createUser, expectError, newCtx, PASSWORD, profile, userIn } from "./helpers";

/** The §1.10 state machine, row by row: every allowed transition and every refusal. */
describe("lifecycle (REFERENCE §1.10)", async () => {
  const ctx = await newCtx();
  const op = (id: string, name: string) => ctx.req("POST", `/api/v1/users/${id}/lifecycle/${name}`);
  const get = async (id: string) => (await ctx.req("GET", `/api/v1/users/${id}`)).body;
  const url = ctx.org.orgUrl;

  describe("activate", () => {
    it("STAGED with a password → ACTIVE; sendEmail=false returns the activation URL and token", async () => {
      const user = await userIn(ctx, "STAGED");
      const reply = await op(user.id, "activate?sendEmail=false");
      expect(reply.status).toBe(200);
      expect(reply.body.activationUrl).toBe(`${url}/welcome/${reply.body.activationToken}`);
      const after = await get(user.id);
      expect(after.status).toBe("ACTIVE");
      expect(after.activated).toBe(after.statusChanged);
      expect(after.activated > user.created).toBe(true);
    });
    it("STAGED without a password → PROVISIONED; sendEmail defaults to true and returns {}", async () => {
      const user = await userIn(ctx, "STAGED", { password: false });
      const reply = await op(user.id, "activate");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({});
      expect((await get(user.id)).status).toBe("PROVISIONED");
    });
    it("DEPROVISIONED → ACTIVE (has a password)", async () => {
      const user = await userIn(ctx, "DEPROVISIONED");
      expect((await op(user.id, "activate?sendEmail=false")).status).toBe(200);
      expect((await get(user.id)).status).toBe("ACTIVE");
    });
    it("ACTIVE → 403 E0000016", async () => {
      const user = await userIn(ctx, "ACTIVE");
      expectError(await op(user.id, "activate"), 403, "E0000016", "Activation failed because the user is already active");
    });
    for (const status of ["PROVISIONED", "SUSPENDED", "RECOVERY", "PASSWORD_EXPIRED"]) {
      it(`${status} → 403 E0000038`, async () => {
        const user = await userIn(ctx, status);
        expectError(await op(user.id, "activate"), 403, "E0000038", "This operation is not allowed in the user's current status.");
      });
    }
  });

  describe("reactivate", () => {
    it("PROVISIONED → PROVISIONED with a new token (sendEmail defaults to false)", async () => {
      const user = await userIn(ctx, "PROVISIONED", { password: false });
      const first = await op(user.id, "reactivate");
      expect(first.status).toBe(200);
      expect(first.body.activationUrl).toBe(`${url}/welcome/${first.body.activationToken}`);
      const second = await op(user.id, "reactivate");
      expect(second.body.activationToken).not.toBe(first.body.activationToken);
      expect((await get(user.id)).status).toBe("PROVISIONED");
      expect((await op(user.id, "reactivate?sendEmail=true")).body).toEqual({});
    });
    it("RECOVERY → PROVISIONED", async () => {
      const user = await userIn(ctx, "RECOVERY");
      expect((await op(user.id, "reactivate")).status).toBe(200);
      expect((await get(user.id)).status).toBe("PROVISIONED");
    });
    for (const status of ["STAGED", "ACTIVE", "SUSPENDED", "DEPROVISIONED", "PASSWORD_EXPIRED"]) {
      it(`${status} → 403 E0000038`, async () => {
        const user = await userIn(ctx, status);
        expectError(await op(user.id, "reactivate"), 403, "E0000038");
      });
    }
  });

  describe("deactivate", () => {
    for (const status of ["STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "SUSPENDED"]) {
      it(`${status} → DEPROVISIONED, 200 {}`, async () => {
        const user = await userIn(ctx, status);
        const reply = await op(user.id, "deactivate");
        expect(reply.status).toBe(200);
        expect(reply.body).toEqual({});
        const after = await get(user.id);
        expect(after.status).toBe("DEPROVISIONED");
        expect(after.statusChanged > (user.statusChanged ?? "")).toBe(true);
        expect(after).not.toHaveProperty("transitioningToStatus");
        expect(Object.keys(after._links).sort()).toEqual(["activate", "schema", "self", "type"]);
      });
    }
    it("DEPROVISIONED → 403 E0000038", async () => {
      const user = await userIn(ctx, "DEPROVISIONED");
      expectError(await op(user.id, "deactivate"), 403, "E0000038");
    });
  });

  describe("suspend / unsuspend", () => {
    it("ACTIVE → SUSPENDED → ACTIVE, activated unchanged", async () => {
      const user = await userIn(ctx, "ACTIVE");
      expect((await op(user.id, "suspend")).body).toEqual({});
      const suspended = await get(user.id);
      expect(suspended.status).toBe("SUSPENDED");
      expect(Object.keys(suspended._links).sort()).toEqual(["deactivate", "schema", "self", "type", "unsuspend"]);
      expect((await op(user.id, "unsuspend")).status).toBe(200);
      const back = await get(user.id);
      expect(back.status).toBe("ACTIVE");
      expect(back.activated).toBe(user.activated);
      expect(back.statusChanged >= suspended.statusChanged).toBe(true);
    });
    for (const status of ["STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED", "RECOVERY", "PASSWORD_EXPIRED"]) {
      it(`suspend from ${status} → 400 E0000001`, async () => {
        const user = await userIn(ctx, status);
        expectError(await op(user.id, "suspend"), 400, "E0000001", "Api validation failed: suspend");
      });
    }
    for (const status of ["STAGED", "PROVISIONED", "ACTIVE", "DEPROVISIONED", "RECOVERY"]) {
      it(`unsuspend from ${status} → 400 E0000001`, async () => {
        const user = await userIn(ctx, status);
        expectError(await op(user.id, "unsuspend"), 400, "E0000001", "Api validation failed: unsuspend");
      });
    }
  });

  describe("unlock", () => {
    for (const status of ["ACTIVE", "STAGED", "SUSPENDED", "DEPROVISIONED"]) {
      it(`${status} → 403 E0000032`, async () => {
        const user = await userIn(ctx, status);
        expectError(await op(user.id, "unlock"), 403, "E0000032", "Unlock is not allowed for this user.");
      });
    }
  });

  describe("reset_password", () => {
    for (const status of ["ACTIVE", "PASSWORD_EXPIRED", "PROVISIONED", "RECOVERY"]) {
      it(`${status} → RECOVERY; sendEmail=false returns the reset URL`, async () => {
        const user = await userIn(ctx, status);
        const reply = await op(user.id, "reset_password?sendEmail=false");
        expect(reply.status).toBe(200);
        expect(reply.body.resetPasswordUrl).toMatch(new RegExp(`^${url}/signin/reset-password/[0-9A-Za-z]{20}$`));
        const after = await get(user.id);
        expect(after.status).toBe("RECOVERY");
        expect(Object.keys(after._links)).toContain("reactivate");
      });
    }
    it("sendEmail defaults to true: {}", async () => {
      const user = await userIn(ctx, "ACTIVE");
      expect((await op(user.id, "reset_password")).body).toEqual({});
    });
    for (const status of ["STAGED", "SUSPENDED", "DEPROVISIONED"]) {
      it(`${status} → 403 E0000038`, async () => {
        const user = await userIn(ctx, status);
        expectError(await op(user.id, "reset_password?sendEmail=false"), 403, "E0000038");
      });
    }
  });

  describe("expire_password", () => {
    it("ACTIVE → PASSWORD_EXPIRED, returns the User", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await op(user.id, "expire_password");
      expect(reply.status).toBe(200);
      expectOktaSchema(reply.body, "User");
      expect(reply.body.status).toBe("PASSWORD_EXPIRED");
      expect(reply.body.passwordChanged).toBe(user.passwordChanged);
    });
    it("?tempPassword=true → {tempPassword}, password replaced, PASSWORD_EXPIRED", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await op(user.id, "expire_password?tempPassword=true");
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body)).toEqual(["tempPassword"]);
      const after = await get(user.id);
      expect(after.status).toBe("PASSWORD_EXPIRED");
      expect(after.passwordChanged > user.passwordChanged).toBe(true);
      // The temporary password is now the password: change_password accepts it as old.
      const change = await ctx.req("POST", `/api/v1/users/${user.id}/credentials/change_password`, {
        oldPassword: { value: reply.body.tempPassword },
        newPassword: { value: "N3wPassw0rdX" },
      });
      expect(change.status, change.text).toBe(200);
      expect((await get(user.id)).status).toBe("ACTIVE");
    });
    it("expire_password_with_temp_password", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await op(user.id, "expire_password_with_temp_password");
      expect(reply.status).toBe(200);
      expect(reply.body.tempPassword).toMatch(/^[A-Za-z0-9]{8}$/);
      expect((await get(user.id)).status).toBe("PASSWORD_EXPIRED");
    });
    for (const status of ["STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED"]) {
      it(`${status} → 403 E0000038 (both forms)`, async () => {
        const user = await userIn(ctx, status);
        expectError(await op(user.id, "expire_password"), 403, "E0000038");
        expectError(await op(user.id, "expire_password_with_temp_password"), 403, "E0000038");
      });
    }
    it("ACTIVE without a password → 403 E0000038", async () => {
      const user = await createUser(ctx, { profile: profile(), credentials: { provider: { type: "FEDERATION" } } }, "?provider=true");
      expectError(await op(user.id, "expire_password"), 403, "E0000038");
    });
  });

  describe("reset_factors", () => {
    it("status unchanged, 200 {}", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await op(user.id, "reset_factors");
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({});
      expect((await get(user.id)).status).toBe("ACTIVE");
    });
  });

  it("every lifecycle call on an unknown id → 404 E0000007", async () => {
    for (const name of ["activate", "reactivate", "deactivate", "suspend", "unsuspend", "unlock", "reset_password", "expire_password", "expire_password_with_temp_password", "reset_factors"]) {
      expectError(await op("00u00000000000000000", name), 404, "E0000007", "Not found: Resource not found: 00u00000000000000000 (User)");
    }
  });

  it("lifecycle calls accept an empty body with Content-Length: 0", async () => {
    const user = await userIn(ctx, "ACTIVE");
    const reply = await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/suspend`, "", { "Content-Length": "0" });
    expect(reply.status).toBe(200);
  });

  it("the org's built-in super-admin cannot be deactivated, suspended or deleted", async () => {
    const me = (await ctx.req("GET", "/api/v1/users/me")).body;
    expectError(await op(me.id, "deactivate"), 403, "E0000006");
    expectError(await op(me.id, "suspend"), 403, "E0000006");
    expectError(await ctx.req("DELETE", `/api/v1/users/${me.id}`), 403, "E0000006");
  });

  it("status-dependent _links for ACTIVE with password and recovery question", async () => {
    const user = await userIn(ctx, "ACTIVE", { question: true });
    expect(Object.keys(user._links).sort()).toEqual(
      ["changePassword", "changeRecoveryQuestion", "deactivate", "expirePassword", "forgotPassword", "resetPassword", "schema", "self", "suspend", "type"],
    );
    expect(user._links.suspend).toEqual({ href: `${url}/api/v1/users/${user.id}/lifecycle/suspend`, method: "POST" });
    expect(user._links.changePassword.href).toBe(`${url}/api/v1/users/${user.id}/credentials/change_password`);
  });

  it("PASSWORD is never in any response", async () => {
    const user = await userIn(ctx, "ACTIVE");
    const reply = await ctx.req("GET", `/api/v1/users/${user.id}`);
    expect(reply.text).not.toContain(PASSWORD);
    expect(reply.text).not.toMatch(/"(hash|salt|value)"/);
  });
});
