/**
 * What Okta stores as a profile value (users and groups, REFERENCE §1.3,
 * §2.2): a string, a number, a boolean, null, or an array of strings,
 * numbers or booleans. Anything else — an object, an array of arrays — is
 * refused before it is stored: a nested value can exceed SQLite's JSON depth
 * and break every later search of the org (issue 14).
 */
export function isProfileValue(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((e) => typeof e === "string" || typeof e === "boolean" || (typeof e === "number" && Number.isFinite(e)));
  return false;
}

/** Okta's profile property names are identifiers (schema property names). */
export const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One cause per property whose name or value Okta would refuse, "<name>: <message>". */
export function profileValueCauses(profile: Record<string, unknown>, skip: ReadonlySet<string> = new Set()): string[] {
  const causes: string[] = [];
  for (const [key, value] of Object.entries(profile)) {
    if (skip.has(key)) continue;
    if (!PROPERTY_NAME.test(key)) causes.push(`${key.slice(0, 50)}: Property name is not valid`);
    else if (!isProfileValue(value)) causes.push(`${key}: Property value must be a string, number, boolean, null or an array of them`);
  }
  return causes;
}
