#!/usr/bin/env node
// Cuts Okta's OpenAPI description down to the operations edgeorg serves:
// one operation per route-table row (Okta's own, matched by path shape), the
// components they reference, and the tags they use. edgeorg's own routes
// (operator API, pages) are skipped here and joined at run time from
// src/operator/openapi/own-operations.ts; scopes are annotated at run time
// from the route table, so they cannot drift. The worker cannot read the
// vendored specs, so the cut is committed:
//   npm run openapi [-- --spec-dir ../shared/okta/openapi]
// Writes src/operator/openapi/okta.generated.json. test/operator/openapi.test.ts
// fails when the route table and the document disagree.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { "spec-dir": { type: "string" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("npm run openapi [-- --spec-dir <dir with Okta's *-oneOfInheritance.yaml>]");
  process.exit(0);
}
// The main checkout sits beside shared/; a worktree one level deeper.
const specDir = values["spec-dir"]
  ? resolve(values["spec-dir"])
  : ["../shared/okta/openapi", "../../shared/okta/openapi"].map((d) => resolve(root, d)).find((d) => existsSync(d));
if (!specDir) throw new Error("Okta's OpenAPI specs not found beside the repo: pass --spec-dir");
const out = join(root, "src/operator/openapi/okta.generated.json");

// Type stripping (Node 22.18+) reads these TypeScript files as they are; both import nothing.
const { routeTable } = await import(join(root, "src/access/route-table.ts"));
const { ownRoutes } = await import(join(root, "src/operator/openapi/own-operations.ts"));

const specs = {
  management: parse(readFileSync(join(specDir, "management-oneOfInheritance.yaml"), "utf8"), { maxAliasCount: -1 }),
  oauth: parse(readFileSync(join(specDir, "oauth-oneOfInheritance.yaml"), "utf8"), { maxAliasCount: -1 }),
};

// Routes Okta's description has under another path: the row is described by
// that operation (its path parameters that became literal are dropped).
const ALIASES = {
  "GET /.well-known/oauth-authorization-server": ["oauth", "get", "/oauth2/{authorizationServerId}/.well-known/oauth-authorization-server", "OrgAS"],
  "POST /api/v1/users/:id/lifecycle/forgot_password": ["management", "post", "/api/v1/users/{userId}/credentials/forgot_password", "Lifecycle"],
};

const METHODS = ["get", "post", "put", "delete", "patch"];
const shape = (path) => path.replace(/\{[^}]+\}/g, "{}").replace(/:[^/]+/g, "{}");
const segments = (path) => path.split("/").filter(Boolean);

/** Every Okta operation by "METHOD shape", first document wins. */
const byShape = new Map();
for (const [doc, spec] of Object.entries(specs)) {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      const key = `${method.toUpperCase()} ${shape(path)}`;
      if (!byShape.has(key)) byShape.set(key, { doc, method, path });
    }
  }
}

/** A route with literal segments where Okta has parameters (/users/me): the closest Okta path. */
function byParameterFallback(method, route) {
  const wanted = segments(route);
  for (const [key, hit] of byShape) {
    if (!key.startsWith(`${method} `)) continue;
    const have = segments(hit.path);
    if (have.length !== wanted.length) continue;
    if (have.every((s, i) => s === wanted[i] || (s.startsWith("{") && (wanted[i].startsWith(":") || !wanted[i].startsWith("{"))))) return hit;
  }
  return undefined;
}

function find(row) {
  const alias = ALIASES[`${row.method} ${row.path}`];
  if (alias) return { doc: alias[0], method: alias[1], path: alias[2], suffix: alias[3] };
  return byShape.get(`${row.method} ${shape(row.path)}`) ?? byParameterFallback(row.method, row.path);
}

/** The document path: Okta's when the shapes agree, else the route with Okta's names where they line up. */
function documentPath(row, hit) {
  if (shape(hit.path) === shape(row.path)) return hit.path;
  const okta = segments(hit.path);
  return "/" + segments(row.path).map((s, i) => (s.startsWith(":") ? (okta[i]?.startsWith("{") ? okta[i] : `{${s.slice(1)}}`) : s)).join("/");
}

// Component names both documents define differently: the oauth one is renamed.
const renamed = {};
for (const [kind, defs] of Object.entries(specs.oauth.components ?? {})) {
  for (const [name, value] of Object.entries(defs)) {
    const other = specs.management.components?.[kind]?.[name];
    if (other !== undefined && JSON.stringify(other) !== JSON.stringify(value)) renamed[`${kind}/${name}`] = `OAuth${name}`;
  }
}
const refOf = (doc, ref) => {
  const match = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref}`);
  const [, kind, name] = match;
  const finalName = doc === "oauth" ? (renamed[`${kind}/${name}`] ?? name) : name;
  return { kind, name, finalName };
};

const components = {};
const queue = [];
/** Copies a node, rewriting $refs and queueing what they point at. Drops examples (size) and codegen hints. */
function copy(doc, node) {
  if (Array.isArray(node)) return node.map((n) => copy(doc, n));
  if (typeof node !== "object" || node === null) return node;
  const result = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string") {
      const { kind, name, finalName } = refOf(doc, value);
      queue.push({ doc, kind, name, finalName });
      result.$ref = `#/components/${kind}/${finalName}`;
    } else if (key === "examples" || key === "example" || key.startsWith("x-codegen")) continue;
    else result[key] = copy(doc, value);
  }
  return result;
}

