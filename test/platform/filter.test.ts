import { env } from "cloudflare:test";
import { asc, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "../../src/platform/errors";
import {
  compileExpression,
  compileFilter,
  jsonAttribute,
  normalizeTimestamp,
  parseExpression,
  type AttributeSpec,
  type CompileOptions,
  type Expr,
} from "../../src/platform/filter";

/** The 400 E0000031 a call throws, with its single cause. */
function searchError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const api = error as ApiError;
    expect(api.status).toBe(400);
    const body = api.body as { errorCode: string; errorSummary: string; errorCauses: { errorSummary: string }[] };
    expect(body.errorCode).toBe("E0000031");
    expect(body.errorSummary).toBe("Invalid search criteria.");
    expect(body.errorCauses).toHaveLength(1);
    return body.errorCauses[0]!.errorSummary;
  }
  throw new Error("expected a 400 E0000031");
}

const cmp = (attr: string, op: string, value: unknown): Expr => ({ kind: "compare", attr, op, value }) as Expr;

describe("parseExpression", () => {
  it("parses a single comparison", () => {
    expect(parseExpression('status eq "ACTIVE"')).toEqual(cmp("status", "eq", "ACTIVE"));
  });

  it("binds and tighter than or, left-associatively", () => {
    expect(parseExpression('a eq "1" or b eq "2" and c eq "3" or d eq "4"')).toEqual({
      kind: "or",
      left: {
        kind: "or",
        left: cmp("a", "eq", "1"),
        right: { kind: "and", left: cmp("b", "eq", "2"), right: cmp("c", "eq", "3") },
      },
      right: cmp("d", "eq", "4"),
    });
  });

  it("lets parentheses override precedence", () => {
    expect(parseExpression('(a eq "1" or b eq "2") and c eq "3"')).toEqual({
      kind: "and",
      left: { kind: "or", left: cmp("a", "eq", "1"), right: cmp("b", "eq", "2") },
      right: cmp("c", "eq", "3"),
    });
    expect(parseExpression('((a eq "1"))')).toEqual(cmp("a", "eq", "1"));
  });

  it("reads operators and keywords in any case, attribute names as written", () => {
    expect(parseExpression('profile.firstName EQ "x" AND Status Sw "A" oR x Pr')).toEqual({
      kind: "or",
      left: { kind: "and", left: cmp("profile.firstName", "eq", "x"), right: cmp("Status", "sw", "A") },
      right: { kind: "present", attr: "x" },
    });
    expect(parseExpression('NOT (a eq "1")')).toEqual({ kind: "not", expr: cmp("a", "eq", "1") });
    expect(parseExpression("not not a pr")).toEqual({ kind: "not", expr: { kind: "not", expr: { kind: "present", attr: "a" } } });
  });

  it("parses every comparison operator", () => {
    for (const op of ["eq", "ne", "gt", "ge", "lt", "le", "sw", "co", "ew"]) {
      expect(parseExpression(`lastUpdated ${op} "2024-01-01T00:00:00.000Z"`)).toEqual(cmp("lastUpdated", op, "2024-01-01T00:00:00.000Z"));
    }
  });

  it("reads JSON string escapes, unicode and quotes inside values", () => {
    expect(parseExpression(String.raw`a eq "say \"hi\" \\ \/ \n\t \u00e9\u4e2d"`)).toEqual(cmp("a", "eq", 'say "hi" \\ / \n\t é中'));
    expect(parseExpression('a eq "Zoë 中文 🎉"')).toEqual(cmp("a", "eq", "Zoë 中文 🎉"));
    expect(parseExpression(String.raw`a eq "\ud83c\udf89"`)).toEqual(cmp("a", "eq", "🎉"));
    expect(parseExpression('a eq ""')).toEqual(cmp("a", "eq", ""));
    expect(parseExpression('a eq "x\\" OR 1=1 --"')).toEqual(cmp("a", "eq", 'x" OR 1=1 --'));
  });

  it("reads numbers, booleans and null", () => {
    expect(parseExpression("a eq 42")).toEqual(cmp("a", "eq", 42));
    expect(parseExpression("a gt -1.5e3")).toEqual(cmp("a", "gt", -1500));
    expect(parseExpression("a eq 0")).toEqual(cmp("a", "eq", 0));
    expect(parseExpression("a eq true or b eq FALSE or c eq null")).toEqual({
      kind: "or",
      left: { kind: "or", left: cmp("a", "eq", true), right: cmp("b", "eq", false) },
      right: cmp("c", "eq", null),
    });
  });

  it("accepts tabs and extra spaces, and no space next to parentheses", () => {
    expect(parseExpression('  \t(a  eq\t"1")or(b eq "2")  ')).toEqual({ kind: "or", left: cmp("a", "eq", "1"), right: cmp("b", "eq", "2") });
  });

  it("treats keywords as attribute names where a name is expected", () => {
    expect(parseExpression('not eq "x"')).toEqual(cmp("not", "eq", "x"));
    expect(parseExpression('profile.and eq "x"')).toEqual(cmp("profile.and", "eq", "x"));
  });

  it.each([
    ["", "search: Expression is empty"],
    ["   ", "search: Expression is empty"],
    ["status", "search: Unexpected end of expression; expected an operator after 'status'"],
    ["status eq", "search: Unexpected end of expression; expected a value after 'eq'"],
    ['status eq "A" and', "search: Unexpected end of expression; expected an attribute name"],
    ['status eq "A" foo', "search: Unexpected token 'foo' at position 14; expected 'and', 'or' or end of expression"],
    ['status eq "A")', "search: Unexpected token ')' at position 13; expected no closing parenthesis here (none is open)"],
    ['(status eq "A"', "search: Unexpected end of expression; expected ')' to close the parenthesis at position 0"],
    ["()", "search: Unexpected token ')' at position 1; expected an attribute name"],
    ['status xx "A"', "search: Unknown operator 'xx' at position 7"],
    ['status eq "A', "search: Unterminated string starting at position 10"],
    ['status eq "A\\', "search: Unterminated string starting at position 10"],
    ['status eq "\\x"', "search: Invalid escape '\\x' at position 11"],
    ['status eq "\\u12G4"', "search: Invalid escape '\\u12G4' at position 11: expected 4 hex digits"],
    ['status eq "\\ud800"', "search: String at position 10 contains an unpaired surrogate"],
    ['status eq "\\u0000"', "search: String at position 10 contains U+0000, which is not allowed"],
    ['status eq "a\nb"', "search: Control character U+000A at position 12 must be escaped inside a string"],
    ['status eq "A"\n', "search: Unexpected character U+000A at position 13"],
    ["status eq ACTIVE", "search: Invalid value 'ACTIVE' at position 10; strings must be in double quotes"],
    ["status eq 'A'", "search: Unexpected character ''' at position 10"],
    ["status eq 01", "search: Invalid number '01' at position 10"],
    ["status eq 1x", "search: Invalid number '1x' at position 10"],
    ["status eq -", "search: Invalid number '-' at position 10"],
    ["status eq 1e999", "search: Number '1e999' at position 10 is out of range"],
    ['1abc eq "x"', "search: Invalid number '1abc' at position 0"],
    ['profile. eq "x"', "search: Invalid attribute name 'profile.' at position 0"],
    ['a..b eq "x"', "search: Invalid attribute name 'a..b' at position 0"],
    ['$x eq "x"', "search: Invalid attribute name '$x' at position 0"],
    ['a eq "x" or or b eq "y"', "search: Unexpected token 'or' at position 12; expected an attribute name"],
    ['a eq "x" and', "search: Unexpected end of expression; expected an attribute name"],
    ['a eq "x"; DROP TABLE users', "search: Unexpected character ';' at position 8"],
    ['a eq eq', "search: Invalid value 'eq' at position 5; strings must be in double quotes"],
    ['a eq (', "search: Unexpected token '(' at position 5; expected a value after 'eq'"],
  ])("refuses %j", (text, cause) => {
    expect(searchError(() => parseExpression(text))).toBe(cause);
  });

  it("names the parameter the expression came from", () => {
    expect(searchError(() => parseExpression("x", { param: "filter" }))).toBe(
      "filter: Unexpected end of expression; expected an operator after 'x'",
    );
  });

  describe("hostile input", () => {
    it("refuses 1,000 nested parentheses with a 400 before recursing", () => {
      const text = "(".repeat(1000) + 'a eq "1"' + ")".repeat(1000);
      expect(searchError(() => parseExpression(text))).toBe("search: Expression nests deeper than 64 levels at position 64");
    });

    it("refuses 100,000 unbalanced parentheses and 5,000 nots the same way", () => {
      expect(searchError(() => parseExpression("(".repeat(9_999)))).toMatch(/nests deeper than 64 levels/);
      expect(searchError(() => parseExpression("not ".repeat(2_000) + "a pr"))).toMatch(/nests deeper than 64 levels/);
    });

    it("accepts 64 levels of nesting", () => {
      const text = "(".repeat(64) + 'a eq "1"' + ")".repeat(64);
      expect(parseExpression(text)).toEqual(cmp("a", "eq", "1"));
    });

    it("refuses a 10,000-character expression of valid comparisons by the comparison cap", () => {
      const parts: string[] = [];
      while (parts.join(" or ").length < 9_950) parts.push(`profile.login eq "u${parts.length}"`);
      const text = parts.join(" or ");
      expect(text.length).toBeLessThanOrEqual(10_000);
      expect(searchError(() => parseExpression(text))).toMatch(/^search: Expression has more than 50 comparisons \(at position \d+\)$/);
    });

    it("accepts 50 comparisons", () => {
      const text = Array.from({ length: 50 }, (_, i) => `id eq "${i}"`).join(" or ");
      expect(() => parseExpression(text)).not.toThrow();
    });

    it("refuses text over 10,000 characters before reading it", () => {
      const text = `a eq "${"x".repeat(10_000)}"`;
      expect(searchError(() => parseExpression(text))).toBe("search: Expression is 10007 characters long; at most 10000 are allowed");
    });

    it("accepts a 9,990-character value", () => {
      const value = "v".repeat(9_990);
      expect(parseExpression(`a eq "${value}"`)).toEqual(cmp("a", "eq", value));
    });

    it("names a stray non-ASCII character outside strings", () => {
      expect(searchError(() => parseExpression('a eq "1" 🎉'))).toBe("search: Unexpected character '🎉' at position 9");
      expect(searchError(() => parseExpression('a eq "1" \ud800'))).toBe("search: Unexpected character U+D800 at position 9");
      expect(searchError(() => parseExpression('a eq "\ud800"'))).toBe("search: String at position 5 contains an unpaired surrogate");
    });

    it("keeps causes short when a token is huge", () => {
      const cause = searchError(() => parseExpression(`a eq ${"y".repeat(9_000)}`));
      expect(cause.length).toBeLessThan(120);
    });

    it("refuses control characters and NUL outside strings", () => {
      expect(searchError(() => parseExpression('a eq "1"\u0000'))).toBe("search: Unexpected character U+0000 at position 8");
      expect(searchError(() => parseExpression('a\u0007eq "1"'))).toBe("search: Unexpected character U+0007 at position 1");
    });
  });
});

