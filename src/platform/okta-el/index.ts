/**
 * The Okta Expression Language (a subset of SpEL), one grammar for every
 * place Okta evaluates it; a Dialect says what each place allows. Parse once
 * (when the expression is saved, and once per isolate after), evaluate many
 * times with a context.
 */
import { nodes, type Node, type Value } from "./ast";
import type { Dialect, EvalContext } from "./dialect";
import { evaluate, holds } from "./evaluate";
import { parse } from "./parser";

export { ExpressionError, nodes, type Node, type Value } from "./ast";
export type { Dialect, EvalContext, FunctionDef } from "./dialect";
export { CLIENT_CLAIM, GROUP_RULE, USER_CLAIM } from "./dialects";

export interface Expression {
  readonly node: Node;
  /** Whether evaluating needs `context.groups`. */
  readonly readsGroups: boolean;
  value(context: EvalContext): Value;
  /** The value as a condition: only `true` holds. */
  test(context: EvalContext): boolean;
}

/** Parses `text` in `dialect`; throws ExpressionError naming what the dialect refuses. */
export function compile(text: string, dialect: Dialect): Expression {
  const node = parse(text, dialect);
  let readsGroups = false;
  for (const n of nodes(node)) if (n.kind === "call" && dialect.functions[n.name]!.readsGroups) readsGroups = true;
  return {
    node,
    readsGroups,
    value: (context) => evaluate(node, dialect, context),
    test: (context) => holds(evaluate(node, dialect, context)),
  };
}
