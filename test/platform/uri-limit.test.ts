import { describe, expect, it } from "vitest";
import { call, createOrg, links } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";

// Issue 14 §3: a 50 KB query string answered 200 with a Link header repeating it in self and
// next (51 KB of headers, which Node's HTTP client refuses); 2,000 repeated limit=1 gave 32 KB.
const LISTS = [
  "/api/v1/users",
  "/api/v1/groups",
  "/api/v1/apps",
  "/oauth2/v1/clients",
  "/api/v1/authorizationServers",
  "/api/v1/authorizationServers/default/scopes",
];

describe("URI size limit and Link headers (REFERENCE §7.3)", async () => {
  const org = await createOrg();
  const get = (path: string) => call("GET", path, { auth: org.ssws, orgUrl: org.orgUrl });

  it("answers a URI over 6 KiB with 414 and Okta's error body, on every list and elsewhere", async () => {
    for (const path of [...LISTS, "/api/v1/users/me", "/no/such/path", "/oauth2/v1/keys"]) {
      const reply = await get(`${path}?q=${"a".repeat(50_000)}`);
      expect(reply.status, path).toBe(414);
      expect(reply.body.errorCode).toBe("E0000002");
      expectOktaSchema(reply.body, "Error");
      expect(reply.text.length).toBeLessThan(1000);
    }
    const justUnder = await get(`/api/v1/users?q=${"a".repeat(6 * 1024 - "/api/v1/users?q=".length)}`);
    expect(justUnder.status, justUnder.text).toBe(200);
    const justOver = await get(`/api/v1/users?q=${"a".repeat(6 * 1024 - "/api/v1/users?q=".length + 1)}`);
    expect(justOver.status).toBe(414);
  });

  it("echoes in Link only the parameters the list reads, each once", async () => {
    for (const path of LISTS) {
      const junk = Array.from({ length: 300 }, (_, i) => `junk${i}=x`).join("&");
      const repeated = Array.from({ length: 300 }, () => "limit=1").join("&");
      const reply = await get(`${path}?limit=1&${repeated}&${junk}&%ZZ=bad`);
      expect(reply.status, `${path} ${reply.text}`).toBe(200);
      const link = reply.headers.get("link") ?? "";
      const { self, next } = links(reply.headers);
      expect(self, path).toBe(`${org.orgUrl}${path}?limit=1`);
      if (next) expect(next).toMatch(new RegExp(`^${org.orgUrl.replace(/[.?]/g, "\\$&")}${path}\\?limit=1&after=[A-Za-z0-9_-]+$`));
      expect(link.length, path).toBeLessThan(1000);
    }
  });

  it("keeps the list's own parameters in the client's encoding, and replaces after in next", async () => {
    for (let i = 0; i < 3; i++) {
      await call("POST", "/api/v1/groups", { auth: org.ssws, orgUrl: org.orgUrl, body: { profile: { name: `Link group ${i}` } } });
    }
    const q = encodeURIComponent("Link group");
    const first = await get(`/api/v1/groups?q=${q}&limit=1&junk=1`);
    expect(links(first.headers).self).toBe(`${org.orgUrl}/api/v1/groups?q=${q}&limit=1`);
    const search = encodeURIComponent('profile.name sw "Link"');
    const paged = await get(`/api/v1/groups?search=${search}&limit=1&search=ignored`);
    const next = links(paged.headers).next!;
    expect(next.startsWith(`${org.orgUrl}/api/v1/groups?search=${search}&limit=1&after=`), next).toBe(true);
    const second = await call("GET", next, { auth: org.ssws });
    expect(links(second.headers).self).toBe(next);
    expect(second.body).toHaveLength(1);
    expect(second.body[0].id).not.toBe(paged.body[0].id);
  });
});
