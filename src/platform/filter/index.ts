/**
 * Okta filter/search expressions: parse text to an AST, compile the AST to a drizzle condition.
 *
 *   const where = compileFilter(c.req.query("search")!, {
 *     id: { column: users.id, type: "string", ops: ["eq"], caseInsensitive: false },
 *     status: { column: users.status, type: "string", ops: ["eq"], caseInsensitive: false, normalize: (v) => v.toUpperCase() },
 *     lastUpdated: { column: users.lastUpdated, type: "date", ops: ["eq", "gt", "ge", "lt", "le"] },
 *   }, {
 *     caseInsensitive: true, param: "search",
 *     unknownAttribute: (attr) => attr.startsWith("profile.")
 *       ? jsonAttribute(users.profile, attr.slice(8), { type: "string", ops: ["eq", "sw", "pr"], multiValued: true })
 *       : undefined,
 *   });
 *   db.select().from(users).where(and(eq(users.orgId, org.id), where))
 *
 * Every failure is a thrown ApiError 400 E0000031 "Invalid search criteria." with one cause
 * "<param>: <what is wrong>".
 */
export {
  parseExpression,
  isAttributePath,
  MAX_EXPRESSION_LENGTH,
  MAX_NESTING_DEPTH,
  MAX_COMPARISONS,
  COMPARE_OPS,
  type Expr,
  type CompareOp,
  type Op,
  type Value,
  type ParseOptions,
} from "./parse";
export {
  compileExpression,
  compileFilter,
  jsonAttribute,
  normalizeTimestamp,
  DEFAULT_MAX_PARAMS,
  type AttributeSpec,
  type AttributeType,
  type CompileOptions,
} from "./compile";
