import type { Org } from "../platform/context";
import type { UserRecord } from "./record";

type Link = { href: string; method?: string };

/** Parts of a User a client asked to leave out (the `okta-response` media-type parameter, REFERENCE §1.2). */
export interface Omissions {
  credentials?: boolean;
  credentialsLinks?: boolean;
  transitioningToStatus?: boolean;
}

const CREDENTIAL_LINKS = new Set(["resetPassword", "expirePassword", "forgotPassword", "changePassword", "changeRecoveryQuestion"]);

/** The credentials object: presence only — a password or answer never leaves the server. */
export function credentialsJson(user: UserRecord): Record<string, unknown> {
  const credentials: Record<string, unknown> = {};
  if (user.password) credentials.password = {};
  if (user.recoveryQuestion) credentials.recovery_question = { question: user.recoveryQuestion };
  credentials.provider = { type: user.providerType, name: user.providerName };
  return credentials;
}

/**
 * `_links` for a single user (REFERENCE §1.2 table): the lifecycle and
 * credential operations its status allows. Credential operations appear only
 * when the credential exists: changePassword / changeRecoveryQuestion need a
 * password, forgotPassword needs a recovery question. resetFactors never
 * appears: edgeorg models no enrolled factors.
 */
function singleLinks(org: Org, user: UserRecord): Record<string, Link> {
  const base = `${org.url}/api/v1/users/${user.id}`;
  const post = (path: string): Link => ({ href: `${base}/${path}`, method: "POST" });
  const hasPassword = user.password !== null;
  const hasQuestion = user.recoveryQuestion !== null;
  const links: Record<string, Link> = {};
  const add = (name: string, path: string, when = true) => {
    if (when) links[name] = post(path);
  };
  switch (user.status) {
    case "STAGED":
      add("activate", "lifecycle/activate");
      break;
    case "PROVISIONED":
      add("reactivate", "lifecycle/reactivate");
      add("resetPassword", "lifecycle/reset_password");
      break;
    case "ACTIVE":
      add("suspend", "lifecycle/suspend");
      add("resetPassword", "lifecycle/reset_password");
      add("expirePassword", "lifecycle/expire_password");
      add("forgotPassword", "credentials/forgot_password", hasQuestion);
      add("changePassword", "credentials/change_password", hasPassword);
      add("changeRecoveryQuestion", "credentials/change_recovery_question", hasPassword);
      break;
    case "PASSWORD_EXPIRED":
      add("resetPassword", "lifecycle/reset_password");
      add("expirePassword", "lifecycle/expire_password");
      add("forgotPassword", "credentials/forgot_password", hasQuestion);
      add("changePassword", "credentials/change_password", hasPassword);
      add("changeRecoveryQuestion", "credentials/change_recovery_question", hasPassword);
      break;
    case "RECOVERY":
      add("reactivate", "lifecycle/reactivate");
      add("resetPassword", "lifecycle/reset_password");
      add("changePassword", "credentials/change_password", hasPassword);
      add("changeRecoveryQuestion", "credentials/change_recovery_question", hasPassword);
      break;
    case "LOCKED_OUT":
      add("unlock", "lifecycle/unlock");
      add("resetPassword", "lifecycle/reset_password");
      break;
    case "SUSPENDED":
      add("unsuspend", "lifecycle/unsuspend");
      break;
    case "DEPROVISIONED":
      add("activate", "lifecycle/activate");
      break;
  }
  if (user.status !== "DEPROVISIONED") add("deactivate", "lifecycle/deactivate");
  links.schema = { href: `${org.url}/api/v1/meta/schemas/user/osc${user.typeId.slice(3)}` };
  links.type = { href: `${org.url}/api/v1/meta/types/user/${user.typeId}` };
  links.self = { href: base };
  return links;
}

/** Okta User JSON (REFERENCE §1.2). A collection carries the `self` link only. */
export function userJson(org: Org, user: UserRecord, view: "collection" | "single", omit: Omissions = {}): object {
  const json: Record<string, unknown> = {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: user.lastLogin,
    lastUpdated: user.lastUpdated,
    passwordChanged: user.passwordChanged,
    type: { id: user.typeId },
    profile: user.profile,
  };
  if (!omit.credentials) json.credentials = credentialsJson(user);
  let links: Record<string, Link> =
    view === "single" ? singleLinks(org, user) : { self: { href: `${org.url}/api/v1/users/${user.id}` } };
  if (omit.credentialsLinks) {
    links = Object.fromEntries(Object.entries(links).filter(([name]) => !CREDENTIAL_LINKS.has(name)));
  }
  json._links = links;
  return json;
}

/** The weak ETag of a user's current version (REFERENCE §1.5). */
export function etagOf(user: UserRecord): string {
  return `W/"${user.id}-${user.version}"`;
}
