import type { Node, Value } from "./ast";

/** What an expression is evaluated against. */
export interface EvalContext {
  /** Attribute roots by name: `user` → the user's profile, `app` → { clientId, profile }, `appuser` → the app user's profile. */
  attributes: Readonly<Record<string, unknown>>;
  /** The user's groups, id → name; required by the group functions, absent where there is no user. */
  groups?: ReadonlyMap<string, string>;
}

export interface FunctionDef {
  /** Refuses a call by its arguments (count, literal-only…): returns the reason, which follows the function's name. */
  check(args: readonly Node[]): string | undefined;
  call(args: Value[], context: EvalContext): Value;
  /** The function needs `context.groups`. */
  readsGroups?: boolean;
}

/**
 * One caller's view of the language: the same grammar everywhere, but each
 * place Okta evaluates EL allows different attributes, functions and
 * operators, and a refusal at save time means a saved expression always
 * evaluates.
 */
export interface Dialect {
  /** "condition": the whole expression and every operand of AND/OR/NOT must be a condition (group rules). */
  result: "condition" | "value";
  /** AND/OR/NOT, ==, != */
  conditions: boolean;
  /** `+` string concatenation */
  concat: boolean;
  /** `{a, b}` inline lists (SpEL), e.g. the allowlist of getFilteredGroups */
  lists: boolean;
  maxLength: number;
  maxDepth: number;
  /** Refuses an attribute reference by returning the message; root is the first name, path the rest. */
  attribute(root: string, path: readonly string[], at: number): string | undefined;
  functions: Readonly<Record<string, FunctionDef>>;
}
