/**
 * What changes between the upstream's answer and the proxy's: the upstream
 * org URL becomes the proxy org's URL in `Link` and `Location` headers and in
 * the `href`s of `_links`, so Okta's SDKs keep paging and following links
 * through the proxy; hop-by-hop headers stay on their hop (RFC 9110 §7.6.1).
 */
const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
  "te", "trailer", "transfer-encoding", "upgrade",
]);

/** Headers a hop may not pass on: the fixed list and any the Connection header names. */
function hopHeaders(headers: Headers): Set<string> {
  const named = (headers.get("connection") ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  return new Set([...HOP_BY_HOP, ...named]);
}

/**
 * The caller's headers as the upstream gets them. Dropped besides the
 * hop-by-hop ones: Host (the upstream's own), Content-Length (the body is
 * re-sent whole), Accept-Encoding (the runtime negotiates its own and
 * decodes), the edge's own cf-* and forwarding headers, and Cookie (edgeorg's
 * session cookie is the proxy org's, not the upstream's).
 */
export function upstreamRequestHeaders(incoming: Headers): Headers {
  const drop = hopHeaders(incoming);
  const out = new Headers();
  for (const [name, value] of incoming) {
    const lower = name.toLowerCase();
    if (drop.has(lower) || lower === "host" || lower === "content-length" || lower === "accept-encoding" || lower === "cookie") continue;
    if (lower.startsWith("cf-") || lower.startsWith("x-forwarded-") || lower === "x-real-ip") continue;
    out.set(name, value);
  }
  return out;
}

/**
 * The upstream's response headers as the caller gets them: hop-by-hop and
 * Set-Cookie dropped (a cookie of the upstream's domain means nothing at the
 * proxy), Content-Length and Content-Encoding dropped (the runtime decoded
 * the body and the links in it may be rewritten), Link and Location
 * rewritten. X-Rate-Limit-* and X-Okta-Request-Id pass as they are.
 */
export function callerResponseHeaders(upstream: Headers, from: string, to: string): Headers {
  const drop = hopHeaders(upstream);
  const out = new Headers();
  for (const [name, value] of upstream) {
    const lower = name.toLowerCase();
    if (drop.has(lower) || lower === "set-cookie" || lower === "content-length" || lower === "content-encoding") continue;
    if (lower === "link") out.append(name, rewriteLinkHeader(value, from, to));
    else if (lower === "location") out.set(name, rewriteUrl(value, from, to));
    else out.append(name, value);
  }
  return out;
}

/** `from` followed by the end, a path, a query or a fragment: never a longer host name such as from + ".evil". */
function startsWithBase(url: string, base: string): boolean {
  if (!url.startsWith(base)) return false;
  const next = url[base.length];
  return next === undefined || next === "/" || next === "?" || next === "#";
}

export function rewriteUrl(url: string, from: string, to: string): string {
  return startsWithBase(url, from) ? to + url.slice(from.length) : url;
}

/** Each `<url>` of a Link header (RFC 8288) with the upstream's base replaced. */
export function rewriteLinkHeader(value: string, from: string, to: string): string {
  return value.replace(/<([^>]*)>/g, (_, url: string) => `<${rewriteUrl(url, from, to)}>`);
}

const BOUNDARY = /[/"?#]/;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * A JSON body's `"href":"<upstream URL>…"` values rewritten as the body
 * streams through, without buffering it: Okta writes links as
 * `"href":"https://…"` (no spaces), and only `_links` carry `href`s, so
 * other strings that happen to hold the upstream URL (an authorization
 * server's `issuer`, a profile attribute) are left alone. A chunk's last few
 * characters are held back until the next chunk shows whether they start a
 * match.
 */
export function hrefRewriter(from: string, to: string): TransformStream<Uint8Array, Uint8Array> {
  const pattern = `"href":"${from}`;
  const replacement = `"href":"${to}`;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let carry = "";
  const rewrite = (text: string, final: boolean): string => {
    let out = "";
    let i = 0;
    for (;;) {
      const at = text.indexOf(pattern, i);
      if (at < 0) break;
      const next = text[at + pattern.length];
      if (next === undefined && !final) {
        carry = text.slice(at);
        return out + text.slice(i, at);
      }
      out += text.slice(i, at) + (next !== undefined && BOUNDARY.test(next) ? replacement : pattern);
      i = at + pattern.length;
    }
    if (final) {
      carry = "";
      return out + text.slice(i);
    }
    let keep = Math.max(i, text.length - (pattern.length - 1));
    // Never between the halves of a surrogate pair: a lone half would be encoded as U+FFFD.
    if (keep > i && isHighSurrogate(text.charCodeAt(keep - 1))) keep--;
    carry = text.slice(keep);
    return out + text.slice(i, keep);
  };
  return new TransformStream({
    transform(chunk, controller) {
      const text = rewrite(carry + decoder.decode(chunk, { stream: true }), false);
      if (text) controller.enqueue(encoder.encode(text));
    },
    flush(controller) {
      const text = rewrite(carry + decoder.decode(), true);
      if (text) controller.enqueue(encoder.encode(text));
    },
  });
}
