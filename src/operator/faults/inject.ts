import type { MiddlewareHandler } from "hono";
import type { AppEnv, Db } from "../../platform/context";
import { oktaError } from "../../platform/errors";
import { activeRules, consumeHit, type CompiledRule } from "./service";

/** The fault a request was given, for the request log. */
const injected = new WeakMap<Request, string>();
export const faultOf = (request: Request): string | null => injected.get(request) ?? null;

/**
 * Failure injection, per org. Runs once the org is known (rules are the
 * org's) and before authentication: a rate limiter or a failing edge answers
 * before any credential is looked at, so an SDK sees the fault whatever it
 * sends — its token request included — and a faulted call costs no token
 * verification. The operator API (/_edgeorg) is never faulted.
 */
export const injectFaults: MiddlewareHandler<AppEnv> = async (c, next) => {
  // The org step set the org for every matched route but the operator's; unmatched paths pass.
  const org = c.get("org");
  if (!org) return next();
  const path = new URL(c.req.url).pathname;
  const rule = await firstHit(c.var.db, await activeRules(c.var.db, org.id), c.req.method, path);
  if (!rule) return next();
  injected.set(c.req.raw, rule.fault);
  if (rule.latencyMs) await new Promise((resolve) => setTimeout(resolve, rule.latencyMs!));
  switch (rule.fault) {
    case "rateLimit":
      throw rateLimited(rule.resetSeconds ?? 1);
    case "serverError":
      throw oktaError(rule.status ?? 500, "E0000009", "Internal Server Error");
    case "drop":
      return dropped();
    default:
      return next();
  }
};

async function firstHit(db: Db, rules: CompiledRule[], method: string, path: string) {
  for (const rule of rules) {
    if (rule.method !== "*" && rule.method !== method && !(rule.method === "GET" && method === "HEAD")) continue;
    if (!rule.regex.test(path)) continue;
    if (rule.probability < 1 && Math.random() >= rule.probability) continue;
    if (await consumeHit(db, rule)) return rule;
  }
  return undefined;
}

/**
 * Okta's 429 (REFERENCE §6.5, §7.5): E0000047 with an empty bucket that
 * refills `resetSeconds` from now. Okta's SDKs wait X-Rate-Limit-Reset minus
 * the Date header, so both are sent.
 */
function rateLimited(resetSeconds: number) {
  const now = Date.now();
  return oktaError(429, "E0000047", "API call exceeded rate limit due to too many requests.", [], {
    "X-Rate-Limit-Limit": "600",
    "X-Rate-Limit-Remaining": "0",
    "X-Rate-Limit-Reset": String(Math.floor(now / 1000) + resetSeconds),
    Date: new Date(now).toUTCString(),
  });
}

/**
 * A dropped connection, as near as a Worker gets: the status line and headers
 * go out, then the body stream fails after a few bytes, so the runtime cuts
 * the connection mid-response. Clients see what a reset connection gives them
 * (Node's fetch: "terminated"); a Worker cannot close a socket before answering.
 */
function dropped(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"'));
      // A moment later, so the status line and first bytes are on the wire: a proxy in front
      // (wrangler dev's) retries a request that failed before answering, and would hide the drop.
      setTimeout(() => controller.error(new Error("edgeorg fault injection: connection dropped")), 50);
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
}
