import { listTargets } from "../access/roles/service";
import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import {
  compileFilter,
  isAttributePath,
  jsonAttribute,
  type AttributeSpec,
  type Op,
} from "../platform/filter";
import type { Db, Org } from "../platform/context";
import { Errors, validationError } from "../platform/errors";
import { pageOf, parseAfter, parseLimit, type ListQuery, type Page } from "../platform/paging";
import { embedsOf, readExpand, usersCountSql } from "./groups";
import { groupJson, type GroupRow } from "./json";
import { groups } from "./table";

/**
 * GET /api/v1/groups (REFERENCE §2.4). Limits (⚠ §7.3): plain, filter and
 * search pages default to and are capped at 10000; `q` defaults to 300 (the
 * current spec) and is never paged.
 */
export const GROUP_LIST_LIMIT = { default: 10000, max: 10000 };
export const GROUP_QUERY_LIMIT = { default: 300, max: 10000 };

const DATE_OPS: readonly Op[] = ["eq", "gt", "ge", "lt", "le"];

const filterAttributes: Record<string, AttributeSpec> = {
  id: { column: groups.id, type: "string", ops: ["eq"] },
  type: { column: groups.type, type: "string", ops: ["eq"] },
  lastUpdated: { column: groups.lastUpdated, type: "date", ops: DATE_OPS },
  lastMembershipUpdated: { column: groups.lastMembershipUpdated, type: "date", ops: DATE_OPS },
};

const searchAttributes: Record<string, AttributeSpec> = {
  id: { column: groups.id, type: "string", ops: ["eq", "sw"], caseInsensitive: false },
  type: { column: groups.type, type: "string", ops: ["eq", "sw"] },
  created: { column: groups.created, type: "date", ops: DATE_OPS },
  lastUpdated: { column: groups.lastUpdated, type: "date", ops: DATE_OPS },
  lastMembershipUpdated: { column: groups.lastMembershipUpdated, type: "date", ops: DATE_OPS },
  "profile.name": { column: groups.nameLower, type: "string", ops: ["eq", "sw", "co", "pr"], folded: true },
  "profile.description": jsonAttribute(groups.profile, "description", { type: "string", ops: ["eq", "sw", "co", "pr"] }),
  // Only APP_GROUPs have a source app; edgeorg has none, so nothing matches.
  "source.id": { column: sql`NULL`, type: "string", ops: ["eq"] },
};

function profileAttribute(attr: string, value: unknown): AttributeSpec | undefined {
  if (!attr.startsWith("profile.")) return undefined;
  const name = attr.slice("profile.".length);
  if (!isAttributePath(name) || name.includes(".")) return undefined;
  const type = typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string";
  return jsonAttribute(groups.profile, name, { type, ops: ["eq", "sw", "pr"], multiValued: true });
}

/** sortBy: any single property (spec); profile values are compared as stored, names case-insensitively. */
function sortColumn(sortBy: string): SQLWrapper {
  switch (sortBy) {
    case "id":
      return groups.id;
    case "type":
      return groups.type;
    case "created":
      return groups.created;
    case "lastUpdated":
      return groups.lastUpdated;
    case "lastMembershipUpdated":
      return groups.lastMembershipUpdated;
    case "profile.name":
      return groups.nameLower;
  }
  const name = sortBy.startsWith("profile.") ? sortBy.slice(8) : "";
  if (!isAttributePath(name) || name.includes(".")) {
    throw validationError([`sortBy: Unsupported sort attribute '${sortBy.slice(0, 60)}'`]);
  }
  return sql`coalesce(json_extract(${groups.profile}, ${"$." + name}), '')`;
}

const selection = { group: groups, usersCount: usersCountSql };

/**
 * GET /api/v1/groups: `q`, `filter` or `search`, `sortBy`/`sortOrder`, `expand`, `limit`, `after`.
 * `withinGroupIds`: only these groups (an admin role limited to group targets).
 */
