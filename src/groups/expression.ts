/**
 * The subset of the Okta Expression Language that group rules are written in
 * (REFERENCE §2.6):
 *
 *   expr     := or
 *   or       := and ( ("OR" | "||") and )*
 *   and      := unary ( ("AND" | "&&") unary )*
 *   unary    := ("NOT" | "!") unary | equality
 *   equality := primary ( ("==" | "!=") primary )?
 *   primary  := "(" expr ")" | string | number | true | false | null
 *             | user.<attr>
 *             | String.stringContains(v, v) | String.startsWith(v, v) | String.endsWith(v, v)
 *             | isMemberOfAnyGroup("00g…", …) | isMemberOfGroup("00g…")
 *
 * Keywords AND/OR/NOT are case-insensitive (as in SpEL, which Okta EL is built
 * on). Strings take "…" or '…' with backslash escapes. Anything else is refused
 * when the rule is saved, naming the unsupported part.
 *
 * Evaluation: `user.<attr>` reads the user's profile; a missing attribute is
 * null. `==` is strict and case-sensitive (numbers compare numerically, "30"
 * is not 30). The String functions are case-sensitive and false when either
 * side is not a string.
 */

export type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; expr: Node }
  | { kind: "eq" | "ne"; left: Node; right: Node }
  | { kind: "literal"; value: string | number | boolean | null }
  | { kind: "attr"; name: string }
  | { kind: "string"; fn: "stringContains" | "startsWith" | "endsWith"; args: [Node, Node] }
  | { kind: "member"; fn: "isMemberOfAnyGroup" | "isMemberOfGroup"; groupIds: string[] };

/** Thrown for any expression outside the subset; `message` names the part. */
export class ExpressionError extends Error {}

export const MAX_RULE_EXPRESSION_LENGTH = 4096;
const MAX_DEPTH = 64;

