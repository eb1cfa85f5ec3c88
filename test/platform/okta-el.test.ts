import { describe, expect, it } from "vitest";
import { CLIENT_CLAIM, compile, ExpressionError, GROUP_RULE, USER_CLAIM } from "../../src/platform/okta-el";


const people: Record<string, Record<string, unknown>> = {
  ada: { login: "ada@example.com", department: "Engineering", title: "Staff \"Principal\" Engineer", level: 7, city: "O'Fallon" },
  bob: { login: "bob@example.com", department: "engineering", title: "Engineer", level: "7" },
  cy: { login: "cy@example.com", title: null },
  dee: { login: "dee@Example.COM", department: "Sales", level: 3, manager: true },
};

function matches(expression: string, groupIds: Record<string, string[]> = {}): string[] {
  const rule = compile(expression, GROUP_RULE);
  return Object.entries(people)
    .filter(([name, profile]) => rule.test({ attributes: { user: profile }, groups: new Map((groupIds[name] ?? []).map((id) => [id, ""])) }))
    .map(([name]) => name);
}

describe("group rule dialect: evaluation over a tricky data set", () => {
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

  it("quotes: SpEL's doubled quotes, single-quoted strings, apostrophes", () => {
    expect(matches('user.title == "Staff ""Principal"" Engineer"')).toEqual(["ada"]);
    expect(matches("user.city == 'O''Fallon'")).toEqual(["ada"]);
    expect(matches(`user.city == "O'Fallon"`)).toEqual(["ada"]);
    expect(matches('String.stringContains(user.title, \'"Principal"\')')).toEqual(["ada"]);
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

describe("group rule dialect: what is refused, naming the part", () => {
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
      expect(() => compile(text, GROUP_RULE)).toThrow(ExpressionError);
      expect(() => compile(text, GROUP_RULE)).toThrow(message);
    });
  }
});


const claimContext = { attributes: { app: { clientId: "0oaABCdef", profile: { tier: "gold", seats: 5, flag: true, nested: { x: 1 } } } } };
const run = (text: string) => compile(text, CLIENT_CLAIM).value(claimContext);

describe("client claim dialect", () => {
  it("evaluates literals, app.clientId and app.profile.*", () => {
    expect(run("'single'")).toBe("single");
    expect(run('"double"')).toBe("double");
    expect(run("'it''s'")).toBe("it's");
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
      expect(() => compile(text, CLIENT_CLAIM), text.slice(0, 40)).toThrow(ExpressionError);
    }
  });
});

describe("string literals follow SpEL (Okta EL is SpEL)", () => {
  const value = (text: string) => compile(text, CLIENT_CLAIM).value({ attributes: {} });

  it("a doubled delimiter stands for itself, the other quote needs nothing", () => {
    expect(value("'O''Fallon'")).toBe("O'Fallon");
    expect(value('"say ""hi"""')).toBe('say "hi"');
    expect(value(`'say "hi"'`)).toBe('say "hi"');
    expect(value(`"it's"`)).toBe("it's");
    expect(value("''''")).toBe("'");
    expect(value("''")).toBe("");
  });

  it("a backslash is an ordinary character, never an escape", () => {
    expect(value("'C:\\temp\\new'")).toBe("C:\\temp\\new");
    expect(value("'a\\nb'")).toHaveLength(4);
    expect(value("'ends with \\'")).toBe("ends with \\");
    expect(value('"ends with \\" + "x"')).toBe("ends with \\x");
  });

  it("the backslash-quote of other languages does not escape: the literal ends there", () => {
    expect(() => value("'it\\'s'")).toThrow(/Unterminated string starting at position 6/);
    expect(() => compile('user.a == "x\\"y"', GROUP_RULE)).toThrow(/Unterminated string starting at position 15/);
  });

  it("refusals keep their position", () => {
    expect(() => compile("'abc", CLIENT_CLAIM)).toThrow("Unterminated string starting at position 0");
    expect(() => compile("app.clientId == 'x'", CLIENT_CLAIM)).toThrow("Unsupported '==' at position 13");
    expect(() => compile("user.email", CLIENT_CLAIM)).toThrow("Unsupported identifier 'user.email' at position 0");
    expect(() => compile("'a' + String.nope('b')", CLIENT_CLAIM)).toThrow("Unsupported function 'String.nope' at position 6");
    expect(() => compile("'a' 'b'", CLIENT_CLAIM)).toThrow(`Unsupported '"b"' at position 4`);
  });
});

