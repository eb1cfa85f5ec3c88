import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeClientTokens, SYNC_INTERVAL_MS, syncWindow } from "../../src/oauth/tokens/revocations";
import { oauthRevokedTokens } from "../../src/oauth/table";
import { call, createOrg, type TestOrg } from "../support/http";
import { getAccessToken, jwtPayload } from "../support/oauth";
import { testDb } from "./forge";

/**
 * The revocation list as verifiers see it: a revocation written by another
 * isolate (a row in D1 this isolate did not write) is applied within
 * the sync interval, with no D1 read per request in between.
 */
let org: TestOrg;
beforeAll(async () => {
  org = await createOrg();
  // A short sync interval, so the test watches a sync happen instead of sleeping through 5 s.
  syncWindow.ms = 300;
});
afterAll(() => {
  syncWindow.ms = SYNC_INTERVAL_MS;
});

const read = (token: string) => call("GET", "/api/v1/apps", { orgUrl: org.orgUrl, auth: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("revocations made elsewhere", () => {
  it("a token revoked by another isolate is refused within the sync interval", async () => {
    const token = await getAccessToken(["okta.apps.read"], { org });
    expect((await read(token.accessToken)).status).toBe(200);
    const claims = jwtPayload(token.accessToken);
    // What revoke.ts in another isolate writes; this isolate's copy does not know it yet.
    await testDb().insert(oauthRevokedTokens).values({ orgId: org.id, jti: claims.jti, clientId: claims.cid, exp: claims.exp, revokedAt: Date.now() });
    const deadline = Date.now() + syncWindow.ms + 1_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await read(token.accessToken)).status;
      if (status === 200) await sleep(250);
    }
    expect(status).toBe(401);
  }, 15_000);
});

describe("revoking a client (deactivation or deletion of its app)", () => {
  it("refuses every token it got before, and not those it gets after", async () => {
    const before = await getAccessToken(["okta.apps.read"], { org });
    expect((await read(before.accessToken)).status).toBe(200);
    await revokeClientTokens(testDb(), org.id, before.client.clientId);
    const refused = await read(before.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error_description="The access token has been revoked."');
    // iat has a one-second grain: a token of the same second as the revocation is refused too.
    await sleep(1_100);
    const after = await getAccessToken(["okta.apps.read"], { org, client: before.client });
    expect((await read(after.accessToken)).status).toBe(200);
  });
});
