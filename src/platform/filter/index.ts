// Okta filter/search expressions: parse text to an AST, compile the AST to a drizzle condition.
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
