import { Client } from "@okta/okta-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcAppBody } from "../support/oidc-app-body";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

// Okta's Node SDK drives /api/v1/apps and its grants exactly as against Okta.
describe("apps and grants through @okta/okta-sdk-nodejs", () => {
  let org: NodeTestOrg;
  let client: Client;
  beforeAll(async () => {
    org = await createOrg();
    client = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
  });
  afterAll(async () => {
    if (org) await deleteOrg(org.slug);
  });

  const oidcApp = (label: string) =>
    oidcAppBody(label, { grant_types: ["authorization_code"], redirect_uris: ["https://sdk.example.com/cb"] });

  it("creates, reads, lists (following Link pages), replaces, deactivates and deletes an OIDC app", async () => {
    const created: any = await client.applicationApi.createApplication({ application: oidcApp("SDK app 0") as any });
    expect(created.id).toMatch(/^0oa/);
    expect(created.signOnMode).toBe("OPENID_CONNECT");
    expect(created.credentials.oauthClient.client_id).toBe(created.id);
    expect(created.credentials.oauthClient.client_secret.length).toBeGreaterThanOrEqual(40);

    const got: any = await client.applicationApi.getApplication({ appId: created.id });
    expect(got.label).toBe("SDK app 0");
    expect(got.settings.oauthClient.redirect_uris).toEqual(["https://sdk.example.com/cb"]);

    for (let i = 1; i < 4; i++) await client.applicationApi.createApplication({ application: oidcApp(`SDK app ${i}`) as any });
    const labels: string[] = [];
    const collection = await client.applicationApi.listApplications({ limit: 2 });
    await collection.each((app: any) => {
      labels.push(app.label);
    });
    expect(labels).toEqual(["SDK app 0", "SDK app 1", "SDK app 2", "SDK app 3"]);

    const replaced: any = await client.applicationApi.replaceApplication({ appId: created.id, application: oidcApp("SDK app renamed") as any });
    expect(replaced.label).toBe("SDK app renamed");

    const refused = await client.applicationApi.deleteApplication({ appId: created.id }).then(
      () => undefined,
      (error: any) => error,
    );
    expect(refused?.status).toBe(403);
    expect(refused?.errorCode).toBe("E0000056");

    await client.applicationApi.deactivateApplication({ appId: created.id });
    await client.applicationApi.deleteApplication({ appId: created.id });
    const gone = await client.applicationApi.getApplication({ appId: created.id }).then(
      () => undefined,
      (error: any) => error,
    );
    expect(gone?.status).toBe(404);
    expect(gone?.errorCode).toBe("E0000007");
  });

  it("grants, lists and revokes okta.* scopes", async () => {
    const app: any = await client.applicationApi.createApplication({ application: oidcApp("SDK grants") as any });
    const grant: any = await client.applicationApi.grantConsentToScope({
      appId: app.id,
      oAuth2ScopeConsentGrant: { issuer: org.orgUrl, scopeId: "okta.users.read" } as any,
    });
    expect(grant.id).toMatch(/^oag/);
    expect(grant.scopeId).toBe("okta.users.read");
    expect(grant.issuer).toBe(org.orgUrl);

    const listed: any[] = [];
    await (await client.applicationApi.listScopeConsentGrants({ appId: app.id, expand: "scope" })).each((g: any) => {
      listed.push(g);
    });
    expect(listed.map((g) => g.scopeId)).toEqual(["okta.users.read"]);

    const one: any = await client.applicationApi.getScopeConsentGrant({ appId: app.id, grantId: grant.id });
    expect(one.id).toBe(grant.id);

    await client.applicationApi.revokeScopeConsentGrant({ appId: app.id, grantId: grant.id });
    const after: any[] = [];
    await (await client.applicationApi.listScopeConsentGrants({ appId: app.id })).each((g: any) => {
      after.push(g);
    });
    expect(after).toEqual([]);
  });
});
