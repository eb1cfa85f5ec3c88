#!/usr/bin/env node
// Extracts the Okta component schemas the tests validate responses against,
// converted from OpenAPI 3.0 to JSON Schema 2020-12 for @cfworker/json-schema.
// Run by hand when the vendored specs change (not part of CI):
//   node scripts/extract-okta-schemas.mjs [--spec-dir ../shared/okta/openapi]
// Writes test/support/okta-schemas.json.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Validator } from "@cfworker/json-schema";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const specDirArg = args.includes("--spec-dir") ? args[args.indexOf("--spec-dir") + 1] : undefined;
const specDir = resolve(root, specDirArg ?? "../shared/okta/openapi");
const out = join(root, "test/support/okta-schemas.json");
// Response validation asks "is this one of the allowed shapes", so oneOf becomes
// anyOf: Okta's key lists are oneOf [signing key, encryption key], and an RSA key
// without `use` fits both, which strict oneOf rejects. --strict-oneof keeps oneOf.
const STRICT_ONEOF = args.includes("--strict-oneof");

// The schemas tests name, per spec file. Everything they reference comes along.
const ROOTS = {
  management: [
    "User", "UserProfile", "UserCredentials", "UserStatus",
    "Group", "GroupRule",
    "Application", "OpenIdConnectApplication",
    "OAuth2ScopeConsentGrant",
    "AuthorizationServer", "AuthorizationServerPolicy", "AuthorizationServerPolicyRule",
    "OAuth2Scope", "OAuth2Claim", "AuthorizationServerJsonWebKey",
    "Session", "AppUser", "ApplicationGroupAssignment", "TrustedOrigin",
    "StandardRole", "CatalogApplication", "ApiToken",
    "Error",
  ],
  oauth: [
    "Client", // Dynamic Client Registration (/oauth2/v1/clients)
    "OAuthError", "OidcMetadata", "OAuthMetadata", "OAuthKeys",
    "TokenResponseOrgAs", "TokenResponseCustomAs", "IntrospectionResponse", "UserInfo",
  ],
};

// Names that exist in both files resolve to management unless listed here.
const PREFER_OAUTH = ["Client"];

// Deliberate corrections of spec errors that would reject every real response.
// Each is applied to the converted schema and listed in the output's `patches`.
const PATCHES = [
  {
    doc: "oauth",
    schema: "Client",
    pointer: "/properties/post_logout_redirect_uris",
    value: { type: "array", items: { type: "string" } },
    why: "the spec says `type: string` with `items`; Okta returns (and the DCR RFC defines) an array of URIs",
  },
  {
    doc: "management",
    schema: "Client",
    pointer: "/properties/post_logout_redirect_uris",
    value: { type: "array", items: { type: "string" } },
    why: "same error as oauth Client",
  },
  {
    doc: "management",
    schema: "TimeDuration",
    pointer: "/pattern",
    value: "^P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+S)?)?$",
    why: "the spec's pattern starts `^P(?:$)`, which only the bare string \"P\" matches; ApiToken.tokenWindow is e.g. \"P30D\"",
  },
];

// Keywords that are OpenAPI-only or annotations we do not need.
const DROP = new Set(["discriminator", "example", "examples", "xml", "externalDocs", "description", "title", "deprecated", "nullable"]);
// Keywords whose value is one schema / an array of schemas / a map of name → schema.
const ONE = new Set(["items", "additionalProperties", "not", "if", "then", "else", "propertyNames", "contains", "unevaluatedProperties"]);
const MANY = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const MAP = new Set(["properties", "patternProperties", "dependentSchemas"]);

const refName = (ref) => {
  const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
  if (!match) throw new Error(`unsupported $ref ${ref}`);
  return decodeURIComponent(match[1]);
};

// Okta models some polymorphism as a parent whose oneOf lists subtypes that in
// turn allOf the parent (JsonSigningWebKey ⇄ JsonWebKeyRsa): taken literally that
// recursion never ends. A subtype's reference to such a parent points instead at
// "<Parent>__base": the parent without its oneOf.
const BASE = "__base";
let backReferences = new Set(); // "Subtype>Parent"

function findBackReferences(components) {
  const found = new Set();
  for (const [parent, schema] of Object.entries(components)) {
    for (const branch of schema.oneOf ?? []) {
      if (!branch.$ref) continue;
      const child = refName(branch.$ref);
      if ((components[child]?.allOf ?? []).some((part) => part.$ref && refName(part.$ref) === parent)) found.add(`${child}>${parent}`);
    }
  }
  return found;
}

