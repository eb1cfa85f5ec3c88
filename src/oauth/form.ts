import type { AppContext } from "../platform/context";
import { oauthError } from "../platform/errors";
import { readForm } from "../platform/body";

/**
 * The body of an OAuth endpoint (token, introspect, revoke): must be
 * application/x-www-form-urlencoded, and no parameter may be repeated
 * (RFC 6749 §3.1).
 */
export async function readOAuthForm(c: AppContext): Promise<URLSearchParams> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw oauthError(400, "invalid_request", "The request must be sent with Content-Type application/x-www-form-urlencoded.");
  }
  const form = await readForm(c.req.raw);
  const seen = new Set<string>();
  for (const key of form.keys()) {
    if (seen.has(key)) throw oauthError(400, "invalid_request", `The '${key}' parameter must not be repeated.`);
    seen.add(key);
  }
  return form;
}