describe("normalizeTimestamp", () => {
  it("normalises ISO timestamps to the stored UTC form", () => {
    expect(normalizeTimestamp("2013-07-02T21:36:25.344Z")).toBe("2013-07-02T21:36:25.344Z");
    expect(normalizeTimestamp("2013-07-02T21:36:25Z")).toBe("2013-07-02T21:36:25.000Z");
    expect(normalizeTimestamp("2013-01-01T12:00:00.000-07:00")).toBe("2013-01-01T19:00:00.000Z");
    expect(normalizeTimestamp("2024-02-29T00:00:00.000Z")).toBe("2024-02-29T00:00:00.000Z");
  });

  it.each(["2013-07-02", "2013-02-30T00:00:00.000Z", "2013-13-01T00:00:00Z", "2013-07-02T24:00:00Z", "yesterday", "2013-07-02T21:36:25.344"])(
    "refuses %j",
    (text) => {
      expect(normalizeTimestamp(text)).toBeUndefined();
    },
  );
});

// A scratch table in this test file's own D1, compared through drizzle exactly as the namespaces will.
const people = sqliteTable("filter_test_people", {
  id: text("id").primaryKey(),
  name: text("name"),
  email: text("email"),
  created: text("created"),
  age: integer("age"),
  active: integer("active", { mode: "boolean" }),
  profile: text("profile", { mode: "json" }),
  status: text("status"),
  nameFolded: text("name_folded"),
});

