/**
 * AST → one drizzle `SQL` condition. Every value is a bound parameter; the only text
 * spliced into SQL is fixed keywords of this file.
 *
 * Index use (SQLite can only use an index when the compared expression is exactly the
 * indexed one):
 *   - case-sensitive attributes compare the column itself: an index on the column serves
 *     eq / gt / ge / lt / le and `sw`, which is compiled as the half-open range
 *     `col >= prefix AND col < successor(prefix)` (successor = last code point + 1; UTF-8
 *     byte order is code point order, so the range holds exactly the strings with that prefix).
 *   - case-insensitive attributes compare `lower(col)`: an expression index on `lower(col)`
 *     serves them the same way (`sw` is the same range over `lower(col)`). A column marked
 *     `folded` already holds lower-cased text and is compared bare.
 *   - `co` / `ew` are `instr(col, ?) > 0` / `substr(col, -n) = ?`: no index can serve a
 *     contains anyway, and these need no LIKE escaping (`%`, `_`, `\` are plain characters).
 * SQLite's lower() folds ASCII only, so for a non-folded column the value is ASCII-lower-cased
 * too (both sides agree; "É" and "é" stay distinct). A `folded` column must hold
 * `text.toLowerCase()`; its values are folded the same way (full Unicode).
 */
import { sql, SQL, type SQLWrapper } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { Errors } from "../errors";
import { isAttributePath, parseExpression, type CompareOp, type Expr, type Op, type Value } from "./parse";

export type AttributeType = "string" | "date" | "number" | "boolean";

export interface AttributeSpec {
  /** The expression compared: a drizzle column or an SQL expression. */
  column: SQLWrapper;
  type: AttributeType;
  /** Operators allowed on this attribute ("pr" included when presence tests are allowed). */
  ops: readonly Op[];
  /** Overrides `CompileOptions.caseInsensitive` for this attribute (string type only). */
  caseInsensitive?: boolean;
  /** The column already holds `text.toLowerCase()`; compared without lower(). */
  folded?: boolean;
  /**
   * Maps a string value to the stored form before comparing, e.g. `status` values to upper
   * case with `caseInsensitive: false`, so `status eq "active"` matches and the column's
   * plain index still serves it.
   */
  normalize?: (value: string) => string;
  /**
   * A table-valued source such as `json_each(doc, path)`: the comparison matches when ANY
   * of its `value`s matches (SCIM semantics for arrays; a scalar yields one row). Set by
   * `jsonAttribute(…, { multiValued: true })`.
   */
  each?: SQL;
}

export interface CompileOptions {
  /** Okta's `search` compares string values case-insensitively; `filter` does not. */
  caseInsensitive: boolean;
  /** `not` is documented by Okta in general but unsupported for users/groups: default false. */
  allowNot?: boolean;
  /** For attributes not in the map (e.g. any `profile.x`); gets a syntactically valid name. */
  unknownAttribute?: (attr: string, value: Value) => AttributeSpec | undefined;
  /** Query parameter named in error causes. Default "search". */
  param?: string;
  /** Most bound parameters the fragment may use (D1 allows 100 per query, the rest is yours). Default 80. */
  maxParams?: number;
}

export const DEFAULT_MAX_PARAMS = 80;

const DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO-8601 timestamp normalised to the stored form (`YYYY-MM-DDTHH:mm:ss.SSSZ`, UTC),
 * so that string order is chronological; undefined when not a real timestamp.
 */
export function normalizeTimestamp(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi! > 59 || s! > 59) return undefined;
  // Day of month must exist (Date silently rolls Feb 30 over into March).
  if (d! > new Date(Date.UTC(y!, mo!, 0)).getUTCDate()) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return iso.length === 24 ? iso : undefined; // years beyond 9999 / before 0 are not stored forms
}

/** `doc` at `$.path` as an attribute; the JSON path is a bound parameter built from a validated name. */
export function jsonAttribute(
  doc: SQLWrapper,
  path: string,
  spec: Omit<AttributeSpec, "column" | "each"> & { multiValued?: boolean },
): AttributeSpec {
  if (!isAttributePath(path)) throw new Error(`jsonAttribute: invalid path ${path}`);
  const jsonPath = `$.${path}`;
  const { multiValued, ...rest } = spec;
  return {
    ...rest,
    column: sql`json_extract(${doc}, ${jsonPath})`,
    each: multiValued ? sql`json_each(${doc}, ${jsonPath})` : undefined,
  };
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** The smallest string greater than every string starting with `prefix`, or undefined if none exists. */
function prefixSuccessor(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last === 0xd800) last = 0xe000; // surrogates are not characters of UTF-8 text
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return undefined;
}

class Compiler {
  constructor(
    private readonly attributes: Record<string, AttributeSpec>,
    private readonly options: CompileOptions,
    private readonly param: string,
  ) {}

  private fail(message: string): never {
    throw Errors.invalidSearch(`${this.param}: ${message}`);
  }

  compile(expr: Expr): SQL {
    switch (expr.kind) {
      case "and":
        return sql`(${this.compile(expr.left)} AND ${this.compile(expr.right)})`;
      case "or":
        return sql`(${this.compile(expr.left)} OR ${this.compile(expr.right)})`;
      case "not":
        if (!this.options.allowNot) this.fail("The 'not' operator is not supported");
        // IS NOT TRUE: a comparison that is NULL (attribute absent) counts as false, so its negation matches.
        return sql`((${this.compile(expr.expr)}) IS NOT TRUE)`;
      case "present": {
        const spec = this.spec(expr.attr, "pr", null);
        return this.over(spec, (col) =>
          spec.type === "string" || spec.type === "date" ? sql`(${col} IS NOT NULL AND ${col} <> '')` : sql`${col} IS NOT NULL`,
        );
      }
      case "compare": {
        const spec = this.spec(expr.attr, expr.op, expr.value);
        return this.over(spec, (col) => this.comparison(spec, col, expr.attr, expr.op, expr.value));
      }
    }
  }

