import { describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { expectOktaSchema } from "../support/okta-schema";
import { createUser, expectError, newCtx, PASSWORD, profile, userIn } from "./helpers";

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

describe("credentials (REFERENCE §1.10 credential rows)", async () => {
  const ctx = await newCtx();
  const cred = (id: string, name: string, body?: unknown, query = "") =>
    ctx.req("POST", `/api/v1/users/${id}/credentials/${name}${query}`, body);
  const get = async (id: string) => (await ctx.req("GET", `/api/v1/users/${id}`)).body;

  describe("change_password", () => {
    it("old password verified; returns UserCredentials; passwordChanged bumps", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await cred(user.id, "change_password", { oldPassword: { value: PASSWORD }, newPassword: { value: "Fresh1Passw0rd" } });
      expect(reply.status, reply.text).toBe(200);
      expectOktaSchema(reply.body, "UserCredentials");
      expect(reply.body).toEqual({ password: {}, provider: { type: "OKTA", name: "OKTA" } });
      expect((await get(user.id)).passwordChanged > user.passwordChanged).toBe(true);
    });
    for (const status of ["RECOVERY", "PASSWORD_EXPIRED"]) {
      it(`${status} → ACTIVE`, async () => {
        const user = await userIn(ctx, status);
        const reply = await cred(user.id, "change_password", { oldPassword: { value: PASSWORD }, newPassword: { value: "Fresh1Passw0rd" } });
        expect(reply.status, reply.text).toBe(200);
        expect((await get(user.id)).status).toBe("ACTIVE");
      });
    }
    it("STAGED with a password: allowed, stays STAGED", async () => {
      const user = await userIn(ctx, "STAGED");
      expect((await cred(user.id, "change_password", { oldPassword: { value: PASSWORD }, newPassword: { value: "Fresh1Passw0rd" } })).status).toBe(200);
      expect((await get(user.id)).status).toBe("STAGED");
    });
    it("wrong old password → 403 E0000014", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await cred(user.id, "change_password", { oldPassword: { value: "Wr0ngPassword" }, newPassword: { value: "Fresh1Passw0rd" } });
      expectError(reply, 403, "E0000014", "Update of credentials failed");
      expect(reply.body.errorCauses).toEqual([{ errorSummary: "oldPassword: The credentials provided were incorrect." }]);
    });
    it("new password violating the policy → 403 E0000080", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await cred(user.id, "change_password", { oldPassword: { value: PASSWORD }, newPassword: { value: "short" } });
      expectError(reply, 403, "E0000080", "The password does not meet the complexity requirements of the current password policy.");
      expect(reply.body.errorCauses[0].errorSummary).toMatch(/^Password requirements were not met/);
    });
    it("missing fields → 400 E0000001", async () => {
      const user = await userIn(ctx, "ACTIVE");
      expectError(await cred(user.id, "change_password", {}), 400, "E0000001");
    });
    for (const status of ["SUSPENDED", "DEPROVISIONED", "PROVISIONED"]) {
      it(`${status} → 403 E0000035`, async () => {
        const user = await userIn(ctx, status);
        const reply = await cred(user.id, "change_password", { oldPassword: { value: PASSWORD }, newPassword: { value: "Fresh1Passw0rd" } });
        expectError(reply, 403, "E0000035", "Change password not allowed on specified user.");
      });
    }
    it("ACTIVE without a password → 403 E0000035", async () => {
      const user = await createUser(ctx, { profile: profile(), credentials: { provider: { type: "SOCIAL" } } }, "?provider=true");
      expectError(await cred(user.id, "change_password", { oldPassword: { value: "x" }, newPassword: { value: "Fresh1Passw0rd" } }), 403, "E0000035");
    });
  });

  describe("change_recovery_question", () => {
    it("password verified; the new question is returned, not the answer", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await cred(user.id, "change_recovery_question", {
        password: { value: PASSWORD },
        recovery_question: { question: "First car?", answer: "Beetle" },
      });
      expect(reply.status, reply.text).toBe(200);
      expectOktaSchema(reply.body, "UserCredentials");
      expect(reply.body.recovery_question).toEqual({ question: "First car?" });
      expect(reply.text).not.toContain("Beetle");
    });
    it("wrong password → 403 E0000014", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await cred(user.id, "change_recovery_question", {
        password: { value: "Nope12345A" },
        recovery_question: { question: "First car?", answer: "Beetle" },
      });
      expectError(reply, 403, "E0000014");
    });
    for (const status of ["SUSPENDED", "DEPROVISIONED", "PASSWORD_EXPIRED", "PROVISIONED"]) {
      it(`${status} → 403 E0000036`, async () => {
        const user = await userIn(ctx, status);
        const reply = await cred(user.id, "change_recovery_question", {
          password: { value: PASSWORD },
          recovery_question: { question: "First car?", answer: "Beetle" },
        });
        expectError(reply, 403, "E0000036", "Change recovery question not allowed on specified user.");
      });
    }
  });

  describe("forgot_password", () => {
    it("ACTIVE with a recovery question: sendEmail=false → resetPasswordUrl, status unchanged; default {}", async () => {
      const user = await userIn(ctx, "ACTIVE", { question: true });
      const reply = await cred(user.id, "forgot_password", undefined, "?sendEmail=false");
      expect(reply.status).toBe(200);
      expect(reply.body.resetPasswordUrl).toMatch(new RegExp(`^${ctx.org.orgUrl}/signin/reset-password/[0-9A-Za-z]{20}$`));
      expect((await get(user.id)).status).toBe("ACTIVE");
      expect((await cred(user.id, "forgot_password")).body).toEqual({});
      const lifecyclePath = await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/forgot_password?sendEmail=false`);
      expect(lifecyclePath.body.resetPasswordUrl).toBeDefined();
    });
    it("without a recovery question → 403 E0000034", async () => {
      const user = await userIn(ctx, "ACTIVE");
      expectError(await cred(user.id, "forgot_password"), 403, "E0000034", "Forgot password not allowed on specified user.");
    });
    for (const status of ["SUSPENDED", "STAGED", "DEPROVISIONED"]) {
      it(`${status} → 403 E0000034`, async () => {
        const user = await userIn(ctx, status, { question: true });
        expectError(await cred(user.id, "forgot_password"), 403, "E0000034");
      });
    }
  });

  describe("forgot_password_recovery_question", () => {
    it("answer compared case-insensitively; password replaced", async () => {
      const user = await userIn(ctx, "ACTIVE", { question: true });
      const reply = await cred(user.id, "forgot_password_recovery_question", {
        password: { value: "Rec0veredPass" },
        recovery_question: { answer: "  BLUE sky " },
      });
      expect(reply.status, reply.text).toBe(200);
      expectOktaSchema(reply.body, "UserCredentials");
      const change = await cred(user.id, "change_password", { oldPassword: { value: "Rec0veredPass" }, newPassword: { value: "Again1Passw0rd" } });
      expect(change.status).toBe(200);
    });
    it("the legacy form posts the same body to forgot_password", async () => {
      const user = await userIn(ctx, "ACTIVE", { question: true });
      const reply = await cred(user.id, "forgot_password", { password: { value: "Rec0veredPass" }, recovery_question: { answer: "blue sky" } });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.password).toEqual({});
    });
    it("wrong answer → 403 E0000087", async () => {
      const user = await userIn(ctx, "ACTIVE", { question: true });
      const reply = await cred(user.id, "forgot_password_recovery_question", {
        password: { value: "Rec0veredPass" },
        recovery_question: { answer: "red" },
      });
      expectError(reply, 403, "E0000087", "The recovery question answer did not match our records.");
    });
    it("without a recovery question → 403 E0000034", async () => {
      const user = await userIn(ctx, "ACTIVE");
      const reply = await cred(user.id, "forgot_password_recovery_question", { password: { value: "Rec0veredPass" }, recovery_question: { answer: "x" } });
      expectError(reply, 403, "E0000034");
    });
  });

  describe("/users/me variants act on the token's own user", () => {
    it("me/credentials/* for the SSWS token's owner (no password: refused as for any user)", async () => {
      const reply = await ctx.req("POST", "/api/v1/users/me/credentials/change_password", {
        oldPassword: { value: "x" },
        newPassword: { value: "Fresh1Passw0rd" },
      });
      expectError(reply, 403, "E0000035");
      expectError(await ctx.req("POST", "/api/v1/users/me/credentials/forgot_password"), 403, "E0000034");
      expectError(await ctx.req("POST", "/api/v1/users/me/credentials/change_recovery_question", {}), 403, "E0000036");
      const factors = await ctx.req("POST", "/api/v1/users/me/lifecycle/reset_factors");
      expect(factors.status).toBe(200);
    });
  });

  describe("imported password hashes are verifiable (change_password's oldPassword)", () => {
    const pw = "Imp0rtedSecret";
    const salt = utf8("NaCl-salt");
    const cases: [string, Record<string, unknown>][] = [
      ["BCRYPT", (() => {
        const full = bcrypt.hashSync(pw, bcrypt.genSaltSync(4));
        return { algorithm: "BCRYPT", workFactor: 4, salt: full.slice(7, 29), value: full.slice(29) };
      })()],
      ["SHA-512 prefix", { algorithm: "SHA-512", salt: b64(salt), saltOrder: "PREFIX", value: b64(sha512(concat(salt, utf8(pw)))) }],
      ["SHA-256 postfix", { algorithm: "SHA-256", salt: b64(salt), saltOrder: "POSTFIX", value: b64(sha256(concat(utf8(pw), salt))) }],
      ["SHA-256 unsalted", { algorithm: "SHA-256", value: b64(sha256(utf8(pw))) }],
      ["SHA-1", { algorithm: "SHA-1", salt: b64(salt), saltOrder: "PREFIX", value: b64(sha1(concat(salt, utf8(pw)))) }],
      ["MD5", { algorithm: "MD5", salt: b64(salt), saltOrder: "POSTFIX", value: b64(md5(concat(utf8(pw), salt))) }],
      ["PBKDF2 SHA-512", {
        algorithm: "PBKDF2", digestAlgorithm: "SHA512_HMAC", iterationCount: 4096, keySize: 64, salt: b64(salt),
        value: b64(pbkdf2(sha512, pw, salt, { c: 4096, dkLen: 64 })),
      }],
      ["PBKDF2 above workerd's 100,000 cap", {
        algorithm: "PBKDF2", digestAlgorithm: "SHA256_HMAC", iterationCount: 100_001, keySize: 32, salt: b64(salt),
        value: b64(pbkdf2(sha256, pw, salt, { c: 100_001, dkLen: 32 })),
      }],
    ];
    for (const [name, hash] of cases) {
      it(name, { timeout: 60_000 }, async () => {
        const user = await createUser(ctx, { profile: profile(), credentials: { password: { hash } } });
        expect(user.status).toBe("ACTIVE");
        expect(user.credentials.provider).toEqual({ type: "IMPORT", name: "IMPORT" });
        expect(JSON.stringify(user)).not.toContain(String(hash.value));
        const wrong = await cred(user.id, "change_password", { oldPassword: { value: pw + "x" }, newPassword: { value: "Fresh1Passw0rd" } });
        expectError(wrong, 403, "E0000014");
        const right = await cred(user.id, "change_password", { oldPassword: { value: pw }, newPassword: { value: "Fresh1Passw0rd" } });
        expect(right.status, right.text).toBe(200);
      });
    }
    it("bad hash parameters → 400 E0000001 with a cause per field", async () => {
      const reply = await ctx.req("POST", "/api/v1/users", {
        profile: profile(),
        credentials: { password: { hash: { algorithm: "PBKDF2", iterationCount: 10, value: "abc" } } },
      });
      expectError(reply, 400, "E0000001");
      expect(reply.body.errorCauses.map((c: any) => c.errorSummary)).toEqual([
        "password.hash.digestAlgorithm: Must be one of SHA256_HMAC, SHA512_HMAC",
        "password.hash.iterationCount: Must be an integer from 4096 to 10000000",
        "password.hash.keySize: Must be an integer from 1 to 1024",
        "password.hash.salt: The field cannot be left blank",
      ]);
      const algo = await ctx.req("POST", "/api/v1/users", { profile: profile(), credentials: { password: { hash: { algorithm: "ROT13", value: "x" } } } });
      expectError(algo, 400, "E0000001");
    });
  });
});
