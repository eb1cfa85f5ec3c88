/**
 * The okta.* scopes of the org authorization server (REFERENCE §3.3): the
 * only scopeIds a grant may name. From the management spec's security
 * scheme (each resource has `.read` and `.manage` unless noted), plus the
 * OAuth spec's client scopes and the user-context `.self` scopes: a `.self`
 * grant is valid (user-context apps hold them); the token endpoint refuses
 * them for client_credentials, not the grant.
 */
const READ_AND_MANAGE = [
  "okta.agentPools", "okta.apiTokens", "okta.appGrants", "okta.apps", "okta.apps.interclientTrust",
  "okta.authenticators", "okta.authorizationServers", "okta.behaviors", "okta.botProtection", "okta.brands",
  "okta.captchas", "okta.customTelephonyProvider", "okta.deviceAssurance", "okta.deviceIntegrations",
  "okta.devicePostureChecks", "okta.devices", "okta.directories.groups", "okta.domains", "okta.dr",
  "okta.emailDomains", "okta.emailServers", "okta.eventHooks", "okta.features", "okta.groups",
  "okta.identitySources", "okta.idps", "okta.inlineHooks", "okta.linkedObjects", "okta.logStreams",
  "okta.networkZones", "okta.oauthIntegrations", "okta.orgs", "okta.personal.adminSettings", "okta.policies",
  "okta.principalRateLimits", "okta.profileMappings", "okta.pushProviders", "okta.rateLimits",
  "okta.realmAssignments", "okta.realms", "okta.roles", "okta.schemas", "okta.securityEventsProviders",
  "okta.serviceAccounts", "okta.serviceAccounts.okta", "okta.sessions", "okta.templates", "okta.threatInsights",
  "okta.trustedOrigins", "okta.uischemas", "okta.userRisk", "okta.userTypes", "okta.users",
];

const SINGLE = [
  "okta.logs.read",
  "okta.clients.read",
  "okta.clients.manage",
  "okta.clients.register",
  "okta.universalLogout.manage",
  "okta.workflows.invoke.manage",
  "okta.users.read.self",
  "okta.users.manage.self",
];

export const OKTA_SCOPES: ReadonlySet<string> = new Set([
  ...READ_AND_MANAGE.flatMap((resource) => [`${resource}.read`, `${resource}.manage`]),
  ...SINGLE,
]);

export function isOktaScope(scopeId: string): boolean {
  return OKTA_SCOPES.has(scopeId);
}
