import type { Context } from "hono";
import { matchedRoutes } from "hono/route";

/**
 * The route pattern a request matched, or undefined when it matched none and
 * is on its way to the 404/405 handler. Middleware registered with `use`
 * runs for unmatched paths too: nothing the guard sets (org, principal) is
 * there for them, so middleware asks this before reading any of it.
 */
export function matchedRoutePath(c: Context): string | undefined {
  return matchedRoutes(c).find((r) => r.method !== "ALL")?.path;
}
