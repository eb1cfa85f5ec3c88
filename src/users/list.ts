import { and, asc, desc, eq, gt, inArray, ne, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Db } from "../platform/context";
import { Errors, validationError } from "../platform/errors";
import {
  compileExpression,
  isAttributePath,
  jsonAttribute,
  parseExpression,
  type AttributeSpec,
  type Expr,
  type Op,
  type Value,
} from "../platform/filter";
import { decodeCursor, encodeCursor } from "../platform/paging";
import { userIdsInGroupsQuery } from "../groups/service";
import type { UserRecord } from "./record";
import { users } from "./table";

/**
 * GET /api/v1/users (REFERENCE §1.8). Paging is keyset: by id for the plain
 * list, `filter` and unsorted `search` (the cursor is then the last user id,
 * as on Okta); by (sort key, id) for a sorted search (an opaque cursor).
 */

export interface ListQuery {
  q?: string;
  filter?: string;
  search?: string;
  sortBy?: string;
  sortOrder?: string;
  after?: string;
  limit: number;
  /** Only members of these groups: an admin role limited to group targets (REFERENCE-SIGNIN §7.1). */
  withinGroups?: string[];
}

const DATES = ["created", "activated", "statusChanged", "lastUpdated", "lastLogin", "passwordChanged"] as const;
const DATE_COLUMNS: Record<(typeof DATES)[number], SQLWrapper> = {
  created: users.created,
  activated: users.activated,
  statusChanged: users.statusChanged,
  lastUpdated: users.lastUpdated,
  lastLogin: users.lastLogin,
  passwordChanged: users.passwordChanged,
};
/** Profile attributes with their own lower-cased, indexed column. */
const FOLDED: Record<string, SQLWrapper> = {
  "profile.login": users.loginLower,
  "profile.email": users.emailLower,
  "profile.firstName": users.firstNameLower,
  "profile.lastName": users.lastNameLower,
};

const ORDER_OPS: Op[] = ["eq", "gt", "ge", "lt", "le", "pr"];
const TEXT_OPS: Op[] = ["eq", "sw", "gt", "ge", "lt", "le", "pr"];

function searchAttributes(): Record<string, AttributeSpec> {
  const map: Record<string, AttributeSpec> = {
    id: { column: users.id, type: "string", caseInsensitive: false, ops: ["eq", "sw", "gt", "ge", "lt", "le"] },
    // Statuses are stored upper-case: the value is upper-cased, so `status eq "active"` matches and the index serves it.
    status: {
      column: users.status,
      type: "string",
      caseInsensitive: false,
      normalize: (value) => value.toUpperCase(),
      ops: ["eq", "gt", "ge", "lt", "le"],
    },
    "type.id": { column: users.typeId, type: "string", caseInsensitive: false, ops: ["eq"] },
  };
  for (const name of DATES) map[name] = { column: DATE_COLUMNS[name], type: "date", ops: ORDER_OPS };
  for (const [name, column] of Object.entries(FOLDED)) {
    // `co` only on these four (REFERENCE §1.8).
    map[name] = { column, type: "string", folded: true, ops: [...TEXT_OPS, "co"] };
  }
  return map;
}

/** Any other `profile.x`: read from the lower-cased profile copy; an array matches when any element does. */
function otherProfileAttribute(attr: string, value: Value): AttributeSpec | undefined {
  if (!attr.startsWith("profile.")) return undefined;
  const path = attr.slice("profile.".length);
  const type = typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string";
  return jsonAttribute(users.profileLower, path, { type, folded: true, ops: TEXT_OPS, multiValued: true });
}

function mapExpr(expr: Expr, fn: (leaf: Extract<Expr, { kind: "compare" }>) => Expr): Expr {
  switch (expr.kind) {
    case "and":
    case "or":
      return { kind: expr.kind, left: mapExpr(expr.left, fn), right: mapExpr(expr.right, fn) };
    case "not":
      return { kind: "not", expr: mapExpr(expr.expr, fn) };
    case "present":
      return expr;
    case "compare":
      return fn(expr);
  }
}

export function compileSearch(text: string): SQL {
  return compileExpression(parseExpression(text, { param: "search" }), searchAttributes(), {
    caseInsensitive: true,
    param: "search",
    unknownAttribute: otherProfileAttribute,
  });
}

// Internal names no parsed expression can contain (not an attribute path).
const CI = "#ci:";

/**
 * `filter` is case-sensitive (REFERENCE §1.8). A profile comparison becomes
 * "lower-cased column = lower(value) AND exact value": the first half lets
 * the index find the candidates, the second keeps exact case.
 */
export function compileUserFilter(text: string): SQL {
  const attributes: Record<string, AttributeSpec> = {
    status: { column: users.status, type: "string", ops: ["eq"] },
    lastUpdated: { column: users.lastUpdated, type: "date", ops: ["eq", "gt", "ge", "lt", "le"] },
    id: { column: users.id, type: "string", ops: ["eq"] },
  };
  for (const [name, column] of Object.entries(FOLDED)) {
    attributes[name] = jsonAttribute(users.profile, name.slice("profile.".length), { type: "string", ops: ["eq"] });
    attributes[CI + name] = { column, type: "string", folded: true, caseInsensitive: true, ops: ["eq"] };
  }
  const expr = mapExpr(parseExpression(text, { param: "filter" }), (leaf) =>
    leaf.attr in FOLDED && leaf.op === "eq" && typeof leaf.value === "string"
      ? { kind: "and", left: { ...leaf, attr: CI + leaf.attr }, right: leaf }
      : leaf,
  );
  return compileExpression(expr, attributes, { caseInsensitive: false, param: "filter" });
}

