import type { Node, Value } from "../ast";
import type { EvalContext, FunctionDef } from "../dialect";

/**
 * Okta's group functions over the user's groups (`context.groups`, id →
 * name). Group ids are quoted literals, so a rule's referenced groups are
 * known when it is saved. Name matches are case-sensitive, as Okta's are.
 */

/** At most this many names from Groups.* and getFilteredGroups (Okta caps `limit` at 100). */
export const MAX_GROUP_LIMIT = 100;

function groupsOf(context: EvalContext): ReadonlyMap<string, string> {
  if (!context.groups) throw new Error("group memberships not supplied for an expression that reads them");
  return context.groups;
}

function quoted(what: string, min: number, max: number) {
  return (args: readonly Node[]): string | undefined => {
    if (args.length < min || args.length > max) return `takes ${what}`;
    if (args.some((a) => a.kind !== "literal" || typeof a.value !== "string")) return "takes quoted group ids";
    return undefined;
  };
}

function byName(test: (name: string, arg: string) => boolean): FunctionDef {
  return {
    readsGroups: true,
    check: (args) => (args.length === 1 ? undefined : "takes one argument"),
    call: ([arg], context) => {
      if (typeof arg !== "string") return null;
      for (const name of groupsOf(context).values()) if (test(name, arg)) return true;
      return false;
    },
  };
}

/** Java's String.matches: the whole name must match. An invalid pattern matches nothing. */
function fullMatch(name: string, pattern: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(name);
  } catch {
    return false;
  }
}

function limitOf(v: Value | undefined): number | null {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? Math.min(v, MAX_GROUP_LIMIT) : null;
}

/** Groups.startsWith("OKTA", pattern, limit): names of the user's Okta groups matching, at most `limit`. */
function namesWhere(test: (name: string, pattern: string) => boolean): FunctionDef {
  return {
    readsGroups: true,
    check: (args) => (args.length === 3 ? undefined : "takes 3 arguments (app, pattern, limit)"),
    call: ([app, pattern, limit], context) => {
      const max = limitOf(limit);
      if (typeof app !== "string" || typeof pattern !== "string" || max === null) return null;
      // Every group here is an Okta group; groups imported from an app do not exist in edgeorg.
      if (app !== "OKTA") return [];
      return [...groupsOf(context).values()].filter((n) => test(n, pattern)).sort().slice(0, max);
    },
  };
}

export const GROUP_ID_FUNCTIONS: Record<string, FunctionDef> = {
  isMemberOfGroup: {
    readsGroups: true,
    check: quoted("one group id", 1, 1),
    call: ([id], context) => groupsOf(context).has(id as string),
  },
  isMemberOfAnyGroup: {
    readsGroups: true,
    check: quoted("one or more group ids", 1, Infinity),
    call: (ids, context) => ids.some((id) => groupsOf(context).has(id as string)),
  },
};

export const GROUP_NAME_FUNCTIONS: Record<string, FunctionDef> = {
  isMemberOfGroupName: byName((name, arg) => name === arg),
  isMemberOfGroupNameStartsWith: byName((name, arg) => name.startsWith(arg)),
  isMemberOfGroupNameContains: byName((name, arg) => name.includes(arg)),
  isMemberOfGroupNameRegex: byName(fullMatch),
  "Groups.startsWith": namesWhere((name, p) => name.startsWith(p)),
  "Groups.endsWith": namesWhere((name, p) => name.endsWith(p)),
  "Groups.contains": namesWhere((name, p) => name.includes(p)),
  /**
   * getFilteredGroups({"00g…", …}, "group.name", limit): of the allowlisted
   * groups, those the user is in, each given by the group attribute named
   * (group.name or group.id), in allowlist order.
   */
  getFilteredGroups: {
    readsGroups: true,
    check: (args) => (args.length === 3 ? undefined : "takes 3 arguments (allowlist, group expression, limit)"),
    call: ([allow, attr, limit], context) => {
      const max = limitOf(limit);
      if (!Array.isArray(allow) || (attr !== "group.name" && attr !== "group.id") || max === null) return null;
      const groups = groupsOf(context);
      const out: string[] = [];
      for (const id of allow) {
        if (typeof id !== "string" || !groups.has(id) || out.length >= max) continue;
        out.push(attr === "group.id" ? id : groups.get(id)!);
      }
      return out;
    },
  },
};
