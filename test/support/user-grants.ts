import { expect } from "vitest";
import { call, createOrg, type Reply, type TestOrg } from "./http";
import { nativeAppBody } from "./oidc-app-body";
import { postForm } from "./oauth";

/**
 * User grants through the real endpoints: an org with a user, an app that
 * may use the password grant, the user assigned to it, and custom servers
 * whose access policy lets users in — the setup every user-token test shares.
 */
export const USER_PASSWORD = "Tr0ub4dor&3x";
const AS = "/api/v1/authorizationServers";

export interface UserApp {
  appId: string;
  clientId: string;
  secret: string;
  basic: string;
}

let n = 0;
export function uniqueLogin(): string {
  n += 1;
  return `ut.${Date.now().toString(36)}${n}@example.com`;
}

export async function api(org: TestOrg, method: string, path: string, body?: unknown): Promise<Reply> {
  return call(method, path, { orgUrl: org.orgUrl, auth: org.ssws, body });
}

/** An ACTIVE user with USER_PASSWORD; `profile` adds or overrides attributes. */
export async function newUser(org: TestOrg, profile: Record<string, unknown> = {}): Promise<any> {
  const login = uniqueLogin();
  const reply = await api(org, "POST", "/api/v1/users?activate=true", {
    profile: { firstName: "Ada", lastName: "Lovelace", email: login, login, ...profile },
    credentials: { password: { value: USER_PASSWORD } },
  });
  expect(reply.status, reply.text).toBe(200);
  return reply.body;
}

/** A native app with a client secret and the password and refresh_token grants (native apps must have authorization_code too). */
export async function newUserApp(org: TestOrg, oauthClient: Record<string, unknown> = {}): Promise<UserApp> {
  const reply = await api(org, "POST", "/api/v1/apps", nativeAppBody(`native-${crypto.randomUUID().slice(0, 8)}`, oauthClient));
  expect(reply.status, reply.text).toBe(200);
  const clientId = reply.body.credentials.oauthClient.client_id;
  const secret = reply.body.credentials.oauthClient.client_secret;
  return { appId: reply.body.id, clientId, secret, basic: `Basic ${btoa(`${clientId}:${secret}`)}` };
}

export async function assign(org: TestOrg, app: UserApp, userId: string): Promise<void> {
  const reply = await api(org, "POST", `/api/v1/apps/${app.appId}/users`, { id: userId });
  expect(reply.status, reply.text).toBe(200);
}

/** An org, a user assigned to a password-grant app. */
export async function userSetup(profile: Record<string, unknown> = {}, oauthClient: Record<string, unknown> = {}) {
  const org = await createOrg();
  const user = await newUser(org, profile);
  const app = await newUserApp(org, oauthClient);
  await assign(org, app, user.id);
  return { org, user, app };
}

/** POST {base}/v1/token with the password grant; base = "/oauth2" (org server) or "/oauth2/{id}". */
export function passwordGrant(org: TestOrg, base: string, app: UserApp, username: string, scope: string, extra: Record<string, string> = {}) {
  return postForm(org, `${base}/v1/token`, { grant_type: "password", username, password: USER_PASSWORD, scope, ...extra }, { Authorization: app.basic });
}

export function refreshGrant(org: TestOrg, base: string, app: UserApp, refreshToken: string, extra: Record<string, string> = {}) {
  return postForm(org, `${base}/v1/token`, { grant_type: "refresh_token", refresh_token: refreshToken, ...extra }, { Authorization: app.basic });
}

export async function newServer(org: TestOrg, audience = "api://users"): Promise<string> {
  const reply = await api(org, "POST", AS, { name: `as-${crypto.randomUUID().slice(0, 8)}`, description: "d", audiences: [audience] });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id;
}

export async function addScope(org: TestOrg, server: string, body: Record<string, unknown>) {
  const reply = await api(org, "POST", `${AS}/${server}/scopes`, body);
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

export async function addClaim(org: TestOrg, server: string, body: Record<string, unknown>) {
  const reply = await api(org, "POST", `${AS}/${server}/claims`, { status: "ACTIVE", alwaysIncludeInToken: true, conditions: { scopes: [] }, ...body });
  expect(reply.status, reply.text).toBe(201);
  return reply.body;
}

export async function addPolicy(org: TestOrg, server: string, clients: string[] = ["ALL_CLIENTS"], extra: Record<string, unknown> = {}) {
  const reply = await api(org, "POST", `${AS}/${server}/policies`, {
    name: `p-${crypto.randomUUID().slice(0, 6)}`,
    description: "d",
    conditions: { clients: { include: clients } },
    ...extra,
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
}

export interface RuleOptions {
  grantTypes?: string[];
  scopes?: string[];
  people?: Record<string, unknown>;
  token?: Record<string, number>;
  priority?: number;
}

export async function addRule(org: TestOrg, server: string, policy: string, options: RuleOptions = {}) {
  const reply = await api(org, "POST", `${AS}/${server}/policies/${policy}/rules`, {
    type: "RESOURCE_ACCESS",
    name: `r-${crypto.randomUUID().slice(0, 6)}`,
    ...(options.priority ? { priority: options.priority } : {}),
    conditions: {
      people: options.people ?? { groups: { include: ["EVERYONE"] } },
      grantTypes: { include: options.grantTypes ?? ["password"] },
      scopes: { include: options.scopes ?? ["*"] },
    },
    ...(options.token ? { actions: { token: options.token } } : {}),
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body.id as string;
}

/** A custom server whose one policy lets every user of every client use the password grant for any scope. */
export async function passwordServer(org: TestOrg, rule: RuleOptions = {}, audience?: string): Promise<string> {
  const server = await newServer(org, audience);
  const policy = await addPolicy(org, server);
  await addRule(org, server, policy, rule);
  return server;
}
