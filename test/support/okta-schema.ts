import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";
import data from "./okta-schemas.json";

/**
 * Validates response bodies against Okta's own OpenAPI component schemas
 * (extracted into okta-schemas.json by scripts/extract-okta-schemas.mjs).
 * @cfworker/json-schema compiles nothing with eval, so this runs in workerd.
 */

type DocumentName = keyof typeof data.documents;

const documents = data.documents as unknown as Record<DocumentName, { $defs: Record<string, Schema> }>;
const roots = data.names as Record<string, DocumentName>;
const validators = new Map<string, Validator>();

/** "User", or "management:Client" / "oauth:Error" to pick the spec file explicitly. */
function resolve(schemaName: string): { doc: DocumentName; name: string } {
  const [qualifier, rest] = schemaName.includes(":") ? schemaName.split(":", 2) : [undefined, schemaName];
  const name = rest!;
  if (qualifier !== undefined) {
    if (!(qualifier in documents)) throw new Error(`unknown Okta spec "${qualifier}" (management or oauth)`);
    return { doc: qualifier as DocumentName, name };
  }
  const doc = roots[name] ?? (name in documents.management.$defs ? "management" : name in documents.oauth.$defs ? "oauth" : undefined);
  if (!doc) throw new Error(`no Okta schema named "${name}"; known: ${oktaSchemaNames().join(", ")}`);
  return { doc, name };
}

function validatorFor(schemaName: string): Validator {
  const cached = validators.get(schemaName);
  if (cached) return cached;
  const { doc, name } = resolve(schemaName);
  const defs = documents[doc].$defs;
  if (!(name in defs)) throw new Error(`no Okta schema named "${name}" in the ${doc} spec`);
  const validator = new Validator({ $ref: `#/$defs/${name}`, $defs: defs } as Schema, "2020-12", false);
  validators.set(schemaName, validator);
  return validator;
}

/** The schemas tests are expected to name (every transitively referenced one also works). */
export function oktaSchemaNames(): string[] {
  return Object.keys(roots);
}

/** The validation errors of `body` against an Okta schema; empty when it conforms. */
export function oktaSchemaErrors(body: unknown, schemaName: string): string[] {
  const validator = validatorFor(schemaName);
  if (body === undefined) return ["#: no body (undefined)"];
  // What a client would see on the wire: undefined members vanish, dates become strings.
  const result = validator.validate(JSON.parse(JSON.stringify(body)));
  if (result.valid) return [];
  // Keep the innermost errors: the wrappers ("item 2 did not match", "allOf failed") say little.
  const inner = result.errors.filter(
    (error: OutputUnit) =>
      !result.errors.some(
        (other) => other !== error && other.keywordLocation.startsWith(error.keywordLocation + "/") && other.instanceLocation.startsWith(error.instanceLocation),
      ),
  );
  const lines = (inner.length ? inner : result.errors).map(
    (error) => `${error.instanceLocation || "#"}: ${error.error} (${error.keywordLocation})`,
  );
  return [...new Set(lines)];
}

/** Throws a readable assertion error when `body` does not conform to the Okta schema. */
export function expectOktaSchema(body: unknown, schemaName: string): void {
  const errors = oktaSchemaErrors(body, schemaName);
  if (errors.length === 0) return;
  const shown = errors.slice(0, 25);
  const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : "";
  const sample = JSON.stringify(body)?.slice(0, 500);
  throw new Error(
    `response does not match Okta schema ${schemaName}:\n  ${shown.join("\n  ")}${more}\nbody: ${sample}`,
  );
}
