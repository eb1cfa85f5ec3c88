import { describe, expect, it } from "vitest";
import { expectOktaSchema } from "../support/okta-schema";
import { createUser, expectError, newCtx, PASSWORD, profile } from "./helpers";

describe("POST /api/v1/users: creation scenarios (REFERENCE §1.4)", async () => {
  const ctx = await newCtx();

  it("no password, activate=false → STAGED, passwordChanged null", async () => {
    const user = await createUser(ctx, { profile: profile() }, "?activate=false");
    expect(user.status).toBe("STAGED");
    expect(user.passwordChanged).toBeNull();
    expect(user.activated).toBeNull();
    expect(user.statusChanged).toBeNull();
    expect(user.credentials).toEqual({ provider: { type: "OKTA", name: "OKTA" } });
    expect(Object.keys(user._links).sort()).toEqual(["activate", "deactivate", "schema", "self", "type"]);
  });

  it("no password, activate=true (default) → PROVISIONED", async () => {
    const user = await createUser(ctx, { profile: profile() });
    expect(user.status).toBe("PROVISIONED");
    expect(user.activated).toBeNull();
    expect(user.statusChanged).toBe(user.created);
  });

  it("password, activate=false → STAGED with passwordChanged set and password: {}", async () => {
    const user = await createUser(ctx, { profile: profile(), credentials: { password: { value: PASSWORD } } }, "?activate=false");
    expect(user.status).toBe("STAGED");
    expect(user.passwordChanged).toBe(user.created);
    expect(user.credentials.password).toEqual({});
  });

  it("password, activate=true → ACTIVE with activated and statusChanged; never echoes the password", async () => {
    const reply = await ctx.req("POST", "/api/v1/users?activate=true", {
      profile: profile(),
      credentials: { password: { value: PASSWORD }, recovery_question: { question: "Who?", answer: "Somebody" } },
    });
    expect(reply.status).toBe(200);
    expectOktaSchema(reply.body, "User");
    const user = reply.body;
    expect(user.status).toBe("ACTIVE");
    expect(user.activated).toBe(user.created);
    expect(user.statusChanged).toBe(user.created);
    expect(user.credentials).toEqual({
      password: {},
      recovery_question: { question: "Who?" },
      provider: { type: "OKTA", name: "OKTA" },
    });
    expect(reply.text).not.toContain(PASSWORD);
    expect(reply.text).not.toContain("Somebody");
    expect(reply.headers.get("etag")).toMatch(/^W\/".+"$/);
  });

  it("nextLogin=changePassword with a password → PASSWORD_EXPIRED", async () => {
    const user = await createUser(
      ctx,
      { profile: profile(), credentials: { password: { value: PASSWORD } } },
      "?activate=true&nextLogin=changePassword",
    );
    expect(user.status).toBe("PASSWORD_EXPIRED");
  });

  it("nextLogin=changePassword without a password → 400 E0000124", async () => {
    const reply = await ctx.req("POST", "/api/v1/users?nextLogin=changePassword", { profile: profile() });
    expectError(reply, 400, "E0000124", /a password must be specified/);
    expect(reply.body.errorCauses[0].errorSummary).toBe(reply.body.errorSummary);
  });

  it("nextLogin=changePassword with activate=false → 400 E0000125", async () => {
    const reply = await ctx.req("POST", "/api/v1/users?activate=false&nextLogin=changePassword", {
      profile: profile(),
      credentials: { password: { value: PASSWORD } },
    });
    expectError(reply, 400, "E0000125", /`activate` must be true/);
  });

  it("provider=true with a FEDERATION provider → ACTIVE / STAGED, no password allowed", async () => {
    const active = await createUser(ctx, { profile: profile(), credentials: { provider: { type: "FEDERATION", name: "FEDERATION" } } }, "?provider=true");
    expect(active.status).toBe("ACTIVE");
    expect(active.credentials).toEqual({ provider: { type: "FEDERATION", name: "FEDERATION" } });
    const staged = await createUser(ctx, { profile: profile(), credentials: { provider: { type: "SOCIAL", name: "SOCIAL" } } }, "?provider=true&activate=false");
    expect(staged.status).toBe("STAGED");
    const withPassword = await ctx.req("POST", "/api/v1/users?provider=true", {
      profile: profile(),
      credentials: { provider: { type: "FEDERATION" }, password: { value: PASSWORD } },
    });
    expectError(withPassword, 400, "E0000001");
  });

  it("password hook → ACTIVE with provider IMPORT", async () => {
    const user = await createUser(ctx, { profile: profile(), credentials: { password: { hook: { type: "default" } } } });
    expect(user.status).toBe("ACTIVE");
    expect(user.credentials.provider).toEqual({ type: "IMPORT", name: "IMPORT" });
    expect(user.credentials.password).toEqual({});
  });

  it("more than 20 groupIds → 400 E0000093", async () => {
    const groupIds = Array.from({ length: 21 }, (_, i) => `00g${String(i).padStart(17, "0")}`);
    const reply = await ctx.req("POST", "/api/v1/users", { profile: profile(), groupIds });
    expectError(reply, 400, "E0000093", "Target count limit exceeded");
    expect(reply.body.errorCauses).toEqual([{ errorSummary: "The number of group targets is too large" }]);
  });

  it("an unknown group id → 400 E0000001", async () => {
    const reply = await ctx.req("POST", "/api/v1/users", { profile: profile(), groupIds: ["00g00000000000000000"] });
    expectError(reply, 400, "E0000001");
  });

  it("puts the new user into Everyone and the given groups", async () => {
    const group = await ctx.req("POST", "/api/v1/groups", { profile: { name: `g-${Date.now()}` } });
    expect(group.status).toBe(200);
    const user = await createUser(ctx, { profile: profile(), groupIds: [group.body.id] });
    const groups = await ctx.req("GET", `/api/v1/users/${user.id}/groups`);
    expect(groups.status).toBe(200);
    const names = groups.body.map((g: any) => g.profile.name).sort();
    expect(names).toEqual(["Everyone", group.body.profile.name].sort());
  });

  it("responds 200, not 201", async () => {
    const reply = await ctx.req("POST", "/api/v1/users", { profile: profile() });
    expect(reply.status).toBe(200);
  });
});

