import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../platform/context";
import { Errors } from "../platform/errors";
import { findRouteRow } from "./route-table";

/**
 * First step of the access pipeline: the matched route's row of the route
 * table goes on the context (`c.var.route`), and every later step reads it.
 * A matched route with no row is denied; an unmatched path falls through to
 * the 404/405 handler, and the later steps let it pass.
 */
export const routeRow: MiddlewareHandler<AppEnv> = async (c, next) => {
  const route = matchedRoutes(c).find((r) => r.method !== "ALL");
  if (!route) return next();
  const row = findRouteRow(c.req.method, route.path);
  if (!row) throw Errors.forbidden();
  c.set("route", row);
  return next();
};
