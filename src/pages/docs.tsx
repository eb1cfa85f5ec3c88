import type { Org } from "../platform/context";
import { operationsOf, type OpenApiDocument, type Operation } from "../operator/openapi/document";
import { Layout } from "./layout";

/**
 * /docs: the OpenAPI document as one server-rendered page — operations
 * grouped by tag with the scope each needs. Chosen over a bundled Swagger or
 * Redoc UI: no megabyte of script to serve, works with JavaScript off and
 * offline, and the full schemas stay one click away in /openapi.json.
 */
export function Docs(props: { org: Org; document: OpenApiDocument }) {
  const { org, document } = props;
  const byTag = new Map<string, ReturnType<typeof operationsOf>>();
  for (const entry of operationsOf(document)) {
    const tag = entry.operation.tags?.[0] ?? "Other";
    byTag.set(tag, [...(byTag.get(tag) ?? []), entry]);
  }
  const described = new Map(document.tags.map((t) => [t.name, t.description]));
  const anchor = (tag: string) => `tag-${tag.replace(/[^A-Za-z0-9]+/g, "-")}`;
  const total = [...byTag.values()].reduce((n, ops) => n + ops.length, 0);
  return (
    <Layout title={`API docs · edgeorg · ${org.slug}`} orgLabel={org.slug === "default" ? "default org" : `org ${org.slug}`} home={org.url}>
      <h1>API reference</h1>
      <p class="lead">
        {total} operations this org serves, cut from Okta's OpenAPI description. Each names what it takes to call it: an OAuth scope
        (an SSWS API token holds them all), <span class="scope public">public</span> or <span class="scope operator">operator</span>.
        Base URL <code>{org.url}</code>. Schemas: <a href={`${org.url}/openapi.json`}>openapi.json</a>.
      </p>
      <nav class="toc">
        {[...byTag.keys()].map((tag) => (
          <a href={`#${anchor(tag)}`}>{tag}</a>
        ))}
      </nav>
      {[...byTag.entries()].map(([tag, operations]) => (
        <section class="tag" id={anchor(tag)}>
          <h2>
            {tag} <span class="muted">{operations.length}</span>
          </h2>
          {described.get(tag) ? <p>{firstSentence(described.get(tag)!)}</p> : null}
          <table>
            <thead>
              <tr>
                <th>Method</th>
                <th>Path</th>
                <th>Summary</th>
                <th>Needs</th>
              </tr>
            </thead>
            <tbody>
              {operations.map(({ method, path, operation: op }) => (
                <tr id={op.operationId}>
                  <td>
                    <span class={`m ${method}`}>{method}</span>
                  </td>
                  <td>
                    <code>{path}</code>
                  </td>
                  <td>{op.summary ?? ""}</td>
                  <td>
                    <Access op={op} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Layout>
  );
}

function Access(props: { op: Operation }) {
  const { op } = props;
  if (op["x-edgeorg-access"] === "scope") return <span class="scope">{op["x-okta-scope"]}</span>;
  return <span class={`scope ${op["x-edgeorg-access"]}`}>{op["x-edgeorg-access"]}</span>;
}

/** Okta's tag descriptions are long Markdown; the page shows their first sentence as plain text. */
function firstSentence(markdown: string): string {
  const text = markdown.replace(/\[([^\]]+)\]\([^)]*\)/g, "$1").replace(/[*_`#>]/g, "").replace(/\s+/g, " ").trim();
  const end = text.search(/\.(\s|$)/);
  return end > 0 ? text.slice(0, end + 1) : text;
}
