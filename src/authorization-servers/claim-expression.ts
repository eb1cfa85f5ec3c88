/**
 * The subset of Okta Expression Language that edgeorg evaluates in EXPRESSION
 * claims of client_credentials tokens (there is no user):
 *
 *   expr  := term ( "+" term )*                       string concatenation
 *   term  := 'text' | "text" | number | true | false | null
 *          | app.clientId | app.profile.<name>
 *          | String.<fn>( expr, … ) | ( expr )
 *
 * String functions: append, join, len, removeSpaces, replace, replaceFirst,
 * stringContains, substring, substringAfter, substringBefore, toLowerCase,
 * toUpperCase. Anything else (user.*, Groups.*, Arrays.*, ternaries…) is
 * refused when the claim is saved, so a saved claim always evaluates.
 * Null in → null out, as in Okta; a claim whose value is null is omitted.
 */

export type Value = string | number | boolean | null;

export interface ExpressionContext {
  app: { clientId: string; profile: Record<string, unknown> };
}

type Node =
  | { kind: "literal"; value: Value }
  | { kind: "clientId" }
  | { kind: "profile"; name: string }
  | { kind: "call"; fn: string; args: Node[] }
  | { kind: "concat"; parts: Node[] };

export class ExpressionError extends Error {}

const MAX_LENGTH = 1024;
const MAX_DEPTH = 16;

type Token = { type: "str"; value: string } | { type: "num"; value: number } | { type: "ident"; value: string } | { type: "punct"; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'" || ch === '"') {
      let out = "";
      i++;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        out += text[i];
        i++;
      }
      if (i >= text.length) throw new ExpressionError("unterminated string literal");
      i++;
      tokens.push({ type: "str", value: out });
    } else if (/[0-9]/.test(ch) || (ch === "-" && /[0-9]/.test(text[i + 1] ?? ""))) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(i))!;
      tokens.push({ type: "num", value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_$]/.test(ch)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      tokens.push({ type: "ident", value: match[0] });
      i += match[0].length;
    } else if ("().,+".includes(ch)) {
      tokens.push({ type: "punct", value: ch });
      i++;
    } else {
      throw new ExpressionError(`unexpected character '${ch}'`);
    }
  }
  return tokens;
}

/** Arity of each String function: [min, max] (max Infinity for join). */
const FUNCTIONS: Record<string, [number, number]> = {
  append: [2, 2],
  join: [1, Infinity],
  len: [1, 1],
  removeSpaces: [1, 1],
  replace: [3, 3],
  replaceFirst: [3, 3],
  stringContains: [2, 2],
  substring: [3, 3],
  substringAfter: [2, 2],
  substringBefore: [2, 2],
  toLowerCase: [1, 1],
  toUpperCase: [1, 1],
};

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.expr(0);
    if (this.at < this.tokens.length) throw new ExpressionError(`unexpected '${String(this.tokens[this.at]!.value)}'`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private punct(value: string): boolean {
    const t = this.peek();
    if (t?.type === "punct" && t.value === value) {
      this.at++;
      return true;
    }
    return false;
  }

  private expect(value: string): void {
    if (!this.punct(value)) throw new ExpressionError(`expected '${value}'`);
  }

  private ident(): string {
    const t = this.peek();
    if (t?.type !== "ident") throw new ExpressionError("expected a name");
    this.at++;
    return t.value;
  }

  private expr(depth: number): Node {
    if (depth > MAX_DEPTH) throw new ExpressionError("expression nested too deeply");
    const parts = [this.term(depth)];
    while (this.punct("+")) parts.push(this.term(depth));
    return parts.length === 1 ? parts[0]! : { kind: "concat", parts };
  }

  private term(depth: number): Node {
    const t = this.peek();
    if (!t) throw new ExpressionError("unexpected end of expression");
    if (t.type === "str" || t.type === "num") {
      this.at++;
      return { kind: "literal", value: t.value };
    }
    if (t.type === "punct") {
      if (this.punct("(")) {
        const inner = this.expr(depth + 1);
        this.expect(")");
        return inner;
      }
      throw new ExpressionError(`unexpected '${t.value}'`);
    }
    this.at++;
    switch (t.value) {
      case "true":
        return { kind: "literal", value: true };
      case "false":
        return { kind: "literal", value: false };
      case "null":
        return { kind: "literal", value: null };
      case "app": {
        this.expect(".");
        const name = this.ident();
        if (name === "clientId") return { kind: "clientId" };
        if (name === "profile") {
          this.expect(".");
          return { kind: "profile", name: this.ident() };
        }
        throw new ExpressionError(`'app.${name}' is not supported (only app.clientId and app.profile.*)`);
      }
      case "String": {
        this.expect(".");
        const fn = this.ident();
        const arity = FUNCTIONS[fn];
        if (!arity) throw new ExpressionError(`'String.${fn}' is not supported`);
        this.expect("(");
        const args: Node[] = [];
        if (!this.punct(")")) {
          do args.push(this.expr(depth + 1));
          while (this.punct(","));
          this.expect(")");
        }
        if (args.length < arity[0] || args.length > arity[1]) throw new ExpressionError(`wrong number of arguments to 'String.${fn}'`);
        return { kind: "call", fn, args };
      }
      default:
        throw new ExpressionError(`'${t.value}' is not supported`);
    }
  }
}

