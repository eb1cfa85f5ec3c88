import { ExpressionError } from "./ast";

export type Token =
  | { t: "op"; v: string; at: number }
  | { t: "str"; v: string; at: number }
  | { t: "num"; v: number; at: number }
  /** A dotted name read as one token (`user.department`, `String.startsWith`): functions are named by their full path. */
  | { t: "id"; v: string; at: number };

const TWO_CHAR_OPS = new Set(["==", "!=", "&&", "||"]);
const ONE_CHAR_OPS = new Set(["(", ")", ",", "!", "+", "{", "}"]);

/**
 * Okta EL is SpEL, and so are its string literals: '…' or "…", the delimiter
 * written twice inside stands for itself ('O''Fallon', "say ""hi"""), and a
 * backslash is an ordinary character ('C:\temp' is seven characters). There
 * are no other escapes.
 */
function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = "";
  let i = start + 1;
  for (;;) {
    const at = text.indexOf(quote, i);
    if (at < 0) throw new ExpressionError(`Unterminated string starting at position ${start}`);
    value += text.slice(i, at);
    if (text[at + 1] === quote) {
      value += quote;
      i = at + 2;
      continue;
    }
    return { value, end: at + 1 };
  }
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      out.push({ t: "op", v: two, at: i });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(ch)) {
      out.push({ t: "op", v: ch, at: i });
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const { value, end } = readString(text, i);
      out.push({ t: "str", v: value, at: i });
      i = end;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i, i + 64));
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
    const rest = /^\S+/.exec(text.slice(i, i + 20))![0];
    throw new ExpressionError(`Unsupported token '${rest}' at position ${i}`);
  }
  return out;
}