/** Converts one OpenAPI 3.0 schema object; calls `seen(name)` for every component it references. */
function convert(schema, seen, stats, owner) {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  if (schema.$ref) {
    let name = refName(schema.$ref);
    if (owner && backReferences.has(`${owner}>${name}`)) name += BASE;
    seen(name);
    // OpenAPI 3.0 ignores a $ref's siblings; `nullable` beside a $ref is still meant, so keep it.
    const ref = { $ref: `#/$defs/${name}` };
    return schema.nullable === true ? { anyOf: [ref, { type: "null" }] } : ref;
  }
  const result = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROP.has(key) || key.startsWith("x-")) continue;
    if (ONE.has(key)) result[key] = typeof value === "boolean" ? value : convert(value, seen, stats);
    else if (key === "allOf") result[key] = value.map((s) => convert(s, seen, stats, owner));
    else if (MANY.has(key)) result[key] = value.map((s) => convert(s, seen, stats));
    else if (MAP.has(key)) result[key] = Object.fromEntries(Object.entries(value).map(([k, s]) => [k, convert(s, seen, stats)]));
    else if (key === "exclusiveMinimum" || key === "exclusiveMaximum") {
      // 3.0 booleans modify minimum/maximum; 2020-12 wants the bound itself.
      if (value === true) {
        const bound = key === "exclusiveMinimum" ? "minimum" : "maximum";
        result[key] = schema[bound];
        stats.exclusive++;
      } else if (typeof value === "number") result[key] = value;
    } else result[key] = value;
  }
  if (result.exclusiveMinimum !== undefined && schema.exclusiveMinimum === true) delete result.minimum;
  if (result.exclusiveMaximum !== undefined && schema.exclusiveMaximum === true) delete result.maximum;

  if (result.oneOf) {
    const alternatives = result.oneOf;
    delete result.oneOf;
    const parts = [];
    if (schema.discriminator?.mapping) {
      // With the discriminator gone, subtypes sharing a base can match several
      // branches for one instance: dispatch on the discriminator value instead.
      const property = schema.discriminator.propertyName;
      stats.discriminators.push(property);
      for (const [value, ref] of Object.entries(schema.discriminator.mapping)) {
        seen(refName(ref));
        parts.push({ if: { properties: { [property]: { const: value } }, required: [property] }, then: { $ref: `#/$defs/${refName(ref)}` } });
      }
      // An unmapped value falls back to "one of the listed subtypes".
      const known = Object.keys(schema.discriminator.mapping);
      parts.push({ if: { not: { properties: { [property]: { enum: known } }, required: [property] } }, then: { anyOf: alternatives } });
    } else if (STRICT_ONEOF && !schema.discriminator) {
      parts.push({ oneOf: alternatives });
    } else {
      stats.oneOf++;
      parts.push({ anyOf: alternatives });
    }
    // allOf keeps a schema's own anyOf (if any) next to the alternatives.
    if (parts.length === 1 && parts[0].anyOf && !result.anyOf) result.anyOf = parts[0].anyOf;
    else if (parts.length === 1 && parts[0].oneOf) result.oneOf = parts[0].oneOf;
    else result.allOf = [...(result.allOf ?? []), ...parts];
  }

  if (schema.nullable === true) {
    stats.nullable++;
    if (typeof result.type === "string") {
      result.type = [result.type, "null"];
      if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...result.enum, null];
    } else if (result.type === undefined) {
      return { anyOf: [result, { type: "null" }] };
    }
  }
  if (result.additionalProperties === false) stats.closed++;
  return result;
}

function extract(docName, spec) {
  const components = spec.components.schemas;
  backReferences = findBackReferences(components);
  const defs = {};
  const stats = { nullable: 0, exclusive: 0, closed: 0, oneOf: 0, discriminators: [] };
  const queue = [...ROOTS[docName]];
  const seen = (name) => {
    if (!(name in defs) && !queue.includes(name)) queue.push(name);
  };
  while (queue.length) {
    const name = queue.shift();
    if (name in defs) continue;
    const base = name.endsWith(BASE);
    const component = components[base ? name.slice(0, -BASE.length) : name];
    if (!component) throw new Error(`${docName}: no component schema ${name}`);
    defs[name] = null; // reserve before converting so self-references terminate
    const { oneOf, discriminator, ...withoutSubtypes } = component;
    defs[name] = convert(base ? withoutSubtypes : component, seen, stats, name);
  }
  const sorted = Object.fromEntries(Object.keys(defs).sort().map((k) => [k, defs[k]]));
  return { document: { $schema: "https://json-schema.org/draft/2020-12/schema", $defs: sorted }, stats };
}

