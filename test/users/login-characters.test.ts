import { describe, expect, it } from "vitest";
import { createUser, expectError, newCtx, profile } from "./helpers";

// Issue 14 §2: "nul.x@example.com\u0000" was accepted and round-tripped — a second account that
// looks like an existing one. Every class below is invisible or not text (profile.ts, INVISIBLE).
const REFUSED: [string, string][] = [
  ["NUL", "\u0000"],
  ["C0 control", "\u0001"],
  ["DEL", "\u007f"],
  ["C1 control", "\u0085"],
  ["zero-width space", "\u200b"],
  ["zero-width joiner", "\u200d"],
  ["word joiner", "\u2060"],
  ["left-to-right mark", "\u200e"],
  ["right-to-left override", "\u202e"],
  ["first-strong isolate", "\u2068"],
  ["byte order mark", "\ufeff"],
  ["soft hyphen", "\u00ad"],
  ["lone surrogate", "\ud800"],
  ["private use", "\ue000"],
  ["Hangul filler", "\u3164"],
];

describe("login and email: no control or invisible characters (REFERENCE §1.3)", async () => {
  const ctx = await newCtx();

  it("refuses each class in login, email and secondEmail with 400 E0000001; nothing is stored", async () => {
    const existing = await createUser(ctx, { profile: profile() }, "?activate=false");
    const login: string = existing.profile.login;
    for (const [what, ch] of REFUSED) {
      for (const at of ["end", "local part"]) {
        const twin = at === "end" ? login + ch : login.replace("@", `${ch}@`);
        const asLogin = await ctx.req("POST", "/api/v1/users?activate=false", { profile: profile({ login: twin }) });
        expectError(asLogin, 400, "E0000001", "Api validation failed: login");
        expect(asLogin.body.errorCauses, `${what} at ${at}`).toEqual([{ errorSummary: "login: Username must be in the form of an email address" }]);
        const asEmail = await ctx.req("POST", "/api/v1/users?activate=false", { profile: profile({ email: twin, secondEmail: twin }) });
        expectError(asEmail, 400, "E0000001", "Api validation failed: email");
        expect(asEmail.body.errorCauses.map((c: any) => c.errorSummary)).toEqual([
          "email: Does not match required pattern",
          "secondEmail: Does not match required pattern",
        ]);
      }
    }
    const search = await ctx.req("GET", `/api/v1/users?search=${encodeURIComponent(`profile.login sw "${login.split("@")[0]}"`)}`);
    expect(search.body.map((u: any) => u.id)).toEqual([existing.id]);
  });

  it("refuses them on update too (POST and PUT), leaving the login as it was", async () => {
    const user = await createUser(ctx, { profile: profile() }, "?activate=false");
    for (const method of ["POST", "PUT"]) {
      const reply = await ctx.req(method, `/api/v1/users/${user.id}`, { profile: { ...user.profile, login: `${user.profile.login}\u0000` } });
      expectError(reply, 400, "E0000001", "Api validation failed: login");
    }
    expect((await ctx.req("GET", `/api/v1/users/${user.id}`)).body.profile.login).toBe(user.profile.login);
  });

  it("keeps invisible joiners in other attributes (names use ZWJ/ZWNJ), and marks cannot make a twin login", async () => {
    const user = await createUser(ctx, { profile: profile({ firstName: "می\u200cخواهم", nickName: "a\u200db" }) }, "?activate=false");
    expect(user.profile.firstName).toBe("می\u200cخواهم");
    // A variation selector is a mark: the login's unique form drops it, so it is the same login.
    const twin = await ctx.req("POST", "/api/v1/users?activate=false", {
      profile: profile({ login: user.profile.login.replace("@", "\ufe0f@") }),
    });
    expectError(twin, 400, "E0000001", "Api validation failed: login");
    expect(twin.body.errorCauses[0].errorSummary).toBe("login: An object with this field already exists in the current organization");
  });
});