type Token =
  | { t: "op"; v: string; at: number }
  | { t: "str"; v: string; at: number }
  | { t: "num"; v: number; at: number }
  | { t: "id"; v: string; at: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "==" || two === "!=" || two === "&&" || two === "||") {
      out.push({ t: "op", v: two, at: i });
      i += 2;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === "," || ch === "!") {
      out.push({ t: "op", v: ch, at: i });
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new ExpressionError(`Unterminated string starting at position ${start}`);
        const c = text[i]!;
        if (c === "\\") {
          const next = text[i + 1];
          if (next === undefined) throw new ExpressionError(`Unterminated string starting at position ${start}`);
          value += next === "n" ? "\n" : next === "t" ? "\t" : next;
          i += 2;
          continue;
        }
        if (c === ch) {
          i++;
          break;
        }
        value += c;
        i++;
      }
      out.push({ t: "str", v: value, at: start });
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num && (ch !== "-" || /\d/.test(text[i + 1] ?? ""))) {
      out.push({ t: "num", v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*/.exec(text.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const rest = /^\S+/.exec(text.slice(i))![0];
    throw new ExpressionError(`Unsupported token '${rest.slice(0, 20)}' at position ${i}`);
  }
  return out;
}

const STRING_FUNCTIONS = new Set(["stringContains", "startsWith", "endsWith"]);

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(v: string): boolean {
    const tok = this.peek();
    return tok?.t === "op" && tok.v === v;
  }

  private isKeyword(word: string): boolean {
    const tok = this.peek();
    return tok?.t === "id" && tok.v.toUpperCase() === word;
  }

  private expectOp(v: string): void {
    if (!this.isOp(v)) throw new ExpressionError(`Expected '${v}' ${this.where()}`);
    this.pos++;
  }

  private where(): string {
    const tok = this.peek();
    return tok ? `at position ${tok.at}` : "at the end of the expression";
  }

  parse(): Node {
    if (this.tokens.length === 0) throw new ExpressionError("The expression is empty");
    const node = this.or();
    const tok = this.peek();
    if (tok) throw new ExpressionError(`Unsupported '${describe(tok)}' at position ${tok.at}`);
    return node;
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError(`The expression nests deeper than ${MAX_DEPTH} levels`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private or(): Node {
    let left = this.and();
    while (this.isOp("||") || this.isKeyword("OR")) {
      this.pos++;
      left = { kind: "or", left: boolean(left), right: boolean(this.and()) };
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (this.isOp("&&") || this.isKeyword("AND")) {
      this.pos++;
      left = { kind: "and", left: boolean(left), right: boolean(this.unary()) };
    }
    return left;
  }

  private unary(): Node {
    if (this.isOp("!") || this.isKeyword("NOT")) {
      this.pos++;
      return this.nest(() => ({ kind: "not", expr: boolean(this.unary()) }));
    }
    const left = this.primary();
    if (this.isOp("==") || this.isOp("!=")) {
      const kind = (this.peek() as { v: string }).v === "==" ? "eq" : "ne";
      this.pos++;
      return { kind, left, right: this.primary() };
    }
    return left;
  }

  private primary(): Node {
    const tok = this.peek();
    if (!tok) throw new ExpressionError("The expression ends too early");
    if (tok.t === "op" && tok.v === "(") {
      this.pos++;
      const inner = this.nest(() => this.or());
      this.expectOp(")");
      return inner;
    }
    if (tok.t === "str") {
      this.pos++;
      return { kind: "literal", value: tok.v };
    }
    if (tok.t === "num") {
      this.pos++;
      return { kind: "literal", value: tok.v };
    }
    if (tok.t === "id") {
      this.pos++;
      const word = tok.v;
      const lower = word.toLowerCase();
      if (lower === "true" || lower === "false") return { kind: "literal", value: lower === "true" };
      if (lower === "null") return { kind: "literal", value: null };
      if (this.isOp("(")) return this.call(word, tok.at);
      if (word.startsWith("user.")) {
        const name = word.slice(5);
        if (name.includes(".")) throw new ExpressionError(`Unsupported property '${word}': only user.<attribute> of the profile is supported`);
        return { kind: "attr", name };
      }
      throw new ExpressionError(`Unsupported identifier '${word}' at position ${tok.at}`);
    }
    throw new ExpressionError(`Unsupported '${describe(tok)}' at position ${tok.at}`);
  }

  private call(name: string, at: number): Node {
    this.expectOp("(");
    const args: Node[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        args.push(this.nest(() => this.or()));
        if (this.isOp(",")) {
          this.pos++;
          continue;
        }
        break;
      }
    }
    this.expectOp(")");
    if (name.startsWith("String.") && STRING_FUNCTIONS.has(name.slice(7))) {
      if (args.length !== 2) throw new ExpressionError(`${name} takes 2 arguments, got ${args.length}`);
      return { kind: "string", fn: name.slice(7) as "stringContains", args: [value(args[0]!), value(args[1]!)] };
    }
    if (name === "isMemberOfAnyGroup" || name === "isMemberOfGroup") {
      if (args.length === 0 || (name === "isMemberOfGroup" && args.length !== 1)) {
        throw new ExpressionError(`${name} takes ${name === "isMemberOfGroup" ? "one group id" : "one or more group ids"}`);
      }
      const groupIds = args.map((a) => {
        if (a.kind !== "literal" || typeof a.value !== "string") throw new ExpressionError(`${name} takes quoted group ids`);
        return a.value;
      });
      return { kind: "member", fn: name, groupIds };
    }
    throw new ExpressionError(`Unsupported function '${name}' at position ${at}`);
  }
}

function describe(tok: Token): string {
  return tok.t === "str" ? JSON.stringify(tok.v) : String(tok.v);
}

/** Operands of AND/OR/NOT must be conditions, not bare values. */
function boolean(node: Node): Node {
  if (node.kind === "literal" && typeof node.value !== "boolean") {
    throw new ExpressionError(`${JSON.stringify(node.value)} is not a condition`);
  }
  return node;
}

/** Arguments of String functions must be values, not conditions. */
function value(node: Node): Node {
  if (node.kind === "literal" || node.kind === "attr") return node;
  throw new ExpressionError("String functions take user attributes or literals as arguments");
}

/** Parses a rule expression; throws ExpressionError naming what is not supported. */
export function parseRuleExpression(text: string): Node {
  if (text.length > MAX_RULE_EXPRESSION_LENGTH) {
    throw new ExpressionError(`The expression is longer than ${MAX_RULE_EXPRESSION_LENGTH} characters`);
  }
  const node = new Parser(tokenize(text)).parse();
  if (node.kind === "literal" && typeof node.value !== "boolean") {
    throw new ExpressionError("The expression must be a condition");
  }
  return node;
}

/** Whether the expression reads group memberships (then the evaluator needs them). */
export function usesMembership(node: Node): boolean {
  switch (node.kind) {
    case "and":
    case "or":
    case "eq":
    case "ne":
      return usesMembership(node.left) || usesMembership(node.right);
    case "not":
      return usesMembership(node.expr);
    case "member":
      return true;
    default:
      return false;
  }
}

export interface Subject {
  profile: Record<string, unknown>;
  /** Ids of the groups the user is in (needed only when usesMembership). */
  groupIds?: ReadonlySet<string>;
}

function valueOf(node: Node, subject: Subject): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "attr": {
      const v = Object.hasOwn(subject.profile, node.name) ? subject.profile[node.name] : null;
      return v === undefined ? null : v;
    }
    default:
      return evaluate(node, subject);
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

export function evaluate(node: Node, subject: Subject): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, subject) && evaluate(node.right, subject);
    case "or":
      return evaluate(node.left, subject) || evaluate(node.right, subject);
    case "not":
      return !evaluate(node.expr, subject);
    case "eq":
      return equal(valueOf(node.left, subject), valueOf(node.right, subject));
    case "ne":
      return !equal(valueOf(node.left, subject), valueOf(node.right, subject));
    case "literal":
      return node.value === true;
    case "attr":
      return valueOf(node, subject) === true;
    case "string": {
      const s = valueOf(node.args[0], subject);
      const part = valueOf(node.args[1], subject);
      if (typeof s !== "string" || typeof part !== "string") return false;
      if (node.fn === "stringContains") return s.includes(part);
      if (node.fn === "startsWith") return s.startsWith(part);
      return s.endsWith(part);
    }
    case "member": {
      const groups = subject.groupIds;
      if (!groups) throw new Error("membership not loaded for an expression that reads it");
      return node.groupIds.some((id) => groups.has(id));
    }
  }
}