function applyPatch(documents, patch) {
  const parts = patch.pointer.split("/").slice(1);
  let node = documents[patch.doc].$defs[patch.schema];
  if (!node) return false;
  for (const part of parts.slice(0, -1)) {
    node = node[part];
    if (!node) return false;
  }
  node[parts.at(-1)] = patch.value;
  return true;
}

const specs = {
  management: "management-oneOfInheritance.yaml",
  oauth: "oauth-oneOfInheritance.yaml",
};
const documents = {};
const source = {};
const parsed = {};
for (const [docName, file] of Object.entries(specs)) {
  const spec = parse(readFileSync(join(specDir, file), "utf8"), { maxAliasCount: -1 });
  parsed[docName] = spec;
  const { document, stats } = extract(docName, spec);
  documents[docName] = document;
  source[docName] = { file, version: spec.info.version, license: spec.info.license?.name };
  console.log(
    `${docName}: ${Object.keys(document.$defs).length} schemas; nullable ${stats.nullable}, ` +
      `additionalProperties:false ${stats.closed}, boolean exclusive bounds ${stats.exclusive}, oneOf→anyOf ${stats.oneOf}, ` +
      `discriminated oneOf: ${stats.discriminators.join(", ") || "none"}`,
  );
}
const applied = PATCHES.filter((patch) => applyPatch(documents, patch)).map(({ doc, schema, pointer, why }) => ({ doc, schema, pointer, why }));

// Self-check: Okta's own response examples for operations that return a root
// schema must pass. Failures are spec quirks (reported, not patched).
function checkExamples(docName, spec) {
  const defs = documents[docName].$defs;
  const resolveExample = (example) => {
    if (example?.$ref) return spec.components.examples[refExampleName(example.$ref)]?.value;
    return example?.value;
  };
  const refExampleName = (ref) => ref.replace("#/components/examples/", "");
  const failures = [];
  let checked = 0;
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (!/^2/.test(status)) continue;
        const media = response.content?.["application/json"];
        const schema = media?.schema;
        const ref = schema?.$ref ?? schema?.items?.$ref;
        if (!ref || !ref.startsWith("#/components/schemas/")) continue;
        const name = refName(ref);
        if (!ROOTS[docName].includes(name) || !(name in defs)) continue;
        const validator = new Validator({ $ref: `#/$defs/${name}`, $defs: defs }, "2020-12", false);
        const examples = media.examples ? Object.entries(media.examples).map(([k, v]) => [k, resolveExample(v)]) : media.example !== undefined ? [["example", media.example]] : [];
        for (const [exampleName, value] of examples) {
          if (value === undefined) continue;
          for (const [index, instance] of (Array.isArray(value) && schema.items ? value : [value]).entries()) {
            checked++;
            const result = validator.validate(instance);
            if (!result.valid) {
              const leaves = result.errors.filter((e) => !result.errors.some((o) => o !== e && o.keywordLocation.startsWith(e.keywordLocation + "/")));
              failures.push(`${method.toUpperCase()} ${path} ${status} ${exampleName}[${index}] as ${name}: ${leaves.slice(0, 3).map((e) => `${e.instanceLocation} ${e.error}`).join("; ")}`);
            }
          }
        }
      }
    }
  }
  console.log(`${docName}: ${checked} response examples checked against their schema, ${failures.length} fail`);
  for (const line of failures) console.log(`  quirk: ${line}`);
}
for (const [docName, spec] of Object.entries(parsed)) checkExamples(docName, spec);

const names = {};
for (const [docName, roots] of Object.entries(ROOTS)) {
  for (const name of roots) if (!(name in names) || PREFER_OAUTH.includes(name)) names[name] = docName;
}

writeFileSync(
  out,
  JSON.stringify(
    {
      $comment:
        "Generated by scripts/extract-okta-schemas.mjs from Okta's OpenAPI specs " +
        "(https://github.com/okta/okta-management-openapi-spec, dist/current, Apache-2.0; see shared/okta/openapi/SOURCE.md). Do not edit by hand.",
      source,
      names,
      patches: applied,
      documents,
    },
    null,
    0,
  ) + "\n",
);
console.log(`wrote ${out}; roots: ${Object.keys(names).join(", ")}; patches applied: ${applied.length}`);
