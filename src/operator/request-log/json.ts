import type { RequestLogEntry } from "./table";

/** An entry as the operator API shows it. */
export function requestLogJson(entry: RequestLogEntry) {
  return {
    requestId: entry.requestId,
    time: new Date(entry.at).toISOString(),
    method: entry.method,
    path: entry.path,
    status: entry.status,
    actor: entry.actorKind ? { kind: entry.actorKind, id: entry.actorId, ...(entry.clientId ? { clientId: entry.clientId } : {}) } : null,
    errorCode: entry.errorCode,
    errorSummary: entry.errorSummary,
    fault: entry.fault,
    latencyMs: entry.latencyMs,
  };
}

export type RequestLogJson = ReturnType<typeof requestLogJson>;