const db = drizzle(env.DB);

const ROWS = [
  { id: "p1", name: "Alice", email: "alice@example.com", created: "2024-01-01T00:00:00.000Z", age: 30, active: true, profile: { nick: "Al", tags: ["red", "blue"] } },
  { id: "p2", name: "alice", email: "ALICE2@example.com", created: "2024-02-01T00:00:00.000Z", age: 25, active: false, profile: { nick: "ali", tags: ["green"] } },
  { id: "p3", name: "Bob", email: "bob@example.com", created: "2024-03-01T12:30:00.000Z", age: 40, active: true, profile: { nick: "", tags: [] } },
  { id: "p4", name: "50%_off", email: "sale@example.com", created: "2024-04-01T00:00:00.000Z", age: null, active: null, profile: {} },
  { id: "p5", name: "50xyoff", email: "other@example.com", created: null, age: 18, active: true, profile: { nick: "x" } },
  { id: "p6", name: 'x" OR 1=1 --', email: "inj@example.com", created: null, age: null, active: null, profile: null },
  { id: "p7", name: "a\\b", email: null, created: null, age: null, active: null, profile: { tags: "red" } },
  { id: "p8", name: "Zoë", email: "zoe@example.com", created: null, age: null, active: null, profile: null },
];

const ATTRS: Record<string, AttributeSpec> = {
  id: { column: people.id, type: "string", ops: ["eq"], caseInsensitive: false },
  name: { column: people.name, type: "string", ops: ["eq", "ne", "sw", "co", "ew", "gt", "lt", "pr"] },
  email: { column: people.email, type: "string", ops: ["eq", "sw", "co", "pr"] },
  created: { column: people.created, type: "date", ops: ["eq", "gt", "ge", "lt", "le", "pr"] },
  age: { column: people.age, type: "number", ops: ["eq", "ne", "gt", "ge", "lt", "le", "pr"] },
  active: { column: people.active, type: "boolean", ops: ["eq", "ne"] },
  status: { column: people.status, type: "string", ops: ["eq"], caseInsensitive: false, normalize: (v) => v.toUpperCase() },
  nameFolded: { column: people.nameFolded, type: "string", ops: ["eq", "sw"], folded: true },
};

