import { validationError } from "../platform/errors";

/**
 * `fields` projection of the user list (REFERENCE §1.8), e.g.
 * `id,status,profile:(firstName,city)`. `id` is always returned; `_links`
 * too, so that clients can still follow `self`.
 */
export function project(user: object, fields: string | undefined): object {
  if (fields === undefined || fields.trim() === "") return user;
  const source = user as Record<string, unknown>;
  const out: Record<string, unknown> = { id: source.id };
  for (const [name, sub] of parseFields(fields)) {
    if (!(name in source)) continue;
    const value = source[name];
    if (sub && value && typeof value === "object") {
      const inner = value as Record<string, unknown>;
      out[name] = Object.fromEntries(sub.filter((key) => key in inner).map((key) => [key, inner[key]]));
    } else {
      out[name] = value;
    }
  }
  out._links = source._links;
  return out;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

function parseFields(text: string): [string, string[] | undefined][] {
  const out: [string, string[] | undefined][] = [];
  const bad = () => validationError([`fields: Invalid field list '${text.slice(0, 60)}'`]);
  let i = 0;
  while (i < text.length) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*/.exec(text.slice(i));
    if (!match) throw bad();
    i += match[0].length;
    let sub: string[] | undefined;
    if (text.startsWith(":(", i)) {
      const end = text.indexOf(")", i);
      if (end < 0) throw bad();
      sub = text.slice(i + 2, end).split(",").map((s) => s.trim());
      if (sub.some((s) => !FIELD.test(s))) throw bad();
      i = end + 1;
    }
    out.push([match[1]!, sub]);
    const rest = /^\s*(,|$)/.exec(text.slice(i));
    if (!rest) throw bad();
    i += rest[0].length;
  }
  return out;
}
