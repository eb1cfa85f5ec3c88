import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";

/** Origin of every test request; the default org's URL. */
export const ORIGIN = "https://edgeorg.test";

export const OPERATOR = `Bearer ${env.OPERATOR_TOKEN}`;
export const BOOTSTRAP_SSWS = `SSWS ${env.BOOTSTRAP_API_TOKEN}`;

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  /** Full Authorization header value; defaults to the default org's SSWS token. Pass null for none. */
  auth?: string | null;
  /** Serialised as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Org URL the path is relative to (another org's orgUrl). */
  orgUrl?: string;
  /** "manual" to see a redirect instead of following it (pages, sessionCookieRedirect). */
  redirect?: "follow" | "manual";
}

/** A request through the worker's real fetch handler (exports.default.fetch). */
export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers = new Headers(options.headers);
  const auth = options.auth === undefined ? BOOTSTRAP_SSWS : options.auth;
  if (auth !== null) headers.set("Authorization", auth);
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  const url = path.startsWith("http") ? path : (options.orgUrl ?? ORIGIN) + path;
  const response = await exports.default.fetch(new Request(url, { method, headers, body, redirect: options.redirect }));
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export interface TestOrg {
  id: string;
  slug: string;
  orgUrl: string;
  apiToken: string;
  /** Authorization header value for the org's API token. */
  ssws: string;
}

/** A fresh org made through the operator API. */
export async function createOrg(body: Record<string, unknown> = {}): Promise<TestOrg> {
  const reply = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body });
  if (reply.status !== 201) throw new Error(`org creation failed: ${reply.status} ${reply.text}`);
  return { ...reply.body, ssws: `SSWS ${reply.body.apiToken}` };
}

/** Parses a Link header into rel → absolute URL. */
export function links(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (headers.get("link") ?? "").split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part);
    if (match) out[match[2]!] = match[1]!;
  }
  return out;
}