describe("profile validation (REFERENCE §1.3)", async () => {
  const ctx = await newCtx();

  it("one cause per problem", async () => {
    const reply = await ctx.req("POST", "/api/v1/users", { profile: { login: "bad", email: "nope" } });
    expectError(reply, 400, "E0000001", "Api validation failed: login");
    expect(reply.body.errorCauses.map((c: any) => c.errorSummary)).toEqual([
      "login: The field must be at least 5 characters long",
      "login: Username must be in the form of an email address",
      "email: The field must be at least 5 characters long",
      "email: Does not match required pattern",
      "firstName: The field cannot be left blank",
      "lastName: The field cannot be left blank",
    ]);
  });

  it("login must look like an email", async () => {
    const reply = await ctx.req("POST", "/api/v1/users", { profile: profile({ login: "not-an-email" }) });
    expectError(reply, 400, "E0000001");
    expect(reply.body.errorCauses).toEqual([{ errorSummary: "login: Username must be in the form of an email address" }]);
  });

  it("lengths: firstName over 50, countryCode over 2", async () => {
    const reply = await ctx.req("POST", "/api/v1/users", { profile: profile({ firstName: "x".repeat(51), countryCode: "USA" }) });
    expectError(reply, 400, "E0000001");
    expect(reply.body.errorCauses.map((c: any) => c.errorSummary)).toEqual([
      "firstName: The field cannot be longer than 50 characters",
      "countryCode: The field cannot be longer than 2 characters",
    ]);
  });

  it("keeps unknown extra attributes", async () => {
    const user = await createUser(ctx, { profile: profile({ favouriteNumber: 7, tags: ["a", "b"] }) });
    expect(user.profile.favouriteNumber).toBe(7);
    expect(user.profile.tags).toEqual(["a", "b"]);
  });

  it("the default password policy, with the reference's text", async () => {
    for (const bad of ["Sh0rt", "alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", "Xjohnsmith9", "My-SMITH-2024"]) {
      const reply = await ctx.req("POST", "/api/v1/users", {
        profile: profile({ login: "john.smith@example.com", email: "john.smith@example.com" }),
        credentials: { password: { value: bad } },
      });
      expectError(reply, 400, "E0000001", "Api validation failed: password");
      expect(reply.body.errorCauses).toEqual([
        {
          errorSummary:
            "password: Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.",
        },
      ]);
    }
  });

  it("the domain of the login and parts under 3 characters do not count as parts of the username", async () => {
    const user = await createUser(ctx, {
      profile: profile({ login: "jo.smith@welcome.com", email: "jo@example.com" }),
      credentials: { password: { value: "Welcome2Jo!" } },
    });
    expect(user.status).toBe("ACTIVE");
  });

  it("login is unique case- and diacritic-insensitively", async () => {
    await createUser(ctx, { profile: profile({ login: "rené.dupont@example.com", email: "rene@example.com" }) });
    for (const login of ["RENÉ.DUPONT@example.com", "rene.dupont@EXAMPLE.com"]) {
      const reply = await ctx.req("POST", "/api/v1/users", { profile: profile({ login }) });
      expectError(reply, 400, "E0000001", "Api validation failed: login");
      expect(reply.body.errorCauses).toEqual([
        { errorSummary: "login: An object with this field already exists in the current organization" },
      ]);
    }
  });

  it("50 concurrent creates of one login: exactly one user, 49 × 400 E0000001", async () => {
    const p = profile();
    const replies = await Promise.all(
      // There is no existence check before the insert: the requests race to it and the UNIQUE index decides.
      Array.from({ length: 50 }, () =>
        ctx.req("POST", "/api/v1/users?activate=false", { profile: p, credentials: { password: { value: PASSWORD } } }),
      ),
    );
    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 400);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const r of refused) {
      expect(r.body.errorCode).toBe("E0000001");
      expect(r.body.errorCauses).toEqual([
        { errorSummary: "login: An object with this field already exists in the current organization" },
      ]);
    }
    const list = await ctx.req("GET", `/api/v1/users?search=${encodeURIComponent(`profile.login eq "${p.login}"`)}`);
    expect(list.body).toHaveLength(1);
  });
});
