/**
 * The scope table: every route of edgeorg, once, with what it takes to call
 * it. The guard looks a request up by its matched route (org prefix removed)
 * and enforces the row; a route with no row is denied, and a test fails when
 * any registered route lacks one. Paths are Hono patterns as registered.
 *
 * access:
 * - a scope name: an SSWS token (holds every scope) or an access token
 *   holding that scope or one that implies it (auth/scopes.ts);
 * - PUBLIC: no credential (discovery, JWKS) or one the route checks itself
 *   (OAuth client authentication at the token endpoint);
 * - OPERATOR: the operator's Bearer token (/_edgeorg).
 */
export const PUBLIC = "public";
export const OPERATOR = "operator";

export interface ScopeRow {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  access: string;
}

const row = (method: ScopeRow["method"], path: string, access: string): ScopeRow => ({ method, path, access });
const each = (methods: ScopeRow["method"][], paths: string[], access: string) =>
  methods.flatMap((method) => paths.map((path) => row(method, path, access)));

const USERS = "/api/v1/users";
const USER = `${USERS}/:id`;
const ME = `${USERS}/me`;
const GROUPS = "/api/v1/groups";
const GROUP = `${GROUPS}/:groupId`;
const GROUP_RULES = `${GROUPS}/rules`;
const GROUP_RULE = `${GROUP_RULES}/:groupRuleId`;
const APPS = "/api/v1/apps";
const APP = `${APPS}/:appId`;
const CLIENTS = "/oauth2/v1/clients";
const CLIENT = `${CLIENTS}/:clientId`;
const AS_LIST = "/api/v1/authorizationServers";
const AS = `${AS_LIST}/:authServerId`;
const POLICY = `${AS}/policies/:policyId`;
const POLICY_RULE = `${POLICY}/rules/:ruleId`;
const CUSTOM_AS = "/oauth2/:authServerId";

const userLifecycle = [
  "activate", "reactivate", "deactivate", "suspend", "unsuspend", "unlock", "reset_password",
  "expire_password", "expire_password_with_temp_password", "reset_factors", "forgot_password",
];
const userCredentials = ["change_password", "change_recovery_question", "forgot_password", "forgot_password_recovery_question"];

