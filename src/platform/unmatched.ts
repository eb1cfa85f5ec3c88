import type { Hono } from "hono";
import type { AppEnv } from "./context";
import { Errors } from "./errors";

type Pattern = { method: string; regex: RegExp };

/**
 * Hono answers an unmatched method like an unmatched path. To tell them
 * apart (404 E0000008 vs 405 E0000022 with Allow), the registered routes are
 * compiled once into matchers and asked which methods the path has.
 */
export function unmatchedHandler(app: Hono<AppEnv>) {
  let patterns: Pattern[] | undefined;
  return (path: string) => {
    patterns ??= app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => ({ method: r.method, regex: toRegex(r.path) }));
    const allow = [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
    if (allow.length === 0) return Errors.pathNotFound();
    if (allow.includes("GET") && !allow.includes("HEAD")) allow.push("HEAD");
    return Errors.methodNotAllowed(allow);
  };
}

function toRegex(path: string): RegExp {
  const source = path
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".*";
      const param = /^:[^{]+(?:\{(.+)\})?$/.exec(segment);
      if (param) return param[1] ? `(?:${param[1]})` : "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}/?$`);
}
