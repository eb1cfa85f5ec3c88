import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppContext, AppEnv } from "../../platform/context";
import { ApiError } from "../../platform/errors";
import { faultOf } from "../faults/inject";
import { loggablePath } from "./redact";
import type { RequestLogEntry } from "./table";
import { nextSeq, record } from "./writer";

/**
 * Records every request addressed to an org (the operator API is not an
 * org's) once its answer is known. The write happens after the response,
 * under waitUntil.
 */
export const logRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (new URL(c.req.url).pathname.startsWith("/_edgeorg")) return next();
  const at = Date.now();
  const seq = nextSeq();
  await next();
  const org = c.get("org");
  if (!org) return;
  const route = matchedRoutes(c).find((r) => r.method !== "ALL")?.path;
  const error = await errorOf(c);
  const actor = actorOf(c);
  const entry: RequestLogEntry = {
    orgId: org.id,
    requestId: c.var.requestId,
    at,
    seq,
    method: c.req.method,
    path: loggablePath(new URL(c.req.url), route),
    status: c.res.status,
    actorKind: actor?.kind ?? null,
    actorId: actor?.id ?? null,
    clientId: actor?.clientId ?? null,
    errorCode: error?.code ?? null,
    errorSummary: error?.summary?.slice(0, 300) ?? null,
    fault: faultOf(c.req.raw),
    latencyMs: Date.now() - at,
  };
  record(c.var.bookkeepingDb, waitUntilOf(c), entry);
};

/** The request's waitUntil; a bare app.request() in a unit test has none, and then the write just runs. */
function waitUntilOf(c: AppContext): (promise: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return () => {};
  }
}

/**
 * Who called, by id only: the admin behind an SSWS token, the user or the
 * client behind an access token, the user of a browser session. Never the
 * credential itself.
 */
function actorOf(c: AppContext): { kind: string; id: string; clientId?: string } | null {
  const actor = c.get("actor");
  if (!actor) return null;
  if (actor.kind === "admin") return { kind: "admin", id: actor.userId };
  if (actor.via === "session") return { kind: "user", id: actor.userId };
  if (actor.kind === "user") return { kind: "user", id: actor.userId, clientId: actor.clientId };
  return { kind: "client", id: actor.clientId, clientId: actor.clientId };
}

/** Why the answer failed: Okta's errorCode, OAuth's error, or the challenge of an empty 401/403. */
async function errorOf(c: AppContext): Promise<{ code: string; summary?: string } | null> {
  if (c.res.status < 400) return null;
  let body: Record<string, unknown> | null = null;
  if (c.error instanceof ApiError) body = c.error.body as Record<string, unknown> | null;
  else if (c.res.headers.get("content-type")?.includes("json")) {
    // Errors not thrown (the 404/405 handler) are small JSON bodies: read a copy.
    body = await c.res.clone().json<Record<string, unknown>>().catch(() => null);
  }
  if (body && typeof body.errorCode === "string") return { code: body.errorCode, summary: String(body.errorSummary ?? "") };
  if (body && typeof body.error === "string") return { code: body.error, summary: String(body.error_description ?? "") };
  const challenge = c.res.headers.get("www-authenticate") ?? "";
  const code = /error="([^"]*)"/.exec(challenge)?.[1];
  if (!code) return null;
  const scope = /scope="([^"]*)"/.exec(challenge)?.[1];
  return { code, summary: code === "insufficient_scope" && scope ? `The route needs the scope ${scope}` : /error_description="([^"]*)"/.exec(challenge)?.[1] };
}
