import { base64url } from "jose";
import { expect } from "vitest";
import { webAppBody } from "../../apps/fixtures";
import { call, type Reply } from "../../support/http";
import { activeUser, anon, authn, browserSignIn } from "../../signin/helpers";
import { newCtx, type Ctx } from "../../users/helpers";

/** The two kinds of server /authorize is built once for. */
export const SERVERS = [
  { kind: "org", base: "/oauth2/v1", id: "org" },
  { kind: "custom", base: "/oauth2/default/v1", id: "default" },
] as const;
export type ServerRef = (typeof SERVERS)[number];

export const REDIRECT = "https://app.example.com/callback";

export interface Setup {
  ctx: Ctx;
  user: any;
  app: any;
  clientId: string;
  clientSecret: string;
}

/** An org with an ACTIVE user assigned to a web app (code + implicit, client_secret_basic). */
export async function setup(overrides: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}): Promise<Setup> {
  const ctx = await newCtx();
  const user = await activeUser(ctx);
  const body = webAppBody("Acme Dashboard", {
    grant_types: ["authorization_code", "implicit", "refresh_token"],
    response_types: ["code", "token", "id_token"],
    redirect_uris: [REDIRECT],
    ...overrides,
  });
  Object.assign(body.credentials.oauthClient, credentials);
  const created = await ctx.req("POST", "/api/v1/apps", body);
  expect(created.status, created.text).toBe(200);
  const app = created.body;
  const assigned = await ctx.req("POST", `/api/v1/apps/${app.id}/users`, { id: user.id });
  expect(assigned.status, assigned.text).toBe(200);
  return { ctx, user, app, clientId: app.credentials.oauthClient.client_id, clientSecret: app.credentials.oauthClient.client_secret };
}

export async function signedIn(s: Setup): Promise<string> {
  const { sid } = await browserSignIn(s.ctx, s.user.profile.login);
  expect(sid).toBeTruthy();
  return sid!;
}

export async function sessionToken(s: Setup): Promise<string> {
  const reply = await authn(s.ctx, s.user.profile.login);
  expect(reply.status, reply.text).toBe(200);
  return reply.body.sessionToken;
}

export async function pkce() {
  const verifier = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

/** The usual parameters of a code request, overridable; `undefined` removes one. */
export function codeParams(s: Setup, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const params: Record<string, string | undefined> = {
    client_id: s.clientId,
    response_type: "code",
    scope: "openid profile",
    redirect_uri: REDIRECT,
    state: "st-1",
    nonce: "n-1",
    ...extra,
  };
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

export function authorize(s: Setup, server: ServerRef, params: Record<string, string>, sid?: string): Promise<Reply> {
  const headers: Record<string, string> = sid ? { Cookie: `sid=${sid}` } : {};
  return anon(s.ctx, "GET", `${server.base}/authorize?${new URLSearchParams(params)}`, undefined, headers);
}

/** The values of a redirect's query (or fragment, when `fragment`). */
export function redirected(reply: Reply, fragment = false): { url: URL; values: Record<string, string> } {
  expect(reply.status, reply.text).toBe(302);
  const url = new URL(reply.headers.get("location")!);
  const source = fragment ? url.hash.slice(1) : url.search.slice(1);
  return { url, values: Object.fromEntries(new URLSearchParams(source)) };
}

/** A code for the signed-in user, through /authorize. */
export async function codeFor(s: Setup, server: ServerRef, sid: string, extra: Record<string, string | undefined> = {}) {
  const reply = await authorize(s, server, codeParams(s, extra), sid);
  const { values } = redirected(reply);
  expect(values.code, JSON.stringify(values)).toBeTruthy();
  return values.code!;
}

export function basic(s: Setup): string {
  return `Basic ${btoa(`${s.clientId}:${s.clientSecret}`)}`;
}

/** POST …/token with a form. */
export function tokenRequest(s: Setup, server: ServerRef, form: Record<string, string>, auth: string | null = basic(s), headers: Record<string, string> = {}): Promise<Reply> {
  return call("POST", `${server.base}/token`, {
    orgUrl: s.ctx.org.orgUrl,
    auth,
    body: new URLSearchParams(form).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
}
