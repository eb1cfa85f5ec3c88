import { findRouteRow, requiredScope } from "../../access/route-table";
import okta from "./okta.generated.json";
import { OPERATOR_TAG, PAGES_TAG, ownOperations } from "./own-operations";

/**
 * The OpenAPI document served at /openapi.json: Okta's operations cut at
 * build time (okta.generated.json) plus edgeorg's own, each annotated here,
 * from the live route table, with what it takes to call it — so the scope a
 * reader sees is the scope the guard enforces.
 */
export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  "x-edgeorg-route": string;
  /** The scope the route table requires; absent on public and operator routes. */
  "x-okta-scope"?: string;
  /** scope | public | operator */
  "x-edgeorg-access": "scope" | "public" | "operator" | "session";
  [key: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers?: { url: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

const OPERATOR_SCHEME = "edgeorgOperator";

/** Okta's `:name` → OpenAPI's `{name}`. */
export const openApiPath = (route: string) => route.replace(/:([^/{]+)/g, "{$1}");

function annotate(method: string, operation: Operation): Operation {
  const row = findRouteRow(method.toUpperCase(), operation["x-edgeorg-route"]);
  // A route the table does not know stays unannotated: the drift test names it.
  if (!row) return operation;
  if (row.access.kind === "operator") return { ...operation, "x-edgeorg-access": "operator", security: [{ [OPERATOR_SCHEME]: [] }] };
  // Public routes keep Okta's own security: the OAuth endpoints authenticate the client themselves.
  if (row.access.kind === "public") return { ...operation, "x-edgeorg-access": "public", security: operation.security ?? [] };
  // The browser's own session (sid cookie): Okta's own description of it stays.
  if (row.access.kind === "session") return { ...operation, "x-edgeorg-access": "session", security: operation.security ?? [] };
  // The least scope that passes, as the insufficient_scope challenge names it (`.self` where the row admits it).
  const scope = requiredScope(row.access);
  return { ...operation, "x-edgeorg-access": "scope", "x-okta-scope": scope, security: [{ apiToken: [] }, { oauth2: [scope] }] };
}

function build(): OpenApiDocument {
  const { $comment: _, ...cut } = okta as unknown as OpenApiDocument & { $comment: string };
  const paths: OpenApiDocument["paths"] = {};
  for (const [path, item] of Object.entries(cut.paths)) {
    paths[path] = Object.fromEntries(Object.entries(item).map(([method, op]) => [method, annotate(method, op as Operation)]));
  }
  for (const own of ownOperations) {
    const parameters = [...own.route.matchAll(/:([^/]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const operation: Operation = {
      operationId: `edgeorg_${own.method.toLowerCase()}${own.route.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
      summary: own.summary,
      ...(own.description ? { description: own.description } : {}),
      tags: [own.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(own.requestBody ? { requestBody: own.requestBody } : {}),
      responses: own.responses,
      "x-edgeorg-route": own.route,
      "x-edgeorg-access": "public",
    };
    (paths[openApiPath(own.route)] ??= {})[own.method.toLowerCase()] = annotate(own.method, operation);
  }
  return {
    ...cut,
    tags: [
      ...cut.tags,
      { name: PAGES_TAG, description: "Pages and documents the org serves about itself." },
      { name: OPERATOR_TAG, description: "edgeorg's own API (not Okta's): orgs, failure injection, request log. `Authorization: Bearer <OPERATOR_TOKEN>`, at the root only." },
    ],
    paths,
    components: {
      ...cut.components,
      securitySchemes: { ...cut.components.securitySchemes, [OPERATOR_SCHEME]: { type: "http", scheme: "bearer", description: "The OPERATOR_TOKEN secret" } },
    },
  };
}

let cached: OpenApiDocument | undefined;

/** Built once per isolate; the org URL is the only part that varies per request. */
export function openApiDocument(): OpenApiDocument {
  return (cached ??= build());
}

/** Every operation as { method, path (the document's), operation }, in document order. */
export function operationsOf(document: OpenApiDocument): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}
