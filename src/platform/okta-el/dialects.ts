import type { Dialect } from "./dialect";
import { GROUP_ID_FUNCTIONS, GROUP_NAME_FUNCTIONS } from "./functions/groups";
import { STRING_FUNCTIONS } from "./functions/strings";

function pick<T>(from: Record<string, T>, names: string[]): Record<string, T> {
  return Object.fromEntries(names.map((n) => [n, from[n]!]));
}

/**
 * Group rules (REFERENCE §2.6): a condition over `user.<attribute>` of the
 * profile, the three String tests and membership by group id. What a rule
 * cannot use is refused when it is saved.
 */
export const GROUP_RULE: Dialect = {
  result: "condition",
  conditions: true,
  concat: false,
  lists: false,
  maxLength: 4096,
  maxDepth: 64,
  attribute(root, path, at) {
    const text = [root, ...path].join(".");
    if (root !== "user") return `Unsupported identifier '${text}' at position ${at}`;
    if (path.length !== 1) return `Unsupported property '${text}': only user.<attribute> of the profile is supported`;
    return undefined;
  },
  functions: {
    ...pick(STRING_FUNCTIONS, ["String.stringContains", "String.startsWith", "String.endsWith"]),
    ...GROUP_ID_FUNCTIONS,
  },
};

/** app.clientId and app.profile.<name>; nothing else of the app. */
function appAttribute(root: string, path: readonly string[]): string | undefined {
  if (path.length === 1 && path[0] === "clientId") return undefined;
  if (path.length === 2 && path[0] === "profile") return undefined;
  return `Unsupported property '${[root, ...path].join(".")}': only app.clientId and app.profile.<name> are supported`;
}

/**
 * EXPRESSION claims of tokens without a user (client_credentials): values
 * built from literals, the client (`app.*`), `+` and String functions.
 */
export const CLIENT_CLAIM: Dialect = {
  result: "value",
  conditions: false,
  concat: true,
  lists: false,
  maxLength: 1024,
  maxDepth: 16,
  attribute(root, path, at) {
    if (root === "app") return appAttribute(root, path);
    return `Unsupported identifier '${[root, ...path].join(".")}' at position ${at}`;
  },
  functions: STRING_FUNCTIONS,
};

/**
 * EXPRESSION claims of tokens minted for a user (the sign-in grants): the
 * client dialect plus `user.<attribute>`, `appuser.<attribute>`, conditions
 * and the group functions. The caller supplies `attributes.user`,
 * `attributes.appuser` and `groups`.
 */
export const USER_CLAIM: Dialect = {
  ...CLIENT_CLAIM,
  conditions: true,
  lists: true,
  attribute(root, path, at) {
    const text = [root, ...path].join(".");
    if (root === "app") return appAttribute(root, path);
    if (root === "user" || root === "appuser") {
      return path.length === 1 ? undefined : `Unsupported property '${text}': only ${root}.<attribute> is supported`;
    }
    return `Unsupported identifier '${text}' at position ${at}`;
  },
  functions: { ...STRING_FUNCTIONS, ...GROUP_ID_FUNCTIONS, ...GROUP_NAME_FUNCTIONS },
};
