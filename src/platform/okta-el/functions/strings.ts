import type { Node, Value } from "../ast";
import type { FunctionDef } from "../dialect";

/**
 * Okta's String.* functions. Null in, null out; an argument that should be a
 * string and is not (a number attribute, a list) also gives null, which as a
 * condition does not hold — `String.stringContains(user.level, "7")` is false
 * for the number 7.
 */
function arity(min: number, max = min) {
  return (args: readonly Node[]): string | undefined => {
    if (args.length >= min && args.length <= max) return undefined;
    const want = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
    return `takes ${want} argument${min === 1 && max === 1 ? "" : "s"}, got ${args.length}`;
  };
}

function strings(min: number, max: number, f: (s: string[]) => Value): FunctionDef {
  return {
    check: arity(min, max),
    call: (args) => (args.every((a): a is string => typeof a === "string") ? f(args) : null),
  };
}

const one = (f: (a: string) => Value) => strings(1, 1, ([a]) => f(a!));
const two = (f: (a: string, b: string) => Value) => strings(2, 2, ([a, b]) => f(a!, b!));

export const STRING_FUNCTIONS: Record<string, FunctionDef> = {
  "String.append": two((a, b) => a + b),
  "String.join": strings(1, Infinity, ([sep, ...rest]) => rest.join(sep!)),
  "String.len": one((a) => a.length),
  "String.removeSpaces": one((a) => a.replace(/\s+/g, "")),
  "String.replace": strings(3, 3, ([a, b, c]) => a!.split(b!).join(c!)),
  "String.replaceFirst": strings(3, 3, ([a, b, c]) => {
    const at = a!.indexOf(b!);
    return at < 0 ? a! : a!.slice(0, at) + c! + a!.slice(at + b!.length);
  }),
  "String.stringContains": two((a, b) => a.includes(b)),
  "String.startsWith": two((a, b) => a.startsWith(b)),
  "String.endsWith": two((a, b) => a.endsWith(b)),
  "String.substring": {
    check: arity(3),
    call: ([a, start, end]) => {
      if (typeof a !== "string" || !Number.isInteger(start) || !Number.isInteger(end)) return null;
      const [s, e] = [start as number, end as number];
      return s < 0 || e > a.length || s > e ? null : a.slice(s, e);
    },
  },
  "String.substringAfter": two((a, b) => {
    const at = a.indexOf(b);
    return at < 0 ? "" : a.slice(at + b.length);
  }),
  "String.substringBefore": two((a, b) => {
    const at = a.indexOf(b);
    return at < 0 ? a : a.slice(0, at);
  }),
  "String.toLowerCase": one((a) => a.toLowerCase()),
  "String.toUpperCase": one((a) => a.toUpperCase()),
};
