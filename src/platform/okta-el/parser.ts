import { ExpressionError, type Node } from "./ast";
import type { Dialect } from "./dialect";
import { tokenize, type Token } from "./lexer";

/**
 *   expr     := or
 *   or       := and ( ("OR" | "||") and )*
 *   and      := unary ( ("AND" | "&&") unary )*
 *   unary    := ("NOT" | "!") unary | equality
 *   equality := additive ( ("==" | "!=") additive )?
 *   additive := primary ( "+" primary )*
 *   primary  := "(" expr ")" | string | number | true | false | null
 *             | "{" expr ("," expr)* "}" | name | name "(" args ")"
 *
 * Keywords AND/OR/NOT and true/false/null are case-insensitive, as in SpEL.
 * The dialect decides which operators, names and functions are allowed; the
 * parser refuses the rest where it reads them, naming the part and position.
 */
class Parser {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly dialect: Dialect,
  ) {}

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

  /** An operator the dialect does not allow: refused where it stands. */
  private refuse(tok: Token): never {
    throw new ExpressionError(`Unsupported '${describe(tok)}' at position ${tok.at}`);
  }

  parse(): Node {
    if (this.tokens.length === 0) throw new ExpressionError("The expression is empty");
    const node = this.or();
    const tok = this.peek();
    if (tok) this.refuse(tok);
    return node;
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > this.dialect.maxDepth) {
      throw new ExpressionError(`The expression nests deeper than ${this.dialect.maxDepth} levels`);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private logical(): boolean {
    const tok = this.peek()!;
    if (!this.dialect.conditions) this.refuse(tok);
    this.pos++;
    return true;
  }

  private or(): Node {
    let left = this.and();
    while ((this.isOp("||") || this.isKeyword("OR")) && this.logical()) {
      left = { kind: "or", left: this.condition(left), right: this.condition(this.and()) };
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while ((this.isOp("&&") || this.isKeyword("AND")) && this.logical()) {
      left = { kind: "and", left: this.condition(left), right: this.condition(this.unary()) };
    }
    return left;
  }

  private unary(): Node {
    if ((this.isOp("!") || this.isKeyword("NOT")) && this.logical()) {
      return this.nest(() => ({ kind: "not", expr: this.condition(this.unary()) }));
    }
    const left = this.additive();
    if ((this.isOp("==") || this.isOp("!=")) && this.logical()) {
      const kind = (this.tokens[this.pos - 1] as { v: string }).v === "==" ? "eq" : "ne";
      return { kind, left, right: this.additive() };
    }
    return left;
  }

  private additive(): Node {
    const first = this.primary();
    if (!this.isOp("+")) return first;
    if (!this.dialect.concat) this.refuse(this.peek()!);
    const parts = [first];
    while (this.isOp("+")) {
      this.pos++;
      parts.push(this.primary());
    }
    return { kind: "concat", parts };
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
    if (tok.t === "op" && tok.v === "{" && this.dialect.lists) {
      this.pos++;
      const items = this.nest(() => this.args("}"));
      return { kind: "list", items };
    }
    if (tok.t === "str" || tok.t === "num") {
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
      const [root, ...path] = word.split(".");
      const refused = this.dialect.attribute(root!, path, tok.at);
      if (refused) throw new ExpressionError(refused);
      return { kind: "attr", root: root!, path };
    }
    this.refuse(tok);
  }

  private args(close: string): Node[] {
    const args: Node[] = [];
    if (!this.isOp(close)) {
      for (;;) {
        args.push(this.nest(() => this.or()));
        if (!this.isOp(",")) break;
        this.pos++;
      }
    }
    this.expectOp(close);
    return args;
  }

  private call(name: string, at: number): Node {
    const fn = Object.hasOwn(this.dialect.functions, name) ? this.dialect.functions[name] : undefined;
    if (!fn) throw new ExpressionError(`Unsupported function '${name}' at position ${at}`);
    this.expectOp("(");
    const args = this.args(")");
    const refused = fn.check(args);
    if (refused) throw new ExpressionError(`${name} ${refused}`);
    return { kind: "call", name, args };
  }

  /** Operands of AND/OR/NOT must be conditions, not values. */
  condition(node: Node): Node {
    if (this.dialect.result !== "condition") return node;
    if (node.kind === "literal" && typeof node.value !== "boolean") {
      throw new ExpressionError(`${JSON.stringify(node.value)} is not a condition`);
    }
    if (node.kind === "concat" || node.kind === "list") throw new ExpressionError("A value is not a condition");
    return node;
  }
}

function describe(tok: Token): string {
  return tok.t === "str" ? JSON.stringify(tok.v) : String(tok.v);
}

/** Parses `text` in `dialect`; throws ExpressionError naming what is refused. */
export function parse(text: string, dialect: Dialect): Node {
  if (text.length > dialect.maxLength) {
    throw new ExpressionError(`The expression is longer than ${dialect.maxLength} characters`);
  }
  const parser = new Parser(tokenize(text), dialect);
  const node = parser.parse();
  if (dialect.result === "condition") {
    if ((node.kind === "literal" && typeof node.value !== "boolean") || node.kind === "concat" || node.kind === "list") {
      throw new ExpressionError("The expression must be a condition");
    }
  }
  return node;
}
