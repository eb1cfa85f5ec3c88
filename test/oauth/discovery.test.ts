import { describe, expect, it } from "vitest";
import { ORIGIN, call, createOrg } from "../support/http";

describe("discovery", () => {
  it("names the default org's URL as issuer", async () => {
    const reply = await call("GET", "/.well-known/openid-configuration", { auth: null });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(reply.body.issuer).toBe(ORIGIN);
    expect(reply.body.token_endpoint).toBe(`${ORIGIN}/oauth2/v1/token`);
    expect(reply.body.jwks_uri).toBe(`${ORIGIN}/oauth2/v1/keys`);
  });

  it("names an operator-made org's URL as issuer", async () => {
    const org = await createOrg({ slug: "discovery-org" });
    expect(org.orgUrl).toBe(`${ORIGIN}/orgs/discovery-org`);
    for (const doc of ["openid-configuration", "oauth-authorization-server"]) {
      const reply = await call("GET", `/.well-known/${doc}`, { auth: null, orgUrl: org.orgUrl });
      expect(reply.status).toBe(200);
      expect(reply.body.issuer).toBe(org.orgUrl);
      expect(reply.body.token_endpoint).toBe(`${org.orgUrl}/oauth2/v1/token`);
    }
  });
});
