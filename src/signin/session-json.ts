import type { Org } from "../platform/context";
import type { ActiveSession } from "./sessions";

/** Okta's Session object (REFERENCE-SIGNIN §3.2); `/me` sessions link to /sessions/me. */
export function sessionJson(org: Org, session: ActiveSession, viaMe = false) {
  const self = `${org.url}/api/v1/sessions/${viaMe ? "me" : session.id}`;
  const p = session.user.profile;
  const name = [p.firstName, p.lastName].filter((v) => typeof v === "string" && v).join(" ") || String(p.login ?? "");
  return {
    id: session.id,
    login: session.user.profile.login,
    userId: session.user.id,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    status: "ACTIVE",
    lastPasswordVerification: session.lastPasswordVerification,
    lastFactorVerification: null,
    amr: session.amr,
    idp: { id: org.id, type: "OKTA" },
    mfaActive: false,
    _links: {
      self: { href: self, hints: { allow: ["GET", "DELETE"] } },
      refresh: { href: `${self}/lifecycle/refresh`, hints: { allow: ["POST"] } },
      user: { name, href: `${org.url}/api/v1/users/${session.user.id}`, hints: { allow: ["GET"] } },
    },
  };
}