export const scopeTable: ScopeRow[] = [
  // Edgeorg's own
  row("GET", "/_edgeorg/health", PUBLIC),
  row("GET", "/_edgeorg/orgs", OPERATOR),
  row("POST", "/_edgeorg/orgs", OPERATOR),
  row("DELETE", "/_edgeorg/orgs/:slug", OPERATOR),
  row("PATCH", "/_edgeorg/orgs/:slug", OPERATOR),
  row("POST", "/_edgeorg/orgs/:slug/api-tokens", OPERATOR),
  row("POST", "/_edgeorg/keys/reencrypt", OPERATOR),
  row("GET", "/_edgeorg/oauth/stats", OPERATOR),

  // Org authorization server (REFERENCE §6): its endpoints authenticate clients themselves
  row("GET", "/.well-known/openid-configuration", PUBLIC),
  row("GET", "/.well-known/oauth-authorization-server", PUBLIC),
  row("POST", "/oauth2/v1/token", PUBLIC),
  row("GET", "/oauth2/v1/keys", PUBLIC),
  row("POST", "/oauth2/v1/introspect", PUBLIC),
  row("POST", "/oauth2/v1/revoke", PUBLIC),

  // Custom authorization servers' token serving (REFERENCE §5.8)
  row("POST", `${CUSTOM_AS}/v1/token`, PUBLIC),
  row("GET", `${CUSTOM_AS}/v1/keys`, PUBLIC),
  row("POST", `${CUSTOM_AS}/v1/introspect`, PUBLIC),
  row("POST", `${CUSTOM_AS}/v1/revoke`, PUBLIC),
  row("GET", `${CUSTOM_AS}/.well-known/openid-configuration`, PUBLIC),
  row("GET", `${CUSTOM_AS}/.well-known/oauth-authorization-server`, PUBLIC),

  // Users (REFERENCE §1; seed table of the OAuth issue)
  row("GET", USERS, "okta.users.read.self"),
  row("POST", USERS, "okta.users.manage"),
  row("GET", ME, "okta.users.read.self"),
  row("GET", USER, "okta.users.read"),
  ...each(["POST", "PUT", "DELETE"], [USER], "okta.users.manage"),
  row("GET", `${USER}/appLinks`, "okta.users.read"),
  row("GET", `${USER}/groups`, "okta.users.read"),
  ...userCredentials.map((op) => row("POST", `${USER}/credentials/${op}`, "okta.users.manage")),
  ...["change_password", "change_recovery_question", "forgot_password"].map((op) =>
    row("POST", `${ME}/credentials/${op}`, "okta.users.manage.self"),
  ),
  ...userLifecycle.map((op) => row("POST", `${USER}/lifecycle/${op}`, "okta.users.manage")),
  row("POST", `${ME}/lifecycle/reset_factors`, "okta.users.manage.self"),

  // Groups (REFERENCE §2): every GET reads, every write manages
  ...each(["GET"], [GROUPS, GROUP, `${GROUP}/users`, `${GROUP}/apps`, `${GROUP}/owners`, GROUP_RULES, GROUP_RULE], "okta.groups.read"),
  ...each(["POST"], [GROUPS, GROUP_RULES, `${GROUP}/owners`, `${GROUP_RULE}/lifecycle/activate`, `${GROUP_RULE}/lifecycle/deactivate`], "okta.groups.manage"),
  ...each(["PUT"], [GROUP, `${GROUP}/users/:userId`, GROUP_RULE], "okta.groups.manage"),
  ...each(["DELETE"], [GROUP, `${GROUP}/users/:userId`, GROUP_RULE, `${GROUP}/owners/:ownerId`], "okta.groups.manage"),

  // Apps and their grants (REFERENCE §3)
  ...each(["GET"], [APPS, APP], "okta.apps.read"),
  ...each(["POST"], [APPS, `${APP}/lifecycle/activate`, `${APP}/lifecycle/deactivate`], "okta.apps.manage"),
  ...each(["PUT", "DELETE"], [APP], "okta.apps.manage"),
  ...each(["GET"], [`${APP}/grants`, `${APP}/grants/:grantId`], "okta.appGrants.read"),
  row("POST", `${APP}/grants`, "okta.appGrants.manage"),
  row("DELETE", `${APP}/grants/:grantId`, "okta.appGrants.manage"),

  // OAuth clients, dynamic client registration (REFERENCE §4)
  ...each(["GET"], [CLIENTS, CLIENT], "okta.clients.read"),
  row("POST", CLIENTS, "okta.clients.register"),
  ...each(["PUT", "DELETE"], [CLIENT], "okta.clients.manage"),
  row("POST", `${CLIENT}/lifecycle/newSecret`, "okta.clients.manage"),

  // API tokens (SSWS), OpenAPI ApiToken
  ...each(["GET"], ["/api/v1/api-tokens", "/api/v1/api-tokens/:apiTokenId"], "okta.apiTokens.read"),
  ...each(["DELETE"], ["/api/v1/api-tokens/current", "/api/v1/api-tokens/:apiTokenId"], "okta.apiTokens.manage"),

  // Admin role assignments and their targets (REFERENCE-SIGNIN §8.1), for users, groups and service clients
  ...[USER, GROUP, CLIENT].flatMap((principal) => {
    const ROLE = `${principal}/roles/:roleAssignmentId`;
    return [
      ...each(["GET"], [`${principal}/roles`, ROLE, `${ROLE}/targets/groups`, `${ROLE}/targets/catalog/apps`], "okta.roles.read"),
      row("POST", `${principal}/roles`, "okta.roles.manage"),
      row("DELETE", ROLE, "okta.roles.manage"),
      ...each(
        ["PUT", "DELETE"],
        [`${ROLE}/targets/groups/:targetGroupId`, `${ROLE}/targets/catalog/apps/:appName`, `${ROLE}/targets/catalog/apps/:appName/:appId`],
        "okta.roles.manage",
      ),
    ];
  }),

  // Authorization servers (REFERENCE §5.1): every GET reads, every write manages
  ...each(
    ["GET"],
    [
      AS_LIST, AS, `${AS}/credentials/keys`, `${AS}/credentials/keys/:keyId`,
      `${AS}/policies`, POLICY, `${POLICY}/rules`, POLICY_RULE,
      `${AS}/scopes`, `${AS}/scopes/:scopeId`, `${AS}/claims`, `${AS}/claims/:claimId`,
      `${AS}/clients`, `${AS}/clients/:clientId/tokens`, `${AS}/clients/:clientId/tokens/:tokenId`,
    ],
    "okta.authorizationServers.read",
  ),
  ...each(
    ["POST"],
    [
      AS_LIST, `${AS}/lifecycle/activate`, `${AS}/lifecycle/deactivate`, `${AS}/credentials/lifecycle/keyRotate`,
      `${AS}/policies`, `${POLICY}/lifecycle/activate`, `${POLICY}/lifecycle/deactivate`,
      `${POLICY}/rules`, `${POLICY_RULE}/lifecycle/activate`, `${POLICY_RULE}/lifecycle/deactivate`,
      `${AS}/scopes`, `${AS}/claims`,
    ],
    "okta.authorizationServers.manage",
  ),
  ...each(["PUT", "DELETE"], [AS, POLICY, POLICY_RULE, `${AS}/scopes/:scopeId`, `${AS}/claims/:claimId`], "okta.authorizationServers.manage"),
  ...each(["DELETE"], [`${AS}/clients/:clientId/tokens`, `${AS}/clients/:clientId/tokens/:tokenId`], "okta.authorizationServers.manage"),
];

const index = new Map(scopeTable.map((r) => [`${r.method} ${r.path}`, r]));

export function findScopeRow(method: string, path: string): ScopeRow | undefined {
  return index.get(`${method === "HEAD" ? "GET" : method} ${path}`);
}
