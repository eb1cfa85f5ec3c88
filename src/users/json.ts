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
type LinkRule = [name: string, path: string, needs?: "password" | "recoveryQuestion"];

const RESET_PASSWORD: LinkRule = ["resetPassword", "lifecycle/reset_password"];
const EXPIRE_PASSWORD: LinkRule = ["expirePassword", "lifecycle/expire_password"];
const FORGOT_PASSWORD: LinkRule = ["forgotPassword", "credentials/forgot_password", "recoveryQuestion"];
const CHANGE_PASSWORD: LinkRule = ["changePassword", "credentials/change_password", "password"];
const CHANGE_RECOVERY_QUESTION: LinkRule = ["changeRecoveryQuestion", "credentials/change_recovery_question", "password"];

/** The REFERENCE §1.2 table: links a status allows besides deactivate, schema, type and self. */
const LINKS_BY_STATUS: Record<UserRecord["status"], LinkRule[]> = {
  STAGED: [["activate", "lifecycle/activate"]],
  PROVISIONED: [["reactivate", "lifecycle/reactivate"], RESET_PASSWORD],
  ACTIVE: [["suspend", "lifecycle/suspend"], RESET_PASSWORD, EXPIRE_PASSWORD, FORGOT_PASSWORD, CHANGE_PASSWORD, CHANGE_RECOVERY_QUESTION],
  PASSWORD_EXPIRED: [RESET_PASSWORD, EXPIRE_PASSWORD, FORGOT_PASSWORD, CHANGE_PASSWORD, CHANGE_RECOVERY_QUESTION],
  RECOVERY: [["reactivate", "lifecycle/reactivate"], RESET_PASSWORD, CHANGE_PASSWORD, CHANGE_RECOVERY_QUESTION],
  LOCKED_OUT: [["unlock", "lifecycle/unlock"], RESET_PASSWORD],
  SUSPENDED: [["unsuspend", "lifecycle/unsuspend"]],
  DEPROVISIONED: [["activate", "lifecycle/activate"]],
};

function singleLinks(org: Org, user: UserRecord): Record<string, Link> {
  const base = `${org.url}/api/v1/users/${user.id}`;
  const has = { password: user.password !== null, recoveryQuestion: user.recoveryQuestion !== null };
  const links: Record<string, Link> = {};
  const add = (name: string, path: string) => {
    links[name] = { href: `${base}/${path}`, method: "POST" };
  };
  for (const [name, path, needs] of LINKS_BY_STATUS[user.status]) if (!needs || has[needs]) add(name, path);
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
