/**
 * The route table: every route of edgeorg, once, with what it takes to call
 * it and what differs per route. The access pipeline looks a request up by
 * its matched route (org prefix removed, findRouteRow below) and
 * authenticate/authorize enforce the row; a route with no row is denied,
 * and a test fails when any registered route lacks one. Paths are Hono
 * patterns as registered.
 *
 * access:
 * - scope: an SSWS token (holds every scope) or an access token holding the
 *   scope or one that implies it (access/scopes.ts). `self`: the `.self`
 *   variant also passes, and the actor then acts on its own user alone
 *   (actor.ts usersActorMayActOn; REFERENCE-SIGNIN §7.2): "own" — the row
 *   only ever names the caller (`/users/me…`, the list filtered to the
 *   caller); "me" — a `/users/:id…` row the `.self` scope reaches only as
 *   `me`; "meOrId" — also as the caller's own id or login.
 *   `session`: the browser's `sid` session also passes when no
 *   Authorization header is sent (okta-auth-js reads `/users/me` with
 *   credentials). `insufficientScope`: the body of the 403 (empty on the
 *   management API; Okta's E0000006 body on client registration,
 *   REFERENCE §4.3);
 * - session: the browser's own session alone, from the `sid` cookie
 *   (`/api/v1/sessions/me…`, REFERENCE-SIGNIN §3.1); no session → 404;
 * - public: no credential (discovery, JWKS) or one the route checks itself
 *   (OAuth client authentication at the token endpoint);
 * - operator: the operator's Bearer token (/_edgeorg), outside any org.
 */
/** How far a `.self` scope reaches on a row (see above); false: the row takes no `.self` scope. */
export type SelfReach = false | "own" | "me" | "meOrId";

export type Access =
  | { kind: "public" }
  | { kind: "operator" }
  | { kind: "session" }
  | { kind: "scope"; scope: string; self: SelfReach; session?: true; insufficientScope: "empty" | "E0000006" };

export interface RouteRow {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  access: Access;
}

export const PUBLIC: Access = { kind: "public" };
export const OPERATOR: Access = { kind: "operator" };
const SESSION: Access = { kind: "session" };
const scope = (name: string): Access => ({ kind: "scope", scope: name, self: false, insufficientScope: "empty" });
/** The scope, or its `.self` variant for the actor's own user, reaching as far as `reach` says. */
const scopeOrSelf = (name: string, reach: Exclude<SelfReach, false> = "own"): Access => ({
  kind: "scope",
  scope: name,
  self: reach,
  insufficientScope: "empty",
});
/** Client registration (/oauth2/v1/clients) answers a missing scope with Okta's E0000006 body. */
const registrationScope = (name: string): Access => ({ kind: "scope", scope: name, self: false, insufficientScope: "E0000006" });

/**
 * The scope a row's insufficient_scope challenge names: the `.self` variant
 * on rows that only ever name the caller, the row's scope otherwise (a
 * `/users/:id` row is about any user, even though `.self` passes for `me`).
 */
export function requiredScope(access: Extract<Access, { kind: "scope" }>): string {
  return access.self === "own" ? `${access.scope}.self` : access.scope;
}

/** The least scope that gets past a row's scope check (its `.self` variant when the row admits one). */
export function leastScope(access: Extract<Access, { kind: "scope" }>): string {
  return access.self ? `${access.scope}.self` : access.scope;
}

const row = (method: RouteRow["method"], path: string, access: Access): RouteRow => ({ method, path, access });
const each = (methods: RouteRow["method"][], paths: string[], access: Access) =>
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