/**
 * The expression a sorted search orders by: never NULL, so the keyset
 * comparison is total. Columns that are never NULL (login, email, first and
 * last name are required; created and lastUpdated always set) are used bare,
 * so that their (org_id, column, id) index can deliver the order.
 */
function sortExpression(sortBy: string): SQL {
  if (sortBy === "id") return sql`${users.id}`;
  if (sortBy === "status") return sql`${users.status}`;
  if (sortBy === "type.id") return sql`${users.typeId}`;
  if (sortBy === "created") return sql`${users.created}`;
  if (sortBy === "lastUpdated") return sql`${users.lastUpdated}`;
  if (sortBy in DATE_COLUMNS) return sql`coalesce(${DATE_COLUMNS[sortBy as keyof typeof DATE_COLUMNS]}, '')`;
  if (sortBy in FOLDED) return sql`${FOLDED[sortBy]!}`;
  if (sortBy.startsWith("profile.") && isAttributePath(sortBy)) {
    return sql`coalesce(json_extract(${users.profileLower}, ${"$." + sortBy.slice("profile.".length)}), '')`;
  }
  throw Errors.invalidSearch(`sortBy: Unsupported attribute '${sortBy.slice(0, 60)}'`);
}

const USER_ID = /^00u[0-9A-Za-z]{17}$/;

export interface ListPage {
  items: UserRecord[];
  next?: string;
}

export async function listUsers(db: Db, orgId: string, query: ListQuery): Promise<ListPage> {
  if (query.search !== undefined && query.filter !== undefined) throw Errors.searchAndFilter();
  const where: (SQL | undefined)[] = [eq(users.orgId, orgId)];
  if (query.withinGroups) where.push(inArray(users.id, userIdsInGroupsQuery(db, orgId, query.withinGroups)));

  if (query.q !== undefined && query.search === undefined && query.filter === undefined) {
    // q: startsWith on first name, last name, email; no paging (REFERENCE §1.8).
    // One query per attribute, each served by its (org_id, column, id) index, in one round trip;
    // an OR of the three ranges would make SQLite scan the whole org by id.
    const prefix = query.q.toLowerCase();
    const upper = prefix + "\u{10FFFF}";
    const perColumn = [users.firstNameLower, users.lastNameLower, users.emailLower].map((column) =>
      db
        .select()
        .from(users)
        .where(and(...where, ne(users.status, "DEPROVISIONED"), sql`${column} >= ${prefix}`, sql`${column} < ${upper}`))
        .orderBy(asc(users.id))
        .limit(query.limit),
    );
    const [a, b, c] = await db.batch([perColumn[0]!, perColumn[1]!, perColumn[2]!]);
    const byId = new Map<string, UserRecord>();
    for (const row of [...a, ...b, ...c]) byId.set(row.id, row);
    const items = [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).slice(0, query.limit);
    return { items };
  }

  let sortKey: SQL | undefined;
  let descending = false;
  if (query.search !== undefined) {
    where.push(compileSearch(query.search));
    if (query.sortBy) {
      sortKey = sortExpression(query.sortBy);
      const order = (query.sortOrder ?? "asc").toLowerCase();
      if (order !== "asc" && order !== "desc") throw validationError(["sortOrder: The value must be 'asc' or 'desc'"]);
      descending = order === "desc";
    }
  } else if (query.filter !== undefined) {
    where.push(compileUserFilter(query.filter));
  } else {
    where.push(ne(users.status, "DEPROVISIONED"));
  }

  if (sortKey) {
    if (query.after) {
      const [key, id] = decodeCursor(query.after, 2) as [string | number, string];
      // Ties are ordered by id ascending in both directions.
      where.push(
        descending
          ? sql`(${sortKey} < ${key} OR (${sortKey} = ${key} AND ${users.id} > ${id}))`
          : sql`(${sortKey} > ${key} OR (${sortKey} = ${key} AND ${users.id} > ${id}))`,
      );
    }
    const rows = await db
      .select({ user: users, key: sql<string | number>`${sortKey}` })
      .from(users)
      .where(and(...where))
      .orderBy(descending ? desc(sortKey) : asc(sortKey), asc(users.id))
      .limit(query.limit + 1)
      .all();
    const items = rows.slice(0, query.limit);
    const last = rows[query.limit - 1];
    return {
      items: items.map((r) => r.user),
      next: rows.length > query.limit && last ? encodeCursor([last.key, last.user.id]) : undefined,
    };
  }

  if (query.after) {
    const afterId = USER_ID.test(query.after) ? query.after : String(decodeCursor(query.after, 1)[0]);
    where.push(gt(users.id, afterId));
  }
  const rows = await db.select().from(users).where(and(...where)).orderBy(asc(users.id)).limit(query.limit + 1).all();
  const items = rows.slice(0, query.limit);
  return { items, next: rows.length > query.limit ? items[items.length - 1]!.id : undefined };
}
