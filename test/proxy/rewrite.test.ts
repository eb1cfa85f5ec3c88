import { describe, expect, it } from "vitest";
import { callerResponseHeaders, hrefRewriter, rewriteLinkHeader, rewriteUrl, upstreamRequestHeaders } from "../../src/proxy/rewrite";

const UP = "https://acme.okta.com";
const PROXY = "https://edge.example/orgs/acme";

async function throughRewriter(chunks: string[]): Promise<string> {
  const encoder = new TextEncoder();
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(source.pipeThrough(hrefRewriter(UP, PROXY))).text();
}

describe("link rewriting (proxy/rewrite.ts)", () => {
  it("rewrites the upstream's base in a Link header, every link, and nothing else", () => {
    const link = `<${UP}/api/v1/users?limit=2>; rel="self", <${UP}/api/v1/users?after=abc&limit=2>; rel="next"`;
    expect(rewriteLinkHeader(link, UP, PROXY)).toBe(`<${PROXY}/api/v1/users?limit=2>; rel="self", <${PROXY}/api/v1/users?after=abc&limit=2>; rel="next"`);
  });

  it("never rewrites a longer host that merely starts with the upstream's", () => {
    expect(rewriteUrl(`${UP}.evil.example/x`, UP, PROXY)).toBe(`${UP}.evil.example/x`);
    expect(rewriteUrl(`${UP}`, UP, PROXY)).toBe(PROXY);
    expect(rewriteUrl(`${UP}?a=1`, UP, PROXY)).toBe(`${PROXY}?a=1`);
  });

  it("rewrites _links hrefs in a streamed body however it is cut into chunks, and leaves other strings alone", async () => {
    const body = JSON.stringify({
      id: "00u1",
      profile: { website: `${UP}/not-a-link` },
      issuer: UP,
      _links: { self: { href: `${UP}/api/v1/users/00u1` }, evil: { href: `${UP}.evil.example/x` }, org: { href: UP } },
    });
    const expected = JSON.stringify({
      id: "00u1",
      profile: { website: `${UP}/not-a-link` },
      issuer: UP,
      _links: { self: { href: `${PROXY}/api/v1/users/00u1` }, evil: { href: `${UP}.evil.example/x` }, org: { href: PROXY } },
    });
    expect(await throughRewriter([body])).toBe(expected);
    for (let cut = 1; cut < body.length; cut++) {
      expect(await throughRewriter([body.slice(0, cut), body.slice(cut)])).toBe(expected);
    }
    expect(await throughRewriter([...body])).toBe(expected);
  });

  it("keeps multi-byte characters split across chunks whole", async () => {
    const body = JSON.stringify({ name: "Zoë 🐙", _links: { self: { href: `${UP}/x` } } });
    const bytes = new TextEncoder().encode(body);
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    expect(await new Response(source.pipeThrough(hrefRewriter(UP, PROXY))).text()).toBe(body.replace(`${UP}/x`, `${PROXY}/x`));
  });
});

describe("headers across the proxy hop (proxy/rewrite.ts)", () => {
  it("drops hop-by-hop headers, those Connection names, Host, cookies and the edge's own", () => {
    const incoming = new Headers({
      Authorization: "SSWS 00abc",
      Accept: "application/json",
      Connection: "keep-alive, x-hop",
      "X-Hop": "1",
      "Keep-Alive": "timeout=5",
      "Transfer-Encoding": "chunked",
      Host: "edge.example",
      Cookie: "sid=1",
      "CF-Connecting-IP": "1.2.3.4",
      "X-Forwarded-For": "1.2.3.4",
      "User-Agent": "okta-sdk-nodejs/7",
    });
    expect([...upstreamRequestHeaders(incoming).keys()].sort()).toEqual(["accept", "authorization", "user-agent"]);
  });

  it("passes X-Rate-Limit-* and X-Okta-Request-Id, rewrites Link and Location, drops Set-Cookie and encodings", () => {
    const upstream = new Headers({
      "Content-Type": "application/json",
      "Content-Length": "10",
      "Content-Encoding": "gzip",
      "X-Rate-Limit-Limit": "600",
      "X-Rate-Limit-Remaining": "598",
      "X-Rate-Limit-Reset": "1700000000",
      "X-Okta-Request-Id": "req-123",
      Link: `<${UP}/api/v1/groups?limit=1>; rel="self"`,
      Location: `${UP}/login/login.htm`,
      "Set-Cookie": "JSESSIONID=1; Path=/",
      Connection: "close",
    });
    const out = callerResponseHeaders(upstream, UP, PROXY);
    expect(Object.fromEntries(out)).toEqual({
      "content-type": "application/json",
      "x-rate-limit-limit": "600",
      "x-rate-limit-remaining": "598",
      "x-rate-limit-reset": "1700000000",
      "x-okta-request-id": "req-123",
      link: `<${PROXY}/api/v1/groups?limit=1>; rel="self"`,
      location: `${PROXY}/login/login.htm`,
    });
  });
});
