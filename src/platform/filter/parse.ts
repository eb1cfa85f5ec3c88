/**
 * Okta's `filter` / `search` expression language (REFERENCE §7.4): text → typed AST.
 *
 *   expr       := andExpr ( "or" andExpr )*        ; `and` binds tighter than `or`
 *   andExpr    := unary ( "and" unary )*
 *   unary      := "(" expr ")" | "not" unary | comparison
 *   comparison := attrPath op value | attrPath "pr"
 *   attrPath   := name ( "." name )*,  name := [A-Za-z_][A-Za-z0-9_]*   (case-sensitive)
 *   op         := eq ne gt ge lt le sw co ew        (case-insensitive, like and/or/not/pr)
 *   value      := JSON string | JSON number | true | false | null   (literals case-insensitive)
 *
 * Whitespace is spaces and tabs; it is required between words and optional next to
 * parentheses and quotes. Positions in error causes are 0-based character offsets.
 *
 * Limits, because the text is hostile and the result becomes ONE D1 query (at most
 * 100 bound parameters) — every breach is 400 E0000031 with a cause saying which:
 *   - MAX_EXPRESSION_LENGTH = 10,000 characters (checked before tokenizing);
 *   - MAX_NESTING_DEPTH = 64 levels of parentheses / `not`, checked BEFORE recursing,
 *     so 1,000 nested parentheses is a 400, never a stack overflow;
 *   - MAX_COMPARISONS = 50 comparisons (the compiler additionally refuses a fragment
 *     needing more bound parameters than its budget).
 * A 10,000-character expression of ordinary comparisons has ~300 of them, so it is
 * refused by the comparison cap with a message naming the limit.
 */
import { Errors } from "../errors";

export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_NESTING_DEPTH = 64;
export const MAX_COMPARISONS = 50;

export const COMPARE_OPS = ["eq", "ne", "gt", "ge", "lt", "le", "sw", "co", "ew"] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];
/** Every operator an attribute can allow: the comparisons plus presence. */
export type Op = CompareOp | "pr";

export type Value = string | number | boolean | null;

export type Expr =
  | { kind: "and" | "or"; left: Expr; right: Expr }
  | { kind: "not"; expr: Expr }
  | { kind: "compare"; attr: string; op: CompareOp; value: Value }
  | { kind: "present"; attr: string };

export interface ParseOptions {
  /** Query parameter the text came from; prefixes every error cause ("search: …"). Default "search". */
  param?: string;
}

const ATTR_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** True when `name` is a syntactically valid attribute path (safe to embed in a JSON path). */
export function isAttributePath(name: string): boolean {
  return ATTR_PATH.test(name);
}

type Token =
  | { type: "("; pos: number }
  | { type: ")"; pos: number }
  | { type: "word"; text: string; pos: number }
  | { type: "string"; value: string; text: string; pos: number }
  | { type: "number"; value: number; text: string; pos: number }
  | { type: "end"; pos: number };

/** Thrown errors always carry the parameter name and a position. */
function fail(param: string, message: string): never {
  throw Errors.invalidSearch(`${param}: ${message}`);
}

/** Token text as shown in messages: bounded, so a 10k-char token does not become a 10k-char cause. */
function show(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describe(token: Token): string {
  switch (token.type) {
    case "end":
      return "end of expression";
    case "(":
    case ")":
      return `'${token.type}'`;
    default:
      return `'${show(token.text)}'`;
  }
}

const WORD_CHAR = /[A-Za-z0-9_.$]/;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

function tokenize(text: string, param: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === " " || ch === "\t") {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      tokens.push({ type: ch, pos: i });
      i++;
      continue;
    }
    if (ch === '"') {
      const start = i;
      const { value, end } = readString(text, i, param);
      i = end;
      tokens.push({ type: "string", value, text: text.slice(start, end), pos: start });
      continue;
    }
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const next = m ? text[i + m[0].length] : undefined;
      if (!m || (next !== undefined && WORD_CHAR.test(next))) {
        let end = i + 1;
        while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
        fail(param, `Invalid number '${show(text.slice(i, end))}' at position ${i}`);
      }
      const value = Number(m[0]);
      if (!Number.isFinite(value)) fail(param, `Number '${show(m[0])}' at position ${i} is out of range`);
      tokens.push({ type: "number", value, text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (WORD_CHAR.test(ch)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
      tokens.push({ type: "word", text: text.slice(start, i), pos: start });
      continue;
    }
    const code = text.codePointAt(i)!;
    const shown = code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff) ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `'${String.fromCodePoint(code)}'`;
    fail(param, `Unexpected character ${shown} at position ${i}`);
  }
  tokens.push({ type: "end", pos: text.length });
  return tokens;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** A JSON string starting at `start` (the opening quote); returns its value and the index after the closing quote. */
function readString(text: string, start: number, param: string): { value: string; end: number } {
  let out = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (ch === '"') {
      if (out.includes("\u0000")) fail(param, `String at position ${start} contains U+0000, which is not allowed`);
      return { value: out, end: i + 1 };
    }
    if (ch === "\\") {
      const esc = text[i + 1];
      if (esc === undefined) break;
      if (esc === "u") {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail(param, `Invalid escape '\\u${show(hex)}' at position ${i}: expected 4 hex digits`);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const simple = SIMPLE_ESCAPES[esc];
      if (simple === undefined) fail(param, `Invalid escape '\\${esc}' at position ${i}`);
      out += simple;
      i += 2;
      continue;
    }
    if (code < 0x20) {
      fail(param, `Control character U+${code.toString(16).toUpperCase().padStart(4, "0")} at position ${i} must be escaped inside a string`);
    }
    out += ch;
    i++;
  }
  return fail(param, `Unterminated string starting at position ${start}`);
}

/** A string bound to D1 must be valid Unicode: an unpaired surrogate would be silently replaced. */
function checkWellFormed(value: string, pos: number, param: string): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      fail(param, `String at position ${pos} contains an unpaired surrogate`);
    }
    if (c >= 0xdc00 && c <= 0xdfff) fail(param, `String at position ${pos} contains an unpaired surrogate`);
  }
}