export interface ClaimExpression {
  evaluate(context: ExpressionContext): Value;
}

/** Parses once (when the claim is saved and again when a token is minted); throws ExpressionError. */
export function compileClaimExpression(text: string): ClaimExpression {
  if (text.length > MAX_LENGTH) throw new ExpressionError("expression too long");
  const node = new Parser(tokenize(text)).parse();
  return { evaluate: (context) => evaluate(node, context) };
}

function str(value: Value): string | null {
  return value === null ? null : String(value);
}

function evaluate(node: Node, context: ExpressionContext): Value {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "clientId":
      return context.app.clientId;
    case "profile": {
      const value = context.app.profile[node.name];
      return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;
    }
    case "concat": {
      // Java string concatenation: null becomes "null" only when mixed with a string; keep Okta's null-out instead.
      const values = node.parts.map((p) => evaluate(p, context));
      if (values.some((v) => v === null)) return null;
      if (values.every((v) => typeof v === "number")) return (values as number[]).reduce((a, b) => a + b, 0);
      return values.map(String).join("");
    }
    case "call":
      return call(node.fn, node.args.map((a) => evaluate(a, context)));
  }
}

function call(fn: string, args: Value[]): Value {
  if (fn === "join") {
    const [sep, ...rest] = args;
    if (sep === null || rest.some((v) => v === null)) return null;
    return rest.map(String).join(String(sep));
  }
  if (args.some((v) => v === null)) return null;
  const [a, b, c] = args.map(str) as [string, string, string];
  switch (fn) {
    case "append":
      return a + b;
    case "len":
      return a.length;
    case "removeSpaces":
      return a.replace(/\s+/g, "");
    case "replace":
      return a.split(b).join(c);
    case "replaceFirst": {
      const at = a.indexOf(b);
      return at < 0 ? a : a.slice(0, at) + c + a.slice(at + b.length);
    }
    case "stringContains":
      return a.includes(b);
    case "substring": {
      const start = Number(args[1]);
      const end = Number(args[2]);
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > a.length || start > end) return null;
      return a.slice(start, end);
    }
    case "substringAfter": {
      const at = a.indexOf(b);
      return at < 0 ? "" : a.slice(at + b.length);
    }
    case "substringBefore": {
      const at = a.indexOf(b);
      return at < 0 ? a : a.slice(0, at);
    }
    case "toLowerCase":
      return a.toLowerCase();
    case "toUpperCase":
      return a.toUpperCase();
  }
  return null;
}