export async function listGroups(db: Db, org: Org, query: ListQuery, withinGroupIds?: string[]): Promise<Page<object>> {
  const orgId = org.id;
  const { q, filter, search } = query;
  const given = [q, filter, search].filter((v) => v !== undefined).length;
  if (given > 1) throw Errors.searchAndFilter();
  const expand = readExpand(query.expand);
  const stats = expand.stats;
  // A role limited to group targets lists only those groups (REFERENCE-SIGNIN §7.1).
  const within = withinGroupIds ? inArray(groups.id, withinGroupIds) : undefined;
  const render = (rows: { group: GroupRow; usersCount?: number }[]) =>
    rows.map((r) => groupJson(org, r.group, embedsOf(expand, stats ? r.usersCount : undefined)));

  if (q !== undefined) {
    // Auto-complete: name prefix, exact match first, one page only.
    const limit = parseLimit(query.limit, GROUP_QUERY_LIMIT);
    const prefix = q.toLowerCase();
    const rows = await db
      .select(stats ? selection : { group: groups })
      .from(groups)
      // A range on the (org_id, name_lower, id) index: U+10FFFF sorts after every character a name can hold.
      .where(and(eq(groups.orgId, orgId), within, gte(groups.nameLower, prefix), lt(groups.nameLower, prefix + "\u{10FFFF}")))
      .orderBy(sql`${groups.nameLower} <> ${prefix}`, asc(groups.nameLower), asc(groups.id))
      .limit(limit)
      .all();
    return { items: render(rows), next: undefined };
  }

  const limit = parseLimit(query.limit, GROUP_LIST_LIMIT);
  const conditions: (SQL | undefined)[] = [eq(groups.orgId, orgId), within];
  if (filter !== undefined) {
    conditions.push(compileFilter(filter, filterAttributes, { caseInsensitive: false, param: "filter" }));
  }
  if (search !== undefined) {
    conditions.push(
      compileFilter(search, searchAttributes, {
        caseInsensitive: true,
        param: "search",
        unknownAttribute: (attr, value) => profileAttribute(attr, value),
      }),
    );
  }

  const sortBy = search !== undefined ? query.sortBy : undefined;
  if (sortBy !== undefined && sortBy !== "" && sortBy !== "id") {
    const sortOrder = (query.sortOrder ?? "asc").toLowerCase();
    if (sortOrder !== "asc" && sortOrder !== "desc") {
      throw validationError([`sortOrder: Must be 'asc' or 'desc', got '${sortOrder.slice(0, 20)}'`]);
    }
    const column = sortColumn(sortBy);
    const after = parseAfter(query.after, 2);
    if (after) {
      const [value, id] = after as [string | number | null, string];
      const cmp = sortOrder === "asc" ? gt : lt;
      conditions.push(or(sql`${column} ${sql.raw(sortOrder === "asc" ? ">" : "<")} ${value}`, and(sql`${column} = ${value}`, cmp(groups.id, String(id)))));
    }
    const dir = sortOrder === "asc" ? asc : desc;
    const rows = await db
      .select({ ...selection, sortKey: sql<string | number | null>`${column}` })
      .from(groups)
      .where(and(...conditions))
      .orderBy(dir(sql`${column}`), dir(groups.id))
      .limit(limit + 1)
      .all();
    const page = pageOf(rows, limit, (r) => [r.sortKey, r.group.id]);
    return { items: render(page.items), next: page.next };
  }

  const after = parseAfter(query.after, 1);
  if (after) conditions.push(gt(groups.id, String(after[0])));
  const rows = await db
    .select(stats ? selection : { group: groups })
    .from(groups)
    .where(and(...conditions))
    .orderBy(asc(groups.id))
    .limit(limit + 1)
    .all();
  const page = pageOf(rows, limit, (r) => [r.group.id]);
  return { items: render(page.items), next: page.next };
}
