/** The syntax tree and values shared by the lexer, parser and evaluator. */

export type Value = string | number | boolean | null | readonly Value[];

export type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; expr: Node }
  | { kind: "eq" | "ne"; left: Node; right: Node }
  | { kind: "concat"; parts: Node[] }
  | { kind: "list"; items: Node[] }
  | { kind: "literal"; value: string | number | boolean | null }
  /** `user.department` → root "user", path ["department"]. */
  | { kind: "attr"; root: string; path: string[] }
  | { kind: "call"; name: string; args: Node[] };

/** Thrown for any expression the dialect refuses; `message` names the part and, where there is one, its position. */
export class ExpressionError extends Error {}

/** Every node of the tree, depth first: for callers that look for calls (referenced groups, membership reads). */
export function* nodes(node: Node): Generator<Node> {
  yield node;
  switch (node.kind) {
    case "and":
    case "or":
    case "eq":
    case "ne":
      yield* nodes(node.left);
      yield* nodes(node.right);
      break;
    case "not":
      yield* nodes(node.expr);
      break;
    case "concat":
      for (const p of node.parts) yield* nodes(p);
      break;
    case "list":
      for (const p of node.items) yield* nodes(p);
      break;
    case "call":
      for (const a of node.args) yield* nodes(a);
      break;
  }
}