const PROFILE = (attr: string): AttributeSpec | undefined =>
  attr.startsWith("profile.")
    ? jsonAttribute(people.profile, attr.slice("profile.".length), { type: "string", ops: ["eq", "sw", "co", "pr"], multiValued: true })
    : undefined;

async function ids(text: string, options: Partial<CompileOptions> = {}): Promise<string[]> {
  const where = compileFilter(text, ATTRS, { caseInsensitive: false, unknownAttribute: PROFILE, ...options });
  const rows = await db.select({ id: people.id }).from(people).where(where).orderBy(asc(people.id));
  return rows.map((r) => r.id);
}

const search = (text: string, options: Partial<CompileOptions> = {}) => ids(text, { caseInsensitive: true, ...options });

describe("compileExpression against D1", () => {
  beforeAll(async () => {
    await env.DB.exec(
      "CREATE TABLE IF NOT EXISTS filter_test_people (id TEXT PRIMARY KEY, name TEXT, email TEXT, created TEXT, age INTEGER, active INTEGER, profile TEXT, status TEXT, name_folded TEXT)",
    );
    await db.delete(people);
    await db.insert(people).values(
      ROWS.map((row, i) => ({ ...row, status: i % 2 ? "ACTIVE" : "SUSPENDED", nameFolded: row.name.toLowerCase() })),
    );
  });

  it("binds values as parameters: an injection-looking value matches only itself", async () => {
    const text = String.raw`name eq "x\" OR 1=1 --"`;
    expect(await ids(text)).toEqual(["p6"]);
    const query = db.select().from(people).where(compileFilter(text, ATTRS, { caseInsensitive: false })).toSQL();
    expect(query.sql).not.toContain("1=1");
    expect(query.params).toEqual(['x" OR 1=1 --']);
    expect(await ids(String.raw`name eq "' OR '1'='1"`)).toEqual([]);
    expect(await ids(String.raw`name eq "a\\b"`)).toEqual(["p7"]);
  });

  it("compares case-sensitively for filter and case-insensitively for search", async () => {
    expect(await ids('name eq "alice"')).toEqual(["p2"]);
    expect(await ids('name eq "ALICE"')).toEqual([]);
    expect(await search('name eq "ALICE"')).toEqual(["p1", "p2"]);
    expect(await search('email sw "ALICE"')).toEqual(["p1", "p2"]);
    expect(await ids('email sw "alice"')).toEqual(["p1"]);
    expect(await search('email co "LICE2@"')).toEqual(["p2"]);
    expect(await ids('email co "LICE2@"')).toEqual(["p2"]);
    expect(await ids('email co "lice2@"')).toEqual([]);
    // An attribute can pin case sensitivity (ids are case-sensitive in search too).
    expect(await search('id eq "P1"')).toEqual([]);
  });

  it("treats sw as a prefix, with % _ and \\ as plain characters", async () => {
    expect(await ids('name sw "50%"')).toEqual(["p4"]);
    expect(await ids('name sw "50%_"')).toEqual(["p4"]);
    expect(await ids('name sw "50_"')).toEqual([]);
    expect(await ids('name sw "50"')).toEqual(["p4", "p5"]);
    expect(await ids(String.raw`name sw "a\\"`)).toEqual(["p7"]);
    expect(await ids('name sw "Al"')).toEqual(["p1"]);
    expect(await ids('name sw "Alice"')).toEqual(["p1"]);
    expect(await ids('name sw "Alicex"')).toEqual([]);
    expect(await ids('name sw "Zo"')).toEqual(["p8"]);
    expect(await ids('name sw "Zoë"')).toEqual(["p8"]);
    expect(await ids('name sw ""')).toEqual(["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]);
    expect(await ids('name co "%"')).toEqual(["p4"]);
    expect(await ids('name co "_"')).toEqual(["p4"]);
    expect(await ids('name ew "off"')).toEqual(["p4", "p5"]);
    expect(await ids('name ew "_off"')).toEqual(["p4"]);
    expect(await ids('name ew "ë"')).toEqual(["p8"]);
  });

  it("compiles sw to an index-friendly range", () => {
    const query = db.select().from(people).where(compileFilter('name sw "ab"', ATTRS, { caseInsensitive: false })).toSQL();
    expect(query.sql).toContain('("filter_test_people"."name" >= ? AND "filter_test_people"."name" < ?)');
    expect(query.params).toEqual(["ab", "ac"]);
    const folded = db.select().from(people).where(compileFilter('name sw "AB"', ATTRS, { caseInsensitive: true })).toSQL();
    expect(folded.sql).toContain('(lower("filter_test_people"."name") >= ? AND lower("filter_test_people"."name") < ?)');
    expect(folded.params).toEqual(["ab", "ac"]);
  });

  it("compares dates chronologically, normalising the value", async () => {
    expect(await ids('created gt "2024-02-01T00:00:00.000Z"')).toEqual(["p3", "p4"]);
    expect(await ids('created ge "2024-02-01T00:00:00.000Z"')).toEqual(["p2", "p3", "p4"]);
    expect(await ids('created lt "2024-02-01T00:00:00Z"')).toEqual(["p1"]);
    expect(await ids('created eq "2024-03-01T13:30:00.000+01:00"')).toEqual(["p3"]);
    expect(await ids('created le "2024-03-01T12:30:00.000Z" and created gt "2024-01-01T00:00:00.000Z"')).toEqual(["p2", "p3"]);
    expect(searchError(() => compileFilter('created gt "2024-02-30T00:00:00.000Z"', ATTRS, { caseInsensitive: false }))).toBe(
      "search: Invalid date '2024-02-30T00:00:00.000Z' for attribute 'created'; dates must look like 2013-07-02T21:36:25.344Z",
    );
    expect(searchError(() => compileFilter("created gt 5", ATTRS, { caseInsensitive: false }))).toBe(
      "search: Attribute 'created' is a date; the value must be a quoted timestamp",
    );
  });

  it("applies and before or", async () => {
    expect(await ids('name eq "Bob" or name eq "Alice" and age gt 35')).toEqual(["p3"]);
    expect(await ids('(name eq "Bob" or name eq "Alice") and age lt 35')).toEqual(["p1"]);
    expect(await ids('name eq "Alice" and age lt 35 or name eq "Bob"')).toEqual(["p1", "p3"]);
  });

  it("compares numbers, booleans and null", async () => {
    expect(await ids("age ge 30")).toEqual(["p1", "p3"]);
    expect(await ids("age eq 18 or age lt 20")).toEqual(["p5"]);
    expect(await ids("age ne 30")).toEqual(["p2", "p3", "p4", "p5", "p6", "p7", "p8"]);
    expect(await ids("active eq true")).toEqual(["p1", "p3", "p5"]);
    expect(await ids("active eq false")).toEqual(["p2"]);
    expect(await ids("age eq null")).toEqual(["p4", "p6", "p7", "p8"]);
    expect(searchError(() => compileFilter('age gt "30"', ATTRS, { caseInsensitive: false }))).toBe(
      "search: Attribute 'age' is a number; the value must be a number",
    );
    expect(searchError(() => compileFilter('active eq "true"', ATTRS, { caseInsensitive: false }))).toBe(
      "search: Attribute 'active' is a boolean; the value must be true or false",
    );
    expect(searchError(() => compileFilter("name sw null", ATTRS, { caseInsensitive: false }))).toBe(
      "search: Operator 'sw' cannot compare attribute 'name' with null",
    );
    expect(searchError(() => compileFilter('name eq 5', ATTRS, { caseInsensitive: false }))).toBe(
      "search: Attribute 'name' is a string; the value must be a quoted string",
    );
  });

  it("treats pr as present and non-empty", async () => {
    expect(await ids("email pr")).toEqual(["p1", "p2", "p3", "p4", "p5", "p6", "p8"]);
    expect(await ids("age pr")).toEqual(["p1", "p2", "p3", "p5"]);
    expect(await ids("profile.nick pr")).toEqual(["p1", "p2", "p5"]);
  });

  it("maps unknown profile attributes to JSON, matching any element of an array", async () => {
    expect(await ids('profile.nick eq "Al"')).toEqual(["p1"]);
    expect(await search('profile.nick eq "AL"')).toEqual(["p1"]);
    expect(await search('profile.nick sw "AL"')).toEqual(["p1", "p2"]);
    expect(await ids('profile.tags eq "red"')).toEqual(["p1", "p7"]);
    expect(await ids('profile.tags eq "blue" or profile.tags eq "green"')).toEqual(["p1", "p2"]);
    expect(await ids('profile.tags co "e"')).toEqual(["p1", "p2", "p7"]);
    const query = db.select().from(people).where(compileFilter('profile.nick eq "Al"', ATTRS, { caseInsensitive: false, unknownAttribute: PROFILE })).toSQL();
    expect(query.params).toEqual(["$.nick", "Al"]);
  });

  it("supports not only when allowed, treating an absent attribute as not matching", async () => {
    expect(searchError(() => compileFilter('not (name eq "Bob")', ATTRS, { caseInsensitive: false }))).toBe(
      "search: The 'not' operator is not supported",
    );
    expect(await ids('not (age gt 20)', { allowNot: true })).toEqual(["p4", "p5", "p6", "p7", "p8"]);
    expect(await ids('not name sw "A" and not (email pr)', { allowNot: true })).toEqual(["p7"]);
  });

  it("refuses unsupported attributes and operators, naming them", () => {
    expect(searchError(() => compileFilter('nickname eq "x"', ATTRS, { caseInsensitive: false }))).toBe("search: Unsupported attribute 'nickname'");
    expect(searchError(() => compileFilter('constructor eq "x"', ATTRS, { caseInsensitive: false }))).toBe(
      "search: Unsupported attribute 'constructor'",
    );
    expect(searchError(() => compileFilter('id sw "x"', ATTRS, { caseInsensitive: false, param: "filter" }))).toBe(
      "filter: Operator 'sw' is not supported for attribute 'id'",
    );
    expect(searchError(() => compileFilter("active pr", ATTRS, { caseInsensitive: false }))).toBe(
      "search: Operator 'pr' is not supported for attribute 'active'",
    );
    expect(searchError(() => compileFilter('profile.x ew "x"', ATTRS, { caseInsensitive: false, unknownAttribute: PROFILE }))).toBe(
      "search: Operator 'ew' is not supported for attribute 'profile.x'",
    );
  });

  it("refuses an expression needing more bound parameters than the budget", async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `profile.nick eq "n${i}"`).join(" or ");
    expect(searchError(() => compileFilter(fifty, ATTRS, { caseInsensitive: false, unknownAttribute: PROFILE }))).toBe(
      "search: Expression is too complex: it needs 100 query parameters; at most 80 are allowed",
    );
    // 50 plain comparisons fit and run in D1 with room to spare.
    const ids50 = Array.from({ length: 50 }, (_, i) => `id eq "p${i}"`).join(" or ");
    expect(await ids(ids50)).toEqual(["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]);
  });

  it("normalises values of an attribute that asks for it", async () => {
    expect(await ids('status eq "active"')).toEqual(["p2", "p4", "p6", "p8"]);
    const query = db.select().from(people).where(compileFilter('status eq "active"', ATTRS, { caseInsensitive: true })).toSQL();
    expect(query.sql).toContain('"filter_test_people"."status" = ?');
    expect(query.params).toEqual(["ACTIVE"]);
  });

  it("folds ASCII only with lower(); a folded column folds all of Unicode", async () => {
    expect(await search('name eq "ZOË"')).toEqual([]);
    expect(await search('name eq "ZOë"')).toEqual(["p8"]);
    expect(await search('nameFolded eq "ZOË"')).toEqual(["p8"]);
    expect(await search('nameFolded sw "ZOË"')).toEqual(["p8"]);
    expect(await ids('nameFolded eq "ZOË"')).toEqual([]);
  });

  it("compiles a parsed AST directly", async () => {
    const where = compileExpression(parseExpression('name eq "Bob"'), ATTRS, { caseInsensitive: false });
    const rows = await db.select({ id: people.id }).from(people).where(where);
    expect(rows).toEqual([{ id: "p3" }]);
  });
});

describe("index use", () => {
  const scoped = sqliteTable("filter_test_scoped", { orgId: text("org_id"), name: text("name"), email: text("email") });
  const SCOPED: Record<string, AttributeSpec> = {
    name: { column: scoped.name, type: "string", ops: ["eq", "sw"] },
    email: { column: scoped.email, type: "string", ops: ["eq", "sw", "co"] },
  };

  async function plan(text: string, caseInsensitive: boolean): Promise<string> {
    const where = compileFilter(text, SCOPED, { caseInsensitive });
    const query = db.select().from(scoped).where(sql`${scoped.orgId} = ${"org1"} AND ${where}`).toSQL();
    const result = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
      .bind(...query.params)
      .all<{ detail: string }>();
    return result.results.map((r) => r.detail).join("; ");
  }

  beforeAll(async () => {
    await env.DB.exec("CREATE TABLE IF NOT EXISTS filter_test_scoped (org_id TEXT, name TEXT, email TEXT)");
    await env.DB.exec("CREATE INDEX IF NOT EXISTS filter_test_scoped_name ON filter_test_scoped (org_id, name)");
    await env.DB.exec("CREATE INDEX IF NOT EXISTS filter_test_scoped_email ON filter_test_scoped (org_id, lower(email))");
  });

  it("serves case-sensitive eq and sw from an index on the column", async () => {
    expect(await plan('name eq "ab"', false)).toContain("USING INDEX filter_test_scoped_name (org_id=? AND name=?)");
    expect(await plan('name sw "ab"', false)).toContain("USING INDEX filter_test_scoped_name (org_id=? AND name>? AND name<?)");
  });

  it("serves case-insensitive eq and sw from an index on lower(column)", async () => {
    expect(await plan('email eq "AB"', true)).toContain("USING INDEX filter_test_scoped_email (org_id=? AND <expr>=?)");
    expect(await plan('email sw "AB"', true)).toContain("USING INDEX filter_test_scoped_email (org_id=? AND <expr>>? AND <expr><?)");
  });
});
