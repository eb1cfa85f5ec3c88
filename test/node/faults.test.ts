import { Client } from "@okta/okta-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

// Failure injection seen by real clients over HTTP: Okta's Node SDK backs off on an injected
// 429 exactly as on Okta's (X-Rate-Limit-Reset minus Date, plus a second) and then succeeds.
describe("failure injection through @okta/okta-sdk-nodejs", () => {
  let org: NodeTestOrg;
  const operator = { Authorization: `Bearer ${inject("operatorToken")}`, "Content-Type": "application/json", Accept: "application/json" };
  const faults = () => `${inject("orgUrl")}/_edgeorg/orgs/${org.slug}/faults`;

  beforeAll(async () => {
    org = await createOrg();
  });
  afterAll(async () => {
    if (org) await deleteOrg(org.slug);
  });

  async function addRule(rule: Record<string, unknown>) {
    const reply = await fetch(faults(), { method: "POST", headers: operator, body: JSON.stringify(rule) });
    expect(reply.status, await reply.clone().text()).toBe(201);
  }

  it("retries a 429 E0000047 after the reset the headers name, then succeeds", async () => {
    await fetch(faults(), { method: "DELETE", headers: operator });
    await addRule({ method: "GET", path: "/api/v1/groups", fault: "rateLimit", count: 1, resetSeconds: 0 });
    const client = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
    const backoffs: { status: number; requestId: string; delayMs: number }[] = [];
    (client.requestExecutor as any).on("backoff", (_request: unknown, response: Response, requestId: string, delayMs: number) =>
      backoffs.push({ status: response.status, requestId, delayMs }),
    );
    const names: string[] = [];
    for await (const group of await client.groupApi.listGroups()) if (group) names.push(group.profile!.name!);
    expect(names).toContain("Everyone");
    expect(backoffs).toHaveLength(1);
    expect(backoffs[0]!.status).toBe(429);
    expect(backoffs[0]!.delayMs).toBeGreaterThan(0);

    // The request log shows both: the 429 the SDK was given, then its retry answered 200.
    const log = await (await fetch(`${inject("orgUrl")}/_edgeorg/orgs/${org.slug}/requests`, { headers: operator })).json();
    const groups = log.filter((e: any) => e.path.startsWith("/api/v1/groups"));
    expect(groups.slice(0, 2).map((e: any) => [e.status, e.errorCode, e.fault])).toEqual([
      [200, null, null],
      [429, "E0000047", "rateLimit"],
    ]);
    expect(groups[1].requestId).toBe(backoffs[0]!.requestId);
  });

  it("gives up after maxRetries when the org keeps answering 429", async () => {
    await fetch(faults(), { method: "DELETE", headers: operator });
    await addRule({ method: "GET", path: "/api/v1/users/*", fault: "rateLimit", resetSeconds: 0 });
    const client = new Client({ orgUrl: org.orgUrl, token: org.apiToken, maxRetries: 1 } as any);
    await expect(client.userApi.getUser({ userId: "00unobody" })).rejects.toMatchObject({ status: 429, errorCode: "E0000047" });
    await fetch(faults(), { method: "DELETE", headers: operator });
  });

  it("drops the connection: the headers arrive, reading the body fails", async () => {
    await addRule({ path: "/api/v1/apps", fault: "drop", count: 1 });
    const response = await fetch(`${org.orgUrl}/api/v1/apps`, { headers: { Authorization: `SSWS ${org.apiToken}`, Accept: "application/json" } });
    await expect(response.text()).rejects.toThrow();
    const again = await fetch(`${org.orgUrl}/api/v1/apps`, { headers: { Authorization: `SSWS ${org.apiToken}`, Accept: "application/json" } });
    expect(again.status).toBe(200);
  });
});
