import type { Org } from "../../platform/context";
import { oktaError } from "../../platform/errors";
import type { UserRecord } from "../../users/record";
import type { StateToken } from "../tokens";

/**
 * The Authentication API's transaction object (REFERENCE-SIGNIN §2.2) and
 * its errors. Clients follow `_links.next.name`, so the names are Okta's.
 */

export const authFailed = () => oktaError(401, "E0000004", "Authentication failed");
export const invalidStateToken = () => oktaError(401, "E0000011", "Invalid token provided");
export const wrongState = () =>
  oktaError(403, "E0000079", "This operation is not allowed in the current authentication state.", [
    "This operation is not allowed in the current authentication state.",
  ]);

/** The default password policy's rules as the transaction shows them (users/password.ts enforces the same). */
export const PASSWORD_POLICY = {
  expiration: { passwordExpireDays: 0 },
  complexity: { minLength: 8, minLowerCase: 1, minUpperCase: 1, minNumber: 1, minSymbol: 0, excludeUsername: true },
  age: { minAgeMinutes: 0, historyCount: 0 },
};

export function embeddedUser(user: UserRecord, withQuestion = false) {
  const p = user.profile;
  const profile = {
    login: p.login,
    firstName: p.firstName ?? null,
    lastName: p.lastName ?? null,
    locale: p.locale ?? "en_US",
    timeZone: p.timezone ?? "America/Los_Angeles",
  };
  return {
    id: user.id,
    passwordChanged: user.passwordChanged,
    profile,
    ...(withQuestion && user.recoveryQuestion ? { recovery_question: { question: user.recoveryQuestion } } : {}),
  };
}

const link = (org: Org, path: string) => ({ href: `${org.url}/api/v1/authn${path}`, hints: { allow: ["POST"] } });

/** next step per transaction status: its link name and endpoint. */
const NEXT: Record<string, [name: string, path: string]> = {
  PASSWORD_EXPIRED: ["changePassword", "/credentials/change_password"],
  PASSWORD_RESET: ["resetPassword", "/credentials/reset_password"],
  RECOVERY: ["answer", "/recovery/answer"],
};

export function successJson(user: UserRecord, sessionToken: { sessionToken: string; expiresAt: string }) {
  return {
    expiresAt: sessionToken.expiresAt,
    status: "SUCCESS",
    sessionToken: sessionToken.sessionToken,
    _embedded: { user: embeddedUser(user) },
  };
}

export function stateJson(org: Org, user: UserRecord, state: StateToken) {
  const next = NEXT[state.status];
  const body: Record<string, unknown> = { stateToken: state.token, expiresAt: state.expiresAt, status: state.status };
  if (state.recoveryType) body.recoveryType = state.recoveryType;
  const embedded: Record<string, unknown> = { user: embeddedUser(user, state.status === "RECOVERY") };
  if (state.status === "PASSWORD_EXPIRED" || state.status === "PASSWORD_RESET") embedded.policy = PASSWORD_POLICY;
  body._embedded = embedded;
  const links: Record<string, unknown> = {};
  if (next) links.next = { name: next[0], ...link(org, next[1]) };
  links.cancel = link(org, "/cancel");
  body._links = links;
  return body;
}