export const routeTable: RouteRow[] = [
  // Edgeorg's own
  row("GET", "/_edgeorg/health", PUBLIC),
  row("GET", "/_edgeorg/orgs", OPERATOR),
  row("POST", "/_edgeorg/orgs", OPERATOR),
  row("PUT", "/_edgeorg/orgs/:slug", OPERATOR),
  row("PATCH", "/_edgeorg/orgs/:slug", OPERATOR),
  row("DELETE", "/_edgeorg/orgs/:slug", OPERATOR),
  row("POST", "/_edgeorg/orgs/:slug/apiTokens", OPERATOR),
  row("POST", "/_edgeorg/keys/reencrypt", OPERATOR),
  row("GET", "/_edgeorg/oauth/stats", OPERATOR),
  row("GET", "/_edgeorg/orgs/:slug/faults", OPERATOR),
  row("POST", "/_edgeorg/orgs/:slug/faults", OPERATOR),
  row("DELETE", "/_edgeorg/orgs/:slug/faults", OPERATOR),
  row("DELETE", "/_edgeorg/orgs/:slug/faults/:faultId", OPERATOR),
  row("GET", "/_edgeorg/orgs/:slug/requests", OPERATOR),
  row("POST", "/_edgeorg/orgs/:slug/serviceApps", OPERATOR),
  // Checks the operator token itself (HTTP Basic, for a browser): src/operator/operator-token.ts
  row("GET", "/_edgeorg/requests-view", PUBLIC),

  // The org describes itself: landing page, API docs, OpenAPI document
  row("GET", "/", PUBLIC),
  row("GET", "/docs", PUBLIC),
  row("GET", "/openapi.json", PUBLIC),

  // Org authorization server (REFERENCE §6): its endpoints authenticate clients themselves
  row("GET", "/.well-known/openid-configuration", PUBLIC),
  row("GET", "/.well-known/oauth-authorization-server", PUBLIC),
  row("POST", "/oauth2/v1/token", PUBLIC),
  row("GET", "/oauth2/v1/keys", PUBLIC),
  row("POST", "/oauth2/v1/introspect", PUBLIC),
  row("POST", "/oauth2/v1/revoke", PUBLIC),
  // authorize: a browser navigation; the user is found by the sid cookie or a sessionToken (§4.4)
  ...each(["GET", "POST"], ["/oauth2/v1/authorize", `${CUSTOM_AS}/v1/authorize`], PUBLIC),
  // the consent page's form: CSRF-checked by its handler
  ...each(["POST"], ["/oauth2/v1/authorize/consent", `${CUSTOM_AS}/v1/authorize/consent`], PUBLIC),
  // userinfo reads its own access token (REFERENCE-SIGNIN §6.3); logout its id_token_hint and the sid cookie (§6.4)
  ...each(["GET", "POST"], ["/oauth2/v1/userinfo", "/oauth2/v1/logout"], PUBLIC),

  // Custom authorization servers' token serving (REFERENCE §5.8)
  row("POST", `${CUSTOM_AS}/v1/token`, PUBLIC),
  row("GET", `${CUSTOM_AS}/v1/keys`, PUBLIC),
  row("POST", `${CUSTOM_AS}/v1/introspect`, PUBLIC),
  row("POST", `${CUSTOM_AS}/v1/revoke`, PUBLIC),
  ...each(["GET", "POST"], [`${CUSTOM_AS}/v1/userinfo`, `${CUSTOM_AS}/v1/logout`], PUBLIC),
  row("GET", `${CUSTOM_AS}/.well-known/openid-configuration`, PUBLIC),
  row("GET", `${CUSTOM_AS}/.well-known/oauth-authorization-server`, PUBLIC),

  // Users (REFERENCE §1; seed table of the OAuth issue)
  // `.self` reaches exactly REFERENCE-SIGNIN §7.2: the list (filtered to the caller), GET/POST me, me's
  // appLinks and groups, GET of the caller's own id, and me's change_password; nothing else.
  row("GET", USERS, scopeOrSelf("okta.users.read")),
  row("POST", USERS, scope("okta.users.manage")),
  row("GET", ME, { kind: "scope", scope: "okta.users.read", self: "own", session: true, insufficientScope: "empty" }),
  row("GET", USER, scopeOrSelf("okta.users.read", "meOrId")),
  row("POST", USER, scopeOrSelf("okta.users.manage", "me")),
  ...each(["PUT", "DELETE"], [USER], scope("okta.users.manage")),
  row("GET", `${USER}/appLinks`, scopeOrSelf("okta.users.read", "me")),
  row("GET", `${USER}/groups`, scopeOrSelf("okta.users.read", "me")),
  ...userCredentials.map((op) => row("POST", `${USER}/credentials/${op}`, scope("okta.users.manage"))),
  row("POST", `${ME}/credentials/change_password`, scopeOrSelf("okta.users.manage")),
  ...["change_recovery_question", "forgot_password"].map((op) => row("POST", `${ME}/credentials/${op}`, scope("okta.users.manage"))),
  ...userLifecycle.map((op) => row("POST", `${USER}/lifecycle/${op}`, scope("okta.users.manage"))),
  row("POST", `${ME}/lifecycle/reset_factors`, scope("okta.users.manage")),

  // Groups (REFERENCE §2): every GET reads, every write manages
  ...each(["GET"], [GROUPS, GROUP, `${GROUP}/users`, `${GROUP}/apps`, `${GROUP}/owners`, GROUP_RULES, GROUP_RULE], scope("okta.groups.read")),
  ...each(["POST"], [GROUPS, GROUP_RULES, `${GROUP}/owners`, `${GROUP_RULE}/lifecycle/activate`, `${GROUP_RULE}/lifecycle/deactivate`], scope("okta.groups.manage")),
  ...each(["PUT"], [GROUP, `${GROUP}/users/:userId`, GROUP_RULE], scope("okta.groups.manage")),
  ...each(["DELETE"], [GROUP, `${GROUP}/users/:userId`, GROUP_RULE, `${GROUP}/owners/:ownerId`], scope("okta.groups.manage")),

  // Apps and their grants (REFERENCE §3)
  ...each(["GET"], [APPS, APP], scope("okta.apps.read")),
  ...each(["POST"], [APPS, `${APP}/lifecycle/activate`, `${APP}/lifecycle/deactivate`], scope("okta.apps.manage")),
  ...each(["PUT", "DELETE"], [APP], scope("okta.apps.manage")),
  ...each(["GET"], [`${APP}/grants`, `${APP}/grants/:grantId`], scope("okta.appGrants.read")),
  row("POST", `${APP}/grants`, scope("okta.appGrants.manage")),
  row("DELETE", `${APP}/grants/:grantId`, scope("okta.appGrants.manage")),

  // OAuth clients, dynamic client registration (REFERENCE §4)
  ...each(["GET"], [CLIENTS, CLIENT], registrationScope("okta.clients.read")),
  row("POST", CLIENTS, registrationScope("okta.clients.register")),
  ...each(["PUT", "DELETE"], [CLIENT], registrationScope("okta.clients.manage")),
  row("POST", `${CLIENT}/lifecycle/newSecret`, registrationScope("okta.clients.manage")),

  // API tokens (SSWS), OpenAPI ApiToken
  ...each(["GET"], ["/api/v1/api-tokens", "/api/v1/api-tokens/:apiTokenId"], scope("okta.apiTokens.read")),
  ...each(["DELETE"], ["/api/v1/api-tokens/current", "/api/v1/api-tokens/:apiTokenId"], scope("okta.apiTokens.manage")),

  // Admin role assignments and their targets (REFERENCE-SIGNIN §8.1), for users, groups and service clients
  // (under /oauth2/v1/clients a missing scope gets Okta's E0000006 body, as on the rest of that path)
  ...[USER, GROUP, CLIENT].flatMap((holder) => {
    const ROLE = `${holder}/roles/:roleAssignmentId`;
    const needs = holder === CLIENT ? registrationScope : scope;
    return [
      ...each(["GET"], [`${holder}/roles`, ROLE, `${ROLE}/targets/groups`, `${ROLE}/targets/catalog/apps`], needs("okta.roles.read")),
      row("POST", `${holder}/roles`, needs("okta.roles.manage")),
      row("DELETE", ROLE, needs("okta.roles.manage")),
      ...each(
        ["PUT", "DELETE"],
        [`${ROLE}/targets/groups/:targetGroupId`, `${ROLE}/targets/catalog/apps/:appName`, `${ROLE}/targets/catalog/apps/:appName/:appId`],
        needs("okta.roles.manage"),
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
    scope("okta.authorizationServers.read"),
  ),
  ...each(
    ["POST"],
    [
      AS_LIST, `${AS}/lifecycle/activate`, `${AS}/lifecycle/deactivate`, `${AS}/credentials/lifecycle/keyRotate`,
      `${AS}/policies`, `${POLICY}/lifecycle/activate`, `${POLICY}/lifecycle/deactivate`,
      `${POLICY}/rules`, `${POLICY_RULE}/lifecycle/activate`, `${POLICY_RULE}/lifecycle/deactivate`,
      `${AS}/scopes`, `${AS}/claims`,
    ],
    scope("okta.authorizationServers.manage"),
  ),
  ...each(["PUT", "DELETE"], [AS, POLICY, POLICY_RULE, `${AS}/scopes/:scopeId`, `${AS}/claims/:claimId`], scope("okta.authorizationServers.manage")),
  ...each(["DELETE"], [`${AS}/clients/:clientId/tokens`, `${AS}/clients/:clientId/tokens/:tokenId`], scope("okta.authorizationServers.manage")),

  // Authentication API (REFERENCE-SIGNIN §2): anonymous, or a trusted app's API token read by the handler
  ...["", "/credentials/change_password", "/credentials/reset_password", "/recovery/password", "/recovery/token", "/recovery/answer", "/cancel"].map(
    (path) => row("POST", `/api/v1/authn${path}`, PUBLIC),
  ),

  // Sessions (REFERENCE-SIGNIN §3): /me is the browser's own session, read from the sid cookie by the pipeline
  row("POST", "/api/v1/sessions", PUBLIC),
  row("GET", "/api/v1/sessions/me", SESSION),
  row("DELETE", "/api/v1/sessions/me", SESSION),
  row("POST", "/api/v1/sessions/me/lifecycle/refresh", SESSION),
  row("GET", "/api/v1/sessions/:sessionId", scope("okta.sessions.read")),
  row("DELETE", "/api/v1/sessions/:sessionId", scope("okta.sessions.manage")),
  row("POST", "/api/v1/sessions/:sessionId/lifecycle/refresh", scope("okta.sessions.manage")),
  row("DELETE", `${USER}/sessions`, scope("okta.users.manage")),

  // Hosted pages (REFERENCE-SIGNIN §3.4, §2.7): browsers, cookie and CSRF checked by the pages
  ...each(["GET", "POST"], ["/login/login.htm", "/welcome/:token", "/signin/reset-password/:token"], PUBLIC),
  row("POST", "/login/change-password", PUBLIC),
  row("GET", "/app/UserHome", PUBLIC),
  row("POST", "/login/signout", PUBLIC),
  row("GET", "/login/signed-out", PUBLIC),
  row("GET", "/login/sessionCookieRedirect", PUBLIC),

  // App assignments (REFERENCE-SIGNIN §9)
  ...each(["GET"], [`${APP}/users`, `${APP}/users/:userId`, `${APP}/groups`, `${APP}/groups/:groupId`], scope("okta.apps.read")),
  ...each(["POST"], [`${APP}/users`, `${APP}/users/:userId`], scope("okta.apps.manage")),
  row("PUT", `${APP}/groups/:groupId`, scope("okta.apps.manage")),
  ...each(["DELETE"], [`${APP}/users/:userId`, `${APP}/groups/:groupId`], scope("okta.apps.manage")),

  // Trusted origins
  ...each(["GET"], ["/api/v1/trustedOrigins", "/api/v1/trustedOrigins/:trustedOriginId"], scope("okta.trustedOrigins.read")),
  ...each(
    ["POST"],
    ["/api/v1/trustedOrigins", "/api/v1/trustedOrigins/:trustedOriginId/lifecycle/activate", "/api/v1/trustedOrigins/:trustedOriginId/lifecycle/deactivate"],
    scope("okta.trustedOrigins.manage"),
  ),
  ...each(["PUT", "DELETE"], ["/api/v1/trustedOrigins/:trustedOriginId"], scope("okta.trustedOrigins.manage")),
];

const index = new Map(routeTable.map((r) => [`${r.method} ${r.path}`, r]));

export function findRouteRow(method: string, path: string): RouteRow | undefined {
  return index.get(`${method === "HEAD" ? "GET" : method} ${path}`);
}
