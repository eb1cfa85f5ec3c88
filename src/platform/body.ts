import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { Errors } from "./errors";
import { matchedRoutePath } from "./matched-route";

/** Bodies over this size are refused before anything parses them. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body as text, refusing it as soon as it is known to be larger
 * than the limit: first by Content-Length, then while streaming (a chunked
 * body has no length to trust).
 */
export async function readBodyText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw Errors.payloadTooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw Errors.payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

function isJsonMediaType(contentType: string | null): boolean {
  // Okta clients send parameters such as "; charset=UTF-8" or "; okta-response=…".
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/json";
}

/**
 * For JSON routes: reads and parses the body of POST/PUT/PATCH once, into
 * c.var.body. An empty body is allowed (lifecycle calls send none). A path
 * that matched no route is answered 404/405 as Okta does, whatever its body.
 */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if ((method === "POST" || method === "PUT" || method === "PATCH") && matchedRoutePath(c)) {
    const text = await readBodyText(c.req.raw);
    if (text.trim() === "") {
      c.set("body", undefined);
    } else {
      if (!isJsonMediaType(c.req.header("content-type") ?? null)) throw Errors.unsupportedMediaType();
      try {
        c.set("body", JSON.parse(text));
      } catch {
        throw Errors.malformedJson();
      }
    }
  }
  await next();
};

/**
 * Reads an application/x-www-form-urlencoded body (OAuth endpoints) with the
 * same size limit. Repeated keys keep their first value, as OAuth requires
 * parameters not be repeated (RFC 6749 §3.1) — the caller checks that.
 */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const text = await readBodyText(request);
  return new URLSearchParams(text);
}
