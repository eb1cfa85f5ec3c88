import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";
import { oktaError } from "./errors";

/**
 * The longest path + query edgeorg reads, in bytes as sent (percent-encoded).
 * Okta's front end refuses long URIs with 414 but publishes no limit. 6 KiB
 * is ours because a list echoes its query in two Link headers (self, next):
 * 2 × 6 KiB plus the other headers stays under the 16 KiB of response
 * headers Node's HTTP client accepts — the client under Okta's Node SDK.
 */
export const MAX_URI_BYTES = 6 * 1024;

/** 414 with Okta's error body; E0000002 is Okta's code for a request that is not valid as a whole. */
export function uriTooLong() {
  return oktaError(414, "E0000002", "The request was not valid: the request URI is too long", [
    `uri: The path and query must not exceed ${MAX_URI_BYTES} bytes`,
  ]);
}

/** Refuses an oversized URI before anything reads it. */
export const uriLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  if (url.pathname.length + url.search.length > MAX_URI_BYTES) throw uriTooLong();
  await next();
};
