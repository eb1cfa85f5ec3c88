import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { BOOTSTRAP_SSWS, OPERATOR, ORIGIN, call, createOrg } from "../support/http";

describe("operator API", () => {
  it("refuses callers without the operator token", async () => {
    for (const auth of [null, "Bearer wrong-token", BOOTSTRAP_SSWS, `SSWS ${env.OPERATOR_TOKEN}`]) {
      const reply = await call("GET", "/_edgeorg/orgs", { auth });
      expect(reply.status).toBe(401);
      expect(reply.body.errorCode).toBe("E0000011");
    }
  });

  it("creates an org with its own API token and lists it", async () => {
    const created = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: { slug: "team-a", ttlSeconds: 3600 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: "team-a", orgUrl: `${ORIGIN}/orgs/team-a` });
    expect(created.body.id).toMatch(/^00o[0-9A-Za-z]{17}$/);
    expect(created.body.apiToken).toMatch(/^00[0-9A-Za-z]{40}$/);
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    const list = await call("GET", "/_edgeorg/orgs", { auth: OPERATOR });
    expect(list.status).toBe(200);
    const listed = list.body.find((o: any) => o.slug === "team-a");
    expect(listed).toMatchObject({ id: created.body.id, orgUrl: `${ORIGIN}/orgs/team-a` });
    expect(listed.apiToken).toBeUndefined();
  });

  it("makes a slug when none is given", async () => {
    const org = await createOrg();
    expect(org.slug).toMatch(/^org-[0-9a-z]{10}$/);
    expect(org.orgUrl).toBe(`${ORIGIN}/orgs/${org.slug}`);
  });

  it("refuses bad slugs, the reserved slug, duplicates and bad TTLs with E0000001", async () => {
    await createOrg({ slug: "taken-slug" });
    const cases: [unknown, unknown, RegExp][] = [
      ["ab", undefined, /^slug: /],
      ["Upper-Case", undefined, /^slug: /],
      ["x".repeat(41), undefined, /^slug: /],
      ["under_score", undefined, /^slug: /],
      [42, undefined, /^slug: /],
      ["default", undefined, /^slug: 'default' is reserved/],
      ["taken-slug", undefined, /^slug: An org with slug 'taken-slug' already exists/],
      [undefined, 0, /^ttlSeconds: /],
      [undefined, 1.5, /^ttlSeconds: /],
      [undefined, "60", /^ttlSeconds: /],
    ];
    for (const [slug, ttlSeconds, cause] of cases) {
      const reply = await call("POST", "/_edgeorg/orgs", { auth: OPERATOR, body: { slug, ttlSeconds } });
      expect(reply.status, JSON.stringify({ slug, ttlSeconds })).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(reply.body.errorCauses[0].errorSummary).toMatch(cause);
    }
  });

  it("deletes an org: its URL and its token stop working", async () => {
    const org = await createOrg({ slug: "short-lived" });
    const before = await call("GET", "/.well-known/openid-configuration", { auth: null, orgUrl: org.orgUrl });
    expect(before.status).toBe(200);

    expect((await call("DELETE", "/_edgeorg/orgs/short-lived", { auth: OPERATOR })).status).toBe(204);
    const after = await call("GET", "/.well-known/openid-configuration", { auth: null, orgUrl: org.orgUrl });
    expect(after.status).toBe(404);
    expect(after.body.errorCode).toBe("E0000008");
    expect((await call("DELETE", "/_edgeorg/orgs/short-lived", { auth: OPERATOR })).status).toBe(404);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE org_id = ?").bind(org.id).first();
    expect(rows?.n).toBe(0);
  });

  it("never addresses the default org under /orgs, nor deletes it", async () => {
    const reply = await call("GET", "/orgs/default/.well-known/openid-configuration", { auth: null });
    expect(reply.status).toBe(404);
    expect((await call("DELETE", "/_edgeorg/orgs/default", { auth: OPERATOR })).status).toBe(404);
  });

  it("answers the operator API at the root only", async () => {
    const org = await createOrg();
    const reply = await call("GET", "/_edgeorg/orgs", { auth: OPERATOR, orgUrl: org.orgUrl });
    expect(reply.status).toBe(404);
  });
});

describe("expired orgs", () => {
  it("are deleted by the scheduled handler, the others kept", async () => {
    const expiring = await createOrg({ slug: "expiring-org", ttlSeconds: 60 });
    const lasting = await createOrg({ slug: "lasting-org", ttlSeconds: 3600 });
    const forever = await createOrg({ slug: "forever-org" });

    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 120_000 }), env);

    const slugs = (await call("GET", "/_edgeorg/orgs", { auth: OPERATOR })).body.map((o: any) => o.slug);
    expect(slugs).not.toContain(expiring.slug);
    expect(slugs).toContain(lasting.slug);
    expect(slugs).toContain(forever.slug);
    const gone = await call("GET", "/.well-known/openid-configuration", { auth: null, orgUrl: expiring.orgUrl });
    expect(gone.status).toBe(404);
  });
});

describe("re-encrypting signing keys after KEY_ENCRYPTION_SECRET was rotated", () => {
  it("re-encrypts every org's keys once, for the operator only", async () => {
    const { app } = await import("../../src/app");
    const { createExecutionContext } = await import("cloudflare:test");
    const org = await createOrg();
    // Publishing the JWKS makes the org server's ACTIVE and NEXT keys under the current secret.
    expect((await call("GET", "/oauth2/v1/keys", { auth: null, orgUrl: org.orgUrl })).status).toBe(200);

    const rotated = { ...env, KEY_ENCRYPTION_SECRET: "the-new-secret", KEY_ENCRYPTION_SECRET_PREVIOUS: env.KEY_ENCRYPTION_SECRET };
    const reencrypt = (auth: string) =>
      app.fetch(
        new Request(`${ORIGIN}/_edgeorg/keys/reencrypt`, { method: "POST", headers: { Authorization: auth } }),
        rotated,
        createExecutionContext(),
      );
    expect((await reencrypt(BOOTSTRAP_SSWS)).status).toBe(401);
    const first = await reencrypt(OPERATOR);
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).reencrypted).toBeGreaterThanOrEqual(2);
    const second = await reencrypt(OPERATOR);
    expect(await second.json()).toEqual({ reencrypted: 0 });
  });
});
