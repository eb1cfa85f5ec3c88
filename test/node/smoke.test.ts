import { Client } from "@okta/okta-sdk-nodejs";
import { afterAll, describe, expect, it } from "vitest";
import { createOrg, defaultOrg, deleteOrg } from "./support/org";

// The harness itself: a real worker over HTTP, driven by Okta's own Node SDK.
describe("Node-side harness", () => {
  const { orgUrl, apiToken } = defaultOrg();
  const client = new Client({ orgUrl, token: apiToken });
  const made: string[] = [];
  afterAll(async () => {
    for (const slug of made) await deleteOrg(slug);
  });

  it("serves the default org's discovery document to the SDK's HTTP client", async () => {
    const response = await client.http.http(`${orgUrl}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(orgUrl);
    expect(metadata.jwks_uri).toBe(`${orgUrl}/oauth2/v1/keys`);
  });

  it("gives a fresh org its own URL, under which an unchanged SDK works", async () => {
    const org = await createOrg();
    made.push(org.slug);
    expect(org.orgUrl).toBe(`${orgUrl}/orgs/${org.slug}`);
    const orgClient = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
    const response = await orgClient.http.http(`${org.orgUrl}/.well-known/openid-configuration`);
    expect(((await response.json()) as { issuer: string }).issuer).toBe(org.orgUrl);
  });

  it("turns an Okta error into the SDK's OktaApiError", async () => {
    // E0000007 once /api/v1/users exists, E0000008 (no such route) before: both are Okta 404s the SDK must parse.
    const error = await client.userApi.getUser({ userId: "00unosuchuser0000000" }).then(
      () => undefined,
      (caught: unknown) => caught as { status?: number; errorCode?: string; errorSummary?: string },
    );
    expect(error?.status).toBe(404);
    expect(error?.errorCode).toMatch(/^E000000[78]$/);
    expect(error?.errorSummary).toBeTruthy();
  });
});
