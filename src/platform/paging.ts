import { and, eq, gt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { AppContext } from "./context";
import { Errors, validationError } from "./errors";

export interface LimitRule {
  /** Used when the request has no limit. */
  default: number;
  /** A larger limit is clamped to this (documented in the README). */
  max: number;
}

/**
 * `limit`: an integer ≥ 1; above the resource's maximum it is clamped (as Okta
 * does for users); zero, negative or non-numeric → 400 E0000001.
 */
export function readLimit(c: AppContext, rule: LimitRule): number {
  return parseLimit(c.req.query("limit"), rule);
}

/** readLimit for a service that gets the query as plain values. */
export function parseLimit(raw: string | undefined, rule: LimitRule): number {
  if (raw === undefined || raw === "") return rule.default;
  if (!/^-?\d+$/.test(raw) || Number(raw) < 1) {
    throw validationError([`limit: The limit must be a positive integer, got '${raw.slice(0, 40)}'`]);
  }
  return Math.min(Number(raw), rule.max);
}

/**
 * Cursors are opaque to clients: base64url of the sort key of the last row
 * returned (a JSON array, the row id last). Paging is keyset ("after this
 * key"), never offset, so inserts and deletes between pages neither skip nor
 * repeat a row that exists throughout.
 */
export function encodeCursor(key: (string | number | null)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string, arity: number): (string | number | null)[] {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const key = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))));
    if (
      Array.isArray(key) &&
      key.length === arity &&
      key.every((v) => v === null || typeof v === "string" || typeof v === "number")
    ) {
      return key;
    }
  } catch {
    // fall through to the refusal
  }
  throw Errors.invalidPaging(`after: The cursor '${cursor.slice(0, 40)}' is not valid`);
}

/** Reads `after`, if present, as a cursor of the given arity. */
export function readAfter(c: AppContext, arity: number): (string | number | null)[] | undefined {
  return parseAfter(c.req.query("after"), arity);
}

/** readAfter for a service that gets the query as plain values. */
export function parseAfter(after: string | undefined, arity: number): (string | number | null)[] | undefined {
  return after ? decodeCursor(after, arity) : undefined;
}

/** The query string of a list request, as plain values (first of each name). */
export type ListQuery = Readonly<Record<string, string | undefined>>;

/** One page of a list and the cursor of the next, if any: the route sets the Link headers. */
export interface Page<T> {
  items: T[];
  next: string | undefined;
}

/**
 * One page from rows fetched with LIMIT limit + 1: the extra row only says
 * that a next page exists, so the last page never links to an empty one.
 */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number | null)[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : undefined;
  return { items, next };
}

/** Every paged list reads these; the rest of what a list reads it names itself. */
const PAGING_PARAMS = ["limit", "after"];

/** The name of a raw `name=value` query segment, or undefined when it does not decode. */
function segmentName(segment: string): string | undefined {
  const raw = segment.split("=", 1)[0]!;
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * Absolute Link headers on the org URL (REFERENCE §7.3): `self` repeats the
 * list's own parameters as sent, `next` repeats them with `after` set to the
 * cursor. Only the parameters the list reads (`params`, plus limit and
 * after) are echoed, each once (its first occurrence, as the list read it),
 * in the client's own encoding: junk or repeated parameters never make a
 * Link header grow, and with the URI limit (uri-limit.ts) both headers stay
 * within what Node's HTTP client — Okta's Node SDK — accepts.
 */
export function setLinkHeaders(c: AppContext, next: string | undefined, params: readonly string[] = []): void {
  const url = new URL(c.req.url);
  const base = c.var.org.url + url.pathname;
  const wanted = new Set([...params, ...PAGING_PARAMS]);
  const kept = new Map<string, string>();
  for (const segment of url.search.slice(1).split("&")) {
    const name = segmentName(segment);
    if (name !== undefined && wanted.has(name) && !kept.has(name)) kept.set(name, segment);
  }
  const query = (segments: string[]) => (segments.length ? `?${segments.join("&")}` : "");
  c.header("Link", `<${base}${query([...kept.values()])}>; rel="self"`, { append: true });
  if (next !== undefined) {
    kept.delete("after");
    const segments = [...kept.values(), `after=${encodeURIComponent(next)}`];
    c.header("Link", `<${base}${query(segments)}>; rel="next"`, { append: true });
  }
}

/**
 * The keyset predicate of lists ordered by (created, id): rows strictly after
 * the cursor's row. The id breaks ties between rows created in the same
 * millisecond.
 */
export function afterCreated(
  columns: { created: SQLiteColumn; id: SQLiteColumn },
  created: string,
  id: string,
): SQL {
  return or(gt(columns.created, created), and(eq(columns.created, created), gt(columns.id, id)))!;
}
