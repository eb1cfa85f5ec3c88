import { ApiError, oktaError } from "../platform/errors";
import type { Upstream } from "./config";

/**
 * The upstream failed, not the caller: Okta's error object with a gateway
 * status. 502 when it could not be reached or refused the proxy's own
 * credential, 504 when it did not answer within the org's timeout. The
 * summary never carries what the upstream said (it may echo a credential).
 */
export const UpstreamError = {
  unreachable: (): ApiError => oktaError(502, "E0000009", "Bad Gateway: the upstream org could not be reached"),
  timedOut: (upstream: Upstream): ApiError =>
    oktaError(504, "E0000009", `Gateway Timeout: the upstream org did not answer within ${upstream.timeoutMs} ms`),
  credentialRefused: (): ApiError => oktaError(502, "E0000009", "Bad Gateway: the upstream org refused the proxy's credential"),
  /** A failed fetch: a timeout (our abort) or anything else the network threw. */
  from(error: unknown, upstream: Upstream): ApiError {
    if (error instanceof ApiError) return error;
    const name = (error as { name?: string } | null)?.name;
    return name === "TimeoutError" || name === "AbortError" ? UpstreamError.timedOut(upstream) : UpstreamError.unreachable();
  },
};
