import { describe, expect, it } from "vitest";
import { call, createOrg } from "../support/http";
import { authHeaders, getAccessToken } from "../support/oauth";

// The guard enforces the scope table; these prove the groups rows are the reference's (§2.1).
describe("groups with OAuth access tokens", () => {
  it("okta.groups.read reads but cannot write; okta.groups.manage writes", async () => {
    const org = await createOrg();
    const ref = { orgUrl: org.orgUrl, ssws: org.ssws };
    const reader = await getAccessToken(["okta.groups.read"], { org: ref });
    const manager = await getAccessToken(["okta.groups.manage"], { org: ref });
    const as = async (token: typeof reader, method: string, path: string, body?: unknown) => {
      const url = `${org.orgUrl}${path}`;
      const { auth, headers } = await authHeaders(token, method, url);
      return call(method, url, { auth, headers, body });
    };
    expect((await as(reader, "GET", "/api/v1/groups")).status).toBe(200);
    expect((await as(reader, "GET", "/api/v1/groups/rules")).status).toBe(200);
    const refused = await as(reader, "POST", "/api/v1/groups", { profile: { name: "by reader" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('scope="okta.groups.manage"');
    const created = await as(manager, "POST", "/api/v1/groups", { profile: { name: "by manager" } });
    expect(created.status).toBe(200);
    // manage implies read
    expect((await as(manager, "GET", `/api/v1/groups/${created.body.id}`)).status).toBe(200);
    expect((await as(reader, "DELETE", `/api/v1/groups/${created.body.id}`)).status).toBe(403);
    expect((await as(manager, "DELETE", `/api/v1/groups/${created.body.id}`)).status).toBe(204);
  });
});
