import type { BatchItem } from "drizzle-orm/batch";
import type { NewOrg, Provisioner } from "../orgs/provisioner";
import type { Db } from "../platform/context";
import { IdPrefix, newId } from "../platform/ids";
import {
  authorizationServerPolicies,
  authorizationServerRules,
  authorizationServerScopes,
  authorizationServers,
} from "./table";

/** The id of the pre-provisioned server: the literal Okta uses in paths and issuers. */
export const DEFAULT_SERVER_ID = "default";

/**
 * Every server has these (REFERENCE §5.2), with Okta's descriptions. They are
 * published in discovery and cannot be deleted.
 */
export const SYSTEM_SCOPES: { name: string; description: string; displayName: string }[] = [
  { name: "openid", displayName: "openid", description: "Signals that a request is an OpenID request." },
  { name: "profile", displayName: "profile", description: "Allows this application to access your profile information." },
  { name: "email", displayName: "email", description: "Allows this application to access your email address." },
  { name: "address", displayName: "address", description: "Allows this application to access your address." },
  { name: "phone", displayName: "phone", description: "Allows this application to access your phone number." },
  {
    name: "offline_access",
    displayName: "Keep you signed in to the app",
    description: "This keeps you signed in to the app, even when you are not using it.",
  },
  {
    name: "device_sso",
    displayName: "device_sso",
    description:
      "Requests a device secret used to obtain a new set of tokens without re-prompting the user for authentication.",
  },
];

export const SYSTEM_SCOPE_NAMES = new Set(SYSTEM_SCOPES.map((s) => s.name));

/** Insert statements for a server's system scopes (not async: builders are thenables). */
export function systemScopeRows(db: Db, orgId: string, authServerId: string, now: string): BatchItem<"sqlite">[] {
  return SYSTEM_SCOPES.map((scope) =>
    db.insert(authorizationServerScopes).values({
      orgId,
      id: newId(IdPrefix.scope),
      authServerId,
      name: scope.name,
      description: scope.description,
      displayName: scope.displayName,
      consent: "IMPLICIT",
      optional: false,
      isDefault: false,
      metadataPublish: "ALL_CLIENTS",
      system: true,
      created: now,
      lastUpdated: now,
    }),
  );
}

/**
 * Every org gets the `default` server, ready to mint: unlike orgs created by
 * Okta since 2024-08 (which get no access policy, REFERENCE §5.2), it has a
 * Default Policy for ALL_CLIENTS with one rule allowing client_credentials
 * (and the user grants, for EVERYONE) for any scope, so that a client can get
 * a token from /oauth2/default/v1/token out of the box.
 */
export const provisionDefaultServer: Provisioner = (db: Db, org: NewOrg) => {
  const now = org.created;
  const policyId = newId(IdPrefix.policy);
  return [
    db.insert(authorizationServers).values({
      orgId: org.id,
      id: DEFAULT_SERVER_ID,
      name: "default",
      description: "Default Authorization Server for your Applications",
      audiences: ["api://default"],
      status: "ACTIVE",
      issuerMode: "ORG_URL",
      rotationMode: "AUTO",
      created: now,
      lastUpdated: now,
    }),
    ...systemScopeRows(db, org.id, DEFAULT_SERVER_ID, now),
    db.insert(authorizationServerPolicies).values({
      orgId: org.id,
      id: policyId,
      authServerId: DEFAULT_SERVER_ID,
      name: "Default Policy",
      description: "Default policy description",
      priority: 1,
      status: "ACTIVE",
      system: false,
      clients: ["ALL_CLIENTS"],
      created: now,
      lastUpdated: now,
    }),
    db.insert(authorizationServerRules).values({
      orgId: org.id,
      id: newId(IdPrefix.rule),
      authServerId: DEFAULT_SERVER_ID,
      policyId,
      name: "Default Policy Rule",
      priority: 1,
      status: "ACTIVE",
      system: false,
      conditions: {
        people: { users: { include: [], exclude: [] }, groups: { include: ["EVERYONE"], exclude: [] } },
        grantTypes: {
          include: ["client_credentials", "authorization_code", "urn:ietf:params:oauth:grant-type:device_code"],
        },
        scopes: { include: ["*"] },
      },
      tokenActions: { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 },
      created: now,
      lastUpdated: now,
    }),
  ];
};