const UNDESCRIBED = "Not in Okta's OpenAPI";
const paths = {};
const missing = [];
const usedTags = new Set();
let count = 0;
for (const row of routeTable) {
  if (ownRoutes.has(`${row.method} ${row.path}`)) continue;
  const hit = find(row);
  if (!hit) {
    // Okta's current description lacks it (the Classic authn API, the hosted pages): listed, undescribed.
    missing.push(`${row.method} ${row.path}`);
    const path = row.path.replace(/:([^/{]+)/g, "{$1}");
    const parameters = [...row.path.matchAll(/:([^/]+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    (paths[path] ??= {})[row.method.toLowerCase()] = {
      operationId: `undescribed_${row.method.toLowerCase()}${row.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c) => (c ?? "").toUpperCase())}`,
      summary: "Not in Okta's OpenAPI description (see REFERENCE-SIGNIN)",
      tags: [UNDESCRIBED],
      ...(parameters.length ? { parameters } : {}),
      responses: { default: { description: "As Okta answers" } },
      "x-edgeorg-route": row.path,
    };
    usedTags.add(UNDESCRIBED);
    count++;
    continue;
  }
  const item = specs[hit.doc].paths[hit.path];
  const operation = copy(hit.doc, item[hit.method]);
  const path = documentPath(row, hit);
  const params = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
  // Path parameters of the path item apply to the operation too (OpenAPI 3.0 §4.7.9).
  const inherited = copy(hit.doc, item.parameters ?? []);
  const resolveParam = (p) => (p.$ref ? components.parameters?.[p.$ref.split("/").pop()] ?? resolveQueued(p.$ref) : p);
  operation.parameters = [...inherited, ...(operation.parameters ?? [])].filter((p) => {
    const param = resolveParam(p);
    return param?.in !== "path" || params.has(param.name);
  });
  if (!operation.parameters.length) delete operation.parameters;
  if (hit.path !== path) {
    operation["x-edgeorg-described-by"] = `${hit.method.toUpperCase()} ${hit.path}`;
    // Unique operationId: Okta's plus the alias's suffix or the literal that took a parameter's place (`Me`).
    const okta = segments(hit.path);
    const literal = segments(row.path).find((s, i) => !s.startsWith(":") && okta[i]?.startsWith("{") && okta.length === segments(row.path).length);
    if (operation.operationId) operation.operationId += hit.suffix ?? (literal ? literal[0].toUpperCase() + literal.slice(1) : "Edgeorg");
  }
  operation["x-edgeorg-route"] = row.path;
  for (const tag of operation.tags ?? []) usedTags.add(tag);
  (paths[path] ??= {})[hit.method] = operation;
  count++;
}
if (missing.length) console.warn(`No Okta operation describes (listed without a description):\n  ${missing.join("\n  ")}`);

function resolveQueued(ref) {
  const { kind, name } = refOf("management", ref);
  return specs.management.components?.[kind]?.[name] ?? specs.oauth.components?.[kind]?.[name];
}

while (queue.length) {
  const { doc, kind, name, finalName } = queue.shift();
  if (components[kind]?.[finalName] !== undefined) continue;
  const source = specs[doc].components?.[kind]?.[name];
  if (source === undefined) throw new Error(`${doc}: no components/${kind}/${name}`);
  (components[kind] ??= {})[finalName] = null; // reserved: self-references terminate
  components[kind][finalName] = copy(doc, source);
}
for (const kind of Object.keys(components)) {
  components[kind] = Object.fromEntries(Object.keys(components[kind]).sort().map((k) => [k, components[kind][k]]));
}
components.securitySchemes = { ...specs.oauth.components.securitySchemes, ...specs.management.components.securitySchemes };

const tags = [...specs.management.tags, ...specs.oauth.tags, { name: UNDESCRIBED, description: "Routes edgeorg serves that Okta's current OpenAPI description does not (the Classic Authentication API, hosted pages)." }]
  .filter((tag, i, all) => usedTags.has(tag.name) && all.findIndex((t) => t.name === tag.name) === i)
  .map(({ name, description }) => ({ name, description }));

const document = {
  openapi: "3.0.3",
  info: {
    title: "edgeorg",
    version: specs.management.info.version,
    description:
      "The operations of Okta's Management and OAuth 2.0 APIs that edgeorg serves, cut from Okta's own OpenAPI " +
      "description (https://github.com/okta/okta-management-openapi-spec, Apache-2.0), with the scope edgeorg's " +
      "route table requires on each (x-okta-scope) and edgeorg's operator API.",
    license: specs.management.info.license,
  },
  tags,
  paths,
  components,
};
writeFileSync(out, JSON.stringify({ $comment: "Generated by scripts/build-openapi.mjs from Okta's OpenAPI (Apache-2.0). Do not edit by hand.", ...document }) + "\n");
const size = JSON.stringify(document).length;
console.log(`wrote ${out}: ${count} operations, ${Object.values(components).reduce((n, c) => n + Object.keys(c).length, 0)} components, ${(size / 1024).toFixed(0)} KiB`);
