import type { RequestLogJson } from "../operator/request-log/json";
import { Layout } from "./layout";

/** The operator's view of one org's last requests, newest first, with the orgs to switch to. */
export function RequestLogPage(props: { origin: string; slug: string; slugs: string[]; entries: RequestLogJson[] }) {
  const orgUrl = props.slug === "default" ? props.origin : `${props.origin}/orgs/${encodeURIComponent(props.slug)}`;
  const view = (slug: string) => `${props.origin}/_edgeorg/requests-view?org=${encodeURIComponent(slug)}`;
  return (
    <Layout title={`Request log · ${props.slug} · edgeorg`} orgLabel={`operator · ${props.slug}`} home={orgUrl}>
      <h1>Request log</h1>
      <p class="lead">
        The last {props.entries.length} requests to <code>{orgUrl}</code>, newest first: who called, what they got and why. No
        credential, token or query value that could be one is ever kept. As JSON:{" "}
        <code>GET {`${props.origin}/_edgeorg/orgs/${props.slug}/requests`}</code> with the operator token.
      </p>
      <nav class="toc">
        {props.slugs.map((slug) => (slug === props.slug ? <strong>{slug}</strong> : <a href={view(slug)}>{slug}</a>))}
      </nav>
      {props.entries.length === 0 ? (
        <div class="card">No requests yet. Requests appear here a moment after they are answered.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>Request</th>
              <th>Status</th>
              <th>Caller</th>
              <th>Why</th>
              <th>ms</th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((e) => (
              <tr>
                <td class="muted">{e.time.slice(11, 23)}</td>
                <td>
                  <span class={`m ${e.method}`}>{e.method}</span> <code>{e.path}</code>
                </td>
                <td>
                  <span class={`status ${e.status < 400 ? "ok" : "err"}`}>{e.status}</span>
                </td>
                <td>{e.actor ? <code>{`${e.actor.kind} ${e.actor.id}`}</code> : <span class="muted">anonymous</span>}</td>
                <td>
                  {e.fault ? <span class="scope operator">{`fault: ${e.fault}`}</span> : null} {e.errorCode ? <code>{e.errorCode}</code> : null}{" "}
                  <span class="muted">{e.errorSummary ?? ""}</span>
                </td>
                <td class="muted">{e.latencyMs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