const OPS = new Set<string>(COMPARE_OPS);

class Parser {
  private index = 0;
  private comparisons = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly param: string,
  ) {}

  private get peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.type !== "end") this.index++;
    return token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.type === "word" && token.text.toLowerCase() === keyword;
  }

  private unexpected(token: Token, expected?: string): never {
    const found = token.type === "end" ? "Unexpected end of expression" : `Unexpected token ${describe(token)} at position ${token.pos}`;
    return fail(this.param, expected ? `${found}; expected ${expected}` : found);
  }

  parse(): Expr {
    if (this.tokens.length === 1) fail(this.param, "Expression is empty");
    const expr = this.orExpr(0);
    const rest = this.tokens[this.index]!;
    if (rest.type !== "end") {
      this.unexpected(rest, rest.type === ")" ? "no closing parenthesis here (none is open)" : "'and', 'or' or end of expression");
    }
    return expr;
  }

  private orExpr(depth: number): Expr {
    let left = this.andExpr(depth);
    while (this.isKeyword(this.peek, "or")) {
      this.next();
      left = { kind: "or", left, right: this.andExpr(depth) };
    }
    return left;
  }

  private andExpr(depth: number): Expr {
    let left = this.unary(depth);
    while (this.isKeyword(this.peek, "and")) {
      this.next();
      left = { kind: "and", left, right: this.unary(depth) };
    }
    return left;
  }

  private enter(depth: number, token: Token): number {
    if (depth + 1 > MAX_NESTING_DEPTH) {
      fail(this.param, `Expression nests deeper than ${MAX_NESTING_DEPTH} levels at position ${token.pos}`);
    }
    return depth + 1;
  }

  private unary(depth: number): Expr {
    const token = this.peek;
    if (token.type === "(") {
      this.next();
      const inner = this.orExpr(this.enter(depth, token));
      const close = this.next();
      if (close.type !== ")") this.unexpected(close, `')' to close the parenthesis at position ${token.pos}`);
      return inner;
    }
    // `not` is a keyword unless it is an attribute being compared (`not eq "x"`).
    if (this.isKeyword(token, "not")) {
      const after = this.tokens[this.index + 1]!;
      const isAttribute = after.type === "word" && (OPS.has(after.text.toLowerCase()) || after.text.toLowerCase() === "pr");
      if (!isAttribute) {
        this.next();
        return { kind: "not", expr: this.unary(this.enter(depth, token)) };
      }
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const attrToken = this.next();
    if (attrToken.type !== "word") this.unexpected(attrToken, "an attribute name");
    // `a eq "x" or or …`: a keyword that is not followed by an operator is misplaced, not an attribute.
    const keyword = attrToken.text.toLowerCase();
    if (keyword === "and" || keyword === "or") {
      const after = this.peek;
      if (!(after.type === "word" && (OPS.has(after.text.toLowerCase()) || after.text.toLowerCase() === "pr"))) {
        this.unexpected(attrToken, "an attribute name");
      }
    }
    if (!isAttributePath(attrToken.text)) {
      fail(this.param, `Invalid attribute name '${show(attrToken.text)}' at position ${attrToken.pos}`);
    }
    if (++this.comparisons > MAX_COMPARISONS) {
      fail(this.param, `Expression has more than ${MAX_COMPARISONS} comparisons (at position ${attrToken.pos})`);
    }
    const attr = attrToken.text;
    const opToken = this.next();
    if (opToken.type !== "word") this.unexpected(opToken, `an operator after '${show(attr)}'`);
    const op = opToken.text.toLowerCase();
    if (op === "pr") return { kind: "present", attr };
    if (!OPS.has(op)) fail(this.param, `Unknown operator '${show(opToken.text)}' at position ${opToken.pos}`);
    const valueToken = this.next();
    return { kind: "compare", attr, op: op as CompareOp, value: this.value(valueToken, op) };
  }

  private value(token: Token, op: string): Value {
    switch (token.type) {
      case "string":
        checkWellFormed(token.value, token.pos, this.param);
        return token.value;
      case "number":
        return token.value;
      case "word": {
        const literal = token.text.toLowerCase();
        if (literal === "true") return true;
        if (literal === "false") return false;
        if (literal === "null") return null;
        return fail(
          this.param,
          `Invalid value '${show(token.text)}' at position ${token.pos}; strings must be in double quotes`,
        );
      }
      default:
        return this.unexpected(token, `a value after '${op}'`);
    }
  }
}

/** Parses a filter/search expression, throwing 400 E0000031 with a precise cause on any problem. */
export function parseExpression(text: string, options: ParseOptions = {}): Expr {
  const param = options.param ?? "search";
  if (text.length > MAX_EXPRESSION_LENGTH) {
    fail(param, `Expression is ${text.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are allowed`);
  }
  return new Parser(tokenize(text, param), param).parse();
}
