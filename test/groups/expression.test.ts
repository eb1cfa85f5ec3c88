import { describe, expect, it } from "vitest";
import { ExpressionError, evaluate, parseRuleExpression } from "../../src/groups/expression";

const people: Record<string, Record<string, unknown>> = {
  ada: { login: "ada@example.com", department: "Engineering", title: "Staff \"Principal\" Engineer", level: 7, city: "O'Fallon" },
  bob: { login: "bob@example.com", department: "engineering", title: "Engineer", level: "7" },
  cy: { login: "cy@example.com", title: null },
  dee: { login: "dee@Example.COM", department: "Sales", level: 3, manager: true },
};

function matches(expression: string, groupIds: Record<string, string[]> = {}): string[] {
  const ast = parseRuleExpression(expression);
  return Object.entries(people)
    .filter(([name, profile]) => evaluate(ast, { profile, groupIds: new Set(groupIds[name] ?? []) }))
    .map(([name]) => name);
}

describe("rule expressions: evaluation over a tricky data set", () => {
  it("== is exact and case-sensitive; a missing attribute is null", () => {
    expect(matches('user.department == "Engineering"')).toEqual(["ada"]);
    expect(matches('user.department=="engineering"')).toEqual(["bob"]);
    expect(matches('user.department != "Engineering"')).toEqual(["bob", "cy", "dee"]);
    expect(matches("user.department == null")).toEqual(["cy"]);
    expect(matches("user.title == null")).toEqual(["cy", "dee"]);
    expect(matches('user.nosuch == ""')).toEqual([]);
  });

  it("numbers compare numerically and never equal strings", () => {
    expect(matches("user.level == 7")).toEqual(["ada"]);
    expect(matches('user.level == "7"')).toEqual(["bob"]);
    expect(matches("user.level == 7.0")).toEqual(["ada"]);
  });

  it("booleans: a bare boolean attribute is a condition", () => {
    expect(matches("user.manager")).toEqual(["dee"]);
    expect(matches("user.manager == true")).toEqual(["dee"]);
    expect(matches("!user.manager")).toEqual(["ada", "bob", "cy"]);
  });

  it("quotes: escaped double quotes, single-quoted strings, apostrophes", () => {
    expect(matches('user.title == "Staff \\"Principal\\" Engineer"')).toEqual(["ada"]);
    expect(matches("user.city == 'O\\'Fallon'")).toEqual(["ada"]);
    expect(matches(`user.city == "O'Fallon"`)).toEqual(["ada"]);
    expect(matches('String.stringContains(user.title, "\\"Principal\\"")')).toEqual(["ada"]);
  });

  it("String functions are case-sensitive and false on missing or non-string values", () => {
    expect(matches('String.stringContains(user.title, "Engineer")')).toEqual(["ada", "bob"]);
    expect(matches('String.stringContains(user.title, "engineer")')).toEqual([]);
    expect(matches('String.startsWith(user.login, "d")')).toEqual(["dee"]);
    expect(matches('String.endsWith(user.login, "@example.com")')).toEqual(["ada", "bob", "cy"]);
    expect(matches('String.stringContains(user.level, "7")')).toEqual(["bob"]); // "7" is a string, 7 is not
    expect(matches('String.startsWith(user.nosuch, "")')).toEqual([]);
  });

  it("AND/OR/NOT, &&/||/!, keyword case and precedence (AND binds tighter)", () => {
    expect(matches('user.department == "Sales" OR user.level == 7 AND user.department == "Engineering"')).toEqual(["ada", "dee"]);
    expect(matches('(user.department == "Sales" || user.level == 7) && user.department == "Engineering"')).toEqual(["ada"]);
    expect(matches('user.department == "Sales" or user.department == "engineering"')).toEqual(["bob", "dee"]);
    expect(matches('NOT (user.department == "Sales") and not user.department == null')).toEqual(["ada", "bob"]);
    expect(matches('!(String.endsWith(user.login, ".com"))')).toEqual(["dee"]);
  });

  it("isMemberOfAnyGroup / isMemberOfGroup read the user's groups", () => {
    const groups = { ada: ["00gA"], bob: ["00gB"], dee: ["00gA", "00gB"] };
    expect(matches('isMemberOfGroup("00gA")', groups)).toEqual(["ada", "dee"]);
    expect(matches('isMemberOfAnyGroup("00gB", "00gC")', groups)).toEqual(["bob", "dee"]);
    expect(matches('isMemberOfGroup("00gA") && !isMemberOfGroup("00gB")', groups)).toEqual(["ada"]);
  });
});

describe("rule expressions: what is refused, naming the part", () => {
  const refused: [string, RegExp][] = [
    ["", /empty/],
    ['user.department = "x"', /Unsupported token '='/],
    ['user.level > 5', /Unsupported token '>/],
    ['user.getGroups() == "x"', /Unsupported function 'user.getGroups'/],
    ['Arrays.contains(user.x, "a")', /Unsupported function 'Arrays.contains'/],
    ['String.toUpperCase(user.x) == "A"', /Unsupported function 'String.toUpperCase'/],
    ['user.profile.department == "x"', /Unsupported property 'user.profile.department'/],
    ['app.name == "x"', /Unsupported identifier 'app.name'/],
    ['user.department == "x', /Unterminated string/],
    ['(user.department == "x"', /Expected '\)'/],
    ['user.a == "x" == "y"', /Unsupported '=='/],
    ['"just a string"', /must be a condition/],
    ['user.a == "x" AND "y"', /is not a condition/],
    ['String.stringContains(user.a)', /takes 2 arguments/],
    ["isMemberOfGroup(user.a)", /quoted group ids/],
    ["isMemberOfAnyGroup()", /one or more group ids/],
    ['user.a == "x" ; drop', /Unsupported token ';'/],
    ["(".repeat(100) + "true" + ")".repeat(100), /nests deeper/],
  ];
  for (const [text, message] of refused) {
    it(`refuses ${JSON.stringify(text.slice(0, 40))}`, () => {
      expect(() => parseRuleExpression(text)).toThrow(ExpressionError);
      expect(() => parseRuleExpression(text)).toThrow(message);
    });
  }
});
