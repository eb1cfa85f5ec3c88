import type { Node, Value } from "./ast";
import type { Dialect, EvalContext } from "./dialect";

/**
 * Reads `root.a.b` from the context. A missing attribute is null, as in Okta;
 * so is a nested object (EL compares and prints scalars and lists only).
 */
function attribute(context: EvalContext, root: string, path: readonly string[]): Value {
  let v: unknown = Object.hasOwn(context.attributes, root) ? context.attributes[root] : undefined;
  for (const name of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, name)) return null;
    v = (v as Record<string, unknown>)[name];
  }
  return toValue(v);
}

function toValue(v: unknown): Value {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map(toValue);
  return null;
}

/** `==` is strict: case-sensitive, numbers never equal strings ("30" is not 30), lists by content. */
function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** A condition holds only when it is `true`: null (a missing attribute, a null-out function) does not. */
export function holds(value: Value): boolean {
  return value === true;
}

export function evaluate(node: Node, dialect: Dialect, context: EvalContext): Value {
  const run = (n: Node): Value => evaluate(n, dialect, context);
  switch (node.kind) {
    case "and":
      return holds(run(node.left)) && holds(run(node.right));
    case "or":
      return holds(run(node.left)) || holds(run(node.right));
    case "not":
      return !holds(run(node.expr));
    case "eq":
      return equal(run(node.left), run(node.right));
    case "ne":
      return !equal(run(node.left), run(node.right));
    case "literal":
      return node.value;
    case "attr":
      return attribute(context, node.root, node.path);
    case "list":
      return node.items.map(run);
    case "concat": {
      // Java would print null as "null"; Okta's EL nulls out instead, and the claim is then left out.
      const values = node.parts.map(run);
      if (values.some((v) => v === null)) return null;
      if (values.every((v) => typeof v === "number")) return (values as number[]).reduce((a, b) => a + b, 0);
      return values.map(String).join("");
    }
    case "call":
      // The parser only builds calls the dialect defines.
      return dialect.functions[node.name]!.call(node.args.map(run), context);
  }
}