describe("user claim dialect: user.*, appuser.*, group functions", () => {
  const groups = new Map([
    ["00gEng", "Engineering"],
    ["00gEngLead", "Engineering Leads"],
    ["00gAll", "Everyone"],
  ]);
  const context = {
    attributes: {
      user: { email: "ada@example.com", department: "Engineering", locale: "en_GB" },
      appuser: { role: "admin" },
      app: { clientId: "0oaC", profile: {} },
    },
    groups,
  };
  const run = (text: string) => compile(text, USER_CLAIM).value(context);

  it("reads user.*, appuser.* and app.* side by side", () => {
    expect(run("user.email + ' ' + appuser.role + ' ' + app.clientId")).toBe("ada@example.com admin 0oaC");
    expect(run("String.substringBefore(user.email, '@')")).toBe("ada");
    expect(run("user.missing")).toBe(null);
    expect(run("user.department == 'Engineering' && appuser.role != 'viewer'")).toBe(true);
  });

  it("Groups.startsWith / endsWith / contains give names of the user's Okta groups, sorted, at most limit", () => {
    expect(run("Groups.startsWith('OKTA', 'Eng', 10)")).toEqual(["Engineering", "Engineering Leads"]);
    expect(run("Groups.startsWith('OKTA', 'Eng', 1)")).toEqual(["Engineering"]);
    expect(run("Groups.endsWith('OKTA', 'one', 10)")).toEqual(["Everyone"]);
    expect(run("Groups.contains('OKTA', 'ngin', 10)")).toEqual(["Engineering", "Engineering Leads"]);
    expect(run("Groups.contains('OKTA', 'eng', 10)")).toEqual([]); // case-sensitive
    expect(run("Groups.contains('active_directory', 'Eng', 10)")).toEqual([]);
    expect(run("Groups.contains('OKTA', 'Eng', 0)")).toBe(null);
  });

  it("getFilteredGroups: allowlisted groups the user is in, as names or ids, in allowlist order", () => {
    expect(run('getFilteredGroups({"00gAll", "00gNope", "00gEng"}, "group.name", 40)')).toEqual(["Everyone", "Engineering"]);
    expect(run('getFilteredGroups({"00gAll", "00gEng"}, "group.id", 1)')).toEqual(["00gAll"]);
    expect(run('getFilteredGroups({"00gNope"}, "group.name", 40)')).toEqual([]);
    expect(run('getFilteredGroups({"00gAll"}, "group.description", 40)')).toBe(null);
  });

  it("isMemberOfGroupName and its StartsWith / Contains / Regex forms", () => {
    expect(run("isMemberOfGroupName('Engineering')")).toBe(true);
    expect(run("isMemberOfGroupName('engineering')")).toBe(false);
    expect(run("isMemberOfGroupNameStartsWith('Every')")).toBe(true);
    expect(run("isMemberOfGroupNameContains('Lead')")).toBe(true);
    expect(run("isMemberOfGroupNameRegex('Eng.*s')")).toBe(true);
    expect(run("isMemberOfGroupNameRegex('Eng')")).toBe(false); // the whole name must match, as Java's matches()
    expect(run("isMemberOfGroupNameRegex('(')")).toBe(false);
    expect(run("isMemberOfGroup('00gEng') && !isMemberOfAnyGroup('00gX', '00gY')")).toBe(true);
  });

  it("says which expressions read groups, and fails loudly when they are not supplied", () => {
    expect(compile("isMemberOfGroupName('x')", USER_CLAIM).readsGroups).toBe(true);
    expect(compile("user.email", USER_CLAIM).readsGroups).toBe(false);
    expect(() => compile("Groups.startsWith('OKTA', 'a', 5)", USER_CLAIM).value({ attributes: {} })).toThrow(/not supplied/);
  });

  it("refuses what the user claim dialect does not have", () => {
    expect(() => compile("user.profile.email", USER_CLAIM)).toThrow(/only user.<attribute>/);
    expect(() => compile("session.id", USER_CLAIM)).toThrow("Unsupported identifier 'session.id' at position 0");
    expect(() => compile("Groups.startsWith('OKTA', 'a')", USER_CLAIM)).toThrow(/takes 3 arguments/);
    expect(() => compile("isMemberOfGroup(user.groupId)", USER_CLAIM)).toThrow(/quoted group ids/);
    expect(() => compile('{"a"}', CLIENT_CLAIM)).toThrow(/Unsupported token|Unsupported '\{'/);
    expect(() => compile("isMemberOfGroupName('x')", GROUP_RULE)).toThrow(/Unsupported function 'isMemberOfGroupName'/);
  });
});