  private spec(attr: string, op: Op, value: Value): AttributeSpec {
    const spec = Object.hasOwn(this.attributes, attr) ? this.attributes[attr] : this.options.unknownAttribute?.(attr, value);
    if (!spec) this.fail(`Unsupported attribute '${attr}'`);
    if (!spec.ops.includes(op)) this.fail(`Operator '${op}' is not supported for attribute '${attr}'`);
    return spec;
  }

  /** Applies `build` to the attribute's expression, or to each element of its `each` source. */
  private over(spec: AttributeSpec, build: (col: SQLWrapper) => SQL): SQL {
    if (!spec.each) return build(spec.column);
    return sql`EXISTS (SELECT 1 FROM ${spec.each} AS filter_element WHERE ${build(sql`filter_element.value`)})`;
  }

  private comparison(spec: AttributeSpec, column: SQLWrapper, attr: string, op: CompareOp, value: Value): SQL {
    if (value === null) {
      if (op === "eq") return sql`${column} IS NULL`;
      if (op === "ne") return sql`${column} IS NOT NULL`;
      this.fail(`Operator '${op}' cannot compare attribute '${attr}' with null`);
    }
    switch (spec.type) {
      case "number":
        if (typeof value !== "number") this.fail(`Attribute '${attr}' is a number; the value must be a number`);
        if (op === "sw" || op === "co" || op === "ew") this.fail(`Operator '${op}' is not supported for number attribute '${attr}'`);
        return this.ordered(column, op, value);
      case "boolean":
        if (typeof value !== "boolean") this.fail(`Attribute '${attr}' is a boolean; the value must be true or false`);
        if (op !== "eq" && op !== "ne") this.fail(`Operator '${op}' is not supported for boolean attribute '${attr}'`);
        return this.ordered(column, op, value ? 1 : 0);
      case "date": {
        if (typeof value !== "string") this.fail(`Attribute '${attr}' is a date; the value must be a quoted timestamp`);
        if (op === "sw" || op === "co" || op === "ew") return this.text(column, op, value);
        const iso = normalizeTimestamp(value);
        if (iso === undefined) {
          this.fail(`Invalid date '${value.slice(0, 40)}' for attribute '${attr}'; dates must look like 2013-07-02T21:36:25.344Z`);
        }
        return this.ordered(column, op, iso);
      }
      case "string": {
        if (typeof value !== "string") this.fail(`Attribute '${attr}' is a string; the value must be a quoted string`);
        if (spec.normalize) value = spec.normalize(value);
        const insensitive = spec.caseInsensitive ?? this.options.caseInsensitive;
        if (!insensitive) return this.text(column, op, value);
        if (spec.folded) return this.text(column, op, value.toLowerCase());
        return this.text(sql`lower(${column})`, op, asciiLower(value));
      }
    }
  }

  private ordered(column: SQLWrapper, op: CompareOp, value: string | number): SQL {
    switch (op) {
      case "eq":
        return sql`${column} = ${value}`;
      case "ne":
        // Null-safe: an absent attribute is "not equal" to any value.
        return sql`${column} IS NOT ${value}`;
      case "gt":
        return sql`${column} > ${value}`;
      case "ge":
        return sql`${column} >= ${value}`;
      case "lt":
        return sql`${column} < ${value}`;
      case "le":
        return sql`${column} <= ${value}`;
      default:
        return this.fail(`Operator '${op}' is not supported here`);
    }
  }

  private text(column: SQLWrapper, op: CompareOp, value: string): SQL {
    switch (op) {
      case "sw": {
        const upper = prefixSuccessor(value);
        return upper === undefined ? sql`${column} >= ${value}` : sql`(${column} >= ${value} AND ${column} < ${upper})`;
      }
      case "co":
        return sql`instr(${column}, ${value}) > 0`;
      case "ew": {
        if (value === "") return sql`${column} IS NOT NULL`;
        // substr counts characters (code points), as Array.from does.
        return sql`substr(${column}, ${-Array.from(value).length}) = ${value}`;
      }
      default:
        return this.ordered(column, op, value);
    }
  }
}

const dialect = new SQLiteSyncDialect();

/** Compiles a parsed expression; throws 400 E0000031 naming any unsupported attribute, operator or value. */
export function compileExpression(expr: Expr, attributes: Record<string, AttributeSpec>, options: CompileOptions): SQL {
  const param = options.param ?? "search";
  const fragment = new Compiler(attributes, options, param).compile(expr);
  const max = options.maxParams ?? DEFAULT_MAX_PARAMS;
  const used = dialect.sqlToQuery(fragment).params.length;
  if (used > max) {
    throw Errors.invalidSearch(`${param}: Expression is too complex: it needs ${used} query parameters; at most ${max} are allowed`);
  }
  return fragment;
}

/** parseExpression + compileExpression, with the same `param` in both. */
export function compileFilter(text: string, attributes: Record<string, AttributeSpec>, options: CompileOptions): SQL {
  return compileExpression(parseExpression(text, { param: options.param }), attributes, options);
}
