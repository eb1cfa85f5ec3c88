/**
 * Scope implication (DESIGN "Tokens"): a held scope also satisfies the
 * scopes it implies. `.manage` covers `.read` of the same resource;
 * `okta.users.read` covers `okta.users.read.self`; `okta.users.manage`
 * covers `okta.users.manage.self`, which covers `okta.users.read.self`;
 * `okta.clients.manage` covers
 * `okta.clients.read` and `okta.clients.register`.
 */
export function implies(held: string, required: string): boolean {
  if (held === required) return true;
  // Transitively: okta.users.manage covers okta.users.read, hence okta.users.read.self.
  if (required.endsWith(".self") && implies(held, required.slice(0, -".self".length))) return true;
  // okta.users.manage.self covers okta.users.read.self (REFERENCE-SIGNIN §7.2: both read the caller's own record).
  if (held.endsWith(".self") && required.endsWith(".self")) return implies(held.slice(0, -".self".length), required.slice(0, -".self".length));
  if (held === "okta.clients.manage" && (required === "okta.clients.read" || required === "okta.clients.register")) {
    return true;
  }
  if (held.endsWith(".manage") && required.endsWith(".read")) {
    return held.slice(0, -".manage".length) === required.slice(0, -".read".length);
  }
  return false;
}

export function holdsScope(held: readonly string[], required: string): boolean {
  return held.some((scope) => implies(scope, required));
}
