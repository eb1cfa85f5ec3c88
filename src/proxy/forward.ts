import type { AppContext } from "../platform/context";
import type { Upstream } from "./config";
import { callerResponseHeaders, hrefRewriter, upstreamRequestHeaders } from "./rewrite";
import { UpstreamError } from "./upstream-error";

/**
 * One request to the upstream, as the caller made it: method, org-relative
 * path, query, body and headers (upstreamRequestHeaders), with
 * `authorization` in place of the caller's credential in gateway mode. The
 * body is read once and kept, so the request can be sent again after the
 * proxy re-mints its upstream token. The timeout runs until the status line
 * arrives; the body then streams back at the upstream's pace.
 */
export interface Outgoing {
  url: string;
  method: string;
  headers: Headers;
  body: ArrayBuffer | null;
}

export async function outgoingRequest(c: AppContext, upstream: Upstream): Promise<Outgoing> {
  const incoming = new URL(c.req.url);
  const method = c.req.method;
  const body = method === "GET" || method === "HEAD" ? null : await c.req.raw.arrayBuffer();
  return { url: `${upstream.url}${incoming.pathname}${incoming.search}`, method, headers: upstreamRequestHeaders(c.req.raw.headers), body };
}

export async function send(upstream: Upstream, outgoing: Outgoing, authorization?: string): Promise<Response> {
  const headers = new Headers(outgoing.headers);
  if (authorization !== undefined) {
    headers.set("Authorization", authorization);
    // The caller's DPoP proof was made for its own token and the proxy's URL.
    headers.delete("DPoP");
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, upstream.timeoutMs);
  try {
    return await fetch(outgoing.url, {
      method: outgoing.method,
      headers,
      body: outgoing.body && outgoing.body.byteLength ? outgoing.body : outgoing.method === "GET" || outgoing.method === "HEAD" ? null : "",
      redirect: "manual",
      signal: controller.signal,
    });
  } catch (error) {
    throw timedOut ? UpstreamError.timedOut(upstream) : UpstreamError.from(error, upstream);
  } finally {
    clearTimeout(timer);
  }
}

/** The upstream's answer as the caller gets it: status, filtered and rewritten headers, the body streamed with its links rewritten. */
export function relay(response: Response, upstream: Upstream, proxyUrl: string): Response {
  const headers = callerResponseHeaders(response.headers, upstream.url, proxyUrl);
  let body = response.body;
  if (body && (headers.get("content-type") ?? "").includes("json")) body = body.pipeThrough(hrefRewriter(upstream.url, proxyUrl));
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
