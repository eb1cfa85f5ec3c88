import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The floors of DESIGN "Layout": no import circle anywhere in src/, and
 * src/platform/ imports nothing above it. The graph is read with
 * TypeScript's own import scanner (ts.preProcessFile: import, export-from,
 * dynamic import and `declare module` augmentations, type-only ones
 * included, never fooled by comments or strings), so the check needs no
 * dependency beyond the compiler the project already has.
 */
const SRC = resolve(__dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    // .tsx: the pages (hono/jsx) are part of the graph too.
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The file a relative specifier names (`./x` → x.ts, x.tsx or x/index.ts); null for packages. */
function resolveSpecifier(from: string, specifier: string, files: Set<string>): string | null {
  // Packages and JSON data (the generated OpenAPI cut) are not part of the code graph.
  if (!specifier.startsWith(".") || specifier.endsWith(".json")) return null;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) if (files.has(candidate)) return candidate;
  throw new Error(`${relative(SRC, from)}: cannot resolve ${specifier}`);
}

function importGraph(): Map<string, string[]> {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles, ambientExternalModules } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const specifiers = [...importedFiles.map((f) => f.fileName), ...(ambientExternalModules ?? [])];
    const targets = specifiers.map((s) => resolveSpecifier(file, s, known)).filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every elementary circle found by a depth-first walk, each as the files along it. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

const rel = (file: string) => relative(SRC, file);

describe("the import graph of src/", () => {
  const graph = importGraph();

  it("is read whole (the scanner sees the imports)", () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(join(SRC, "app.ts"))!.map(rel)).toContain("access/authenticate.ts");
  });

  it("has no import circle", () => {
    expect(circles(graph).map((c) => c.map(rel).join(" → "))).toEqual([]);
  });

  it("has platform/ import nothing above it", () => {
    const upward = [...graph]
      .filter(([file]) => rel(file).startsWith("platform/"))
      .flatMap(([file, targets]) =>
        targets
          // env.ts is the Worker's bindings type, which imports nothing.
          .filter((t) => !rel(t).startsWith("platform/") && rel(t) !== "env.ts")
          .map((t) => `${rel(file)} → ${rel(t)}`),
      );
    expect(upward).toEqual([]);
  });
});
