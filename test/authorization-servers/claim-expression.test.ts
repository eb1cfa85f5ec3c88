import { describe, expect, it } from "vitest";
import { compileClaimExpression, ExpressionError } from "../../src/authorization-servers/claim-expression";

const context = { app: { clientId: "0oaABCdef", profile: { tier: "gold", seats: 5, flag: true, nested: { x: 1 } } } };
const run = (text: string) => compileClaimExpression(text).evaluate(context);

describe("claim expression subset", () => {
  it("evaluates literals, app.clientId and app.profile.*", () => {
    expect(run("'single'")).toBe("single");
    expect(run('"double"')).toBe("double");
    expect(run("'it\\'s'")).toBe("it's");
    expect(run("42")).toBe(42);
    expect(run("true")).toBe(true);
    expect(run("null")).toBe(null);
    expect(run("app.clientId")).toBe("0oaABCdef");
    expect(run("app.profile.tier")).toBe("gold");
    expect(run("app.profile.seats")).toBe(5);
    expect(run("app.profile.missing")).toBe(null);
    expect(run("app.profile.nested")).toBe(null);
  });

  it("evaluates String functions and concatenation, null in null out", () => {
    expect(run("String.toUpperCase(app.clientId)")).toBe("0OAABCDEF");
    expect(run("String.toLowerCase(app.clientId)")).toBe("0oaabcdef");
    expect(run("String.substringAfter('user@example.com', '@')")).toBe("example.com");
    expect(run("String.substringAfter('abc', '@')")).toBe("");
    expect(run("String.substringBefore('user@example.com', '@')")).toBe("user");
    expect(run("String.substringBefore('abc', '@')")).toBe("abc");
    expect(run("String.substring('abcdef', 1, 3)")).toBe("bc");
    expect(run("String.substring('abc', 2, 9)")).toBe(null);
    expect(run("String.append('a', 'b')")).toBe("ab");
    expect(run("String.join('-', 'a', app.profile.tier, 'c')")).toBe("a-gold-c");
    expect(run("String.len(app.clientId)")).toBe(9);
    expect(run("String.removeSpaces(' a b ')")).toBe("ab");
    expect(run("String.replace('a.b.c', '.', '/')")).toBe("a/b/c");
    expect(run("String.replaceFirst('a.b.c', '.', '/')")).toBe("a/b.c");
    expect(run("String.stringContains(app.clientId, 'ABC')")).toBe(true);
    expect(run("'tier-' + app.profile.tier + '-' + (app.clientId)")).toBe("tier-gold-0oaABCdef");
    expect(run("String.toUpperCase(app.profile.missing)")).toBe(null);
    expect(run("'x' + app.profile.missing")).toBe(null);
    expect(run("String.toUpperCase(String.substringAfter(app.clientId, '0oa'))")).toBe("ABCDEF");
  });

  it("refuses everything outside the subset", () => {
    for (const text of [
      "",
      "user.email",
      "appuser.userName",
      "app.name",
      "app.profile",
      "Groups.startsWith('x')",
      "Arrays.contains(x)",
      "String.nope('a')",
      "String.toUpperCase()",
      "String.toUpperCase('a', 'b')",
      "'unterminated",
      "a ? b : c",
      "app.clientId == 'x'",
      "('a'",
      "'a' 'b'",
      "x".repeat(1025),
      "(".repeat(40) + "'a'" + ")".repeat(40),
    ]) {
      expect(() => compileClaimExpression(text), text.slice(0, 40)).toThrow(ExpressionError);
    }
  });
});
