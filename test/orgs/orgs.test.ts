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

describe("an org per branch: get-or-create by slug, another API token", () => {
  it("PUT makes the org once (201 with its token), then returns it (200, no token) and moves its expiry", async () => {
    const first = await call("PUT", "/_edgeorg/orgs/feature-foo", { auth: OPERATOR, body: { ttlSeconds: 3600 } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ slug: "feature-foo", orgUrl: `${ORIGIN}/orgs/feature-foo` });
    expect(first.body.apiToken).toMatch(/^00[0-9A-Za-z]{40}$/);
    const users = await call("GET", "/api/v1/users", { auth: `SSWS ${first.body.apiToken}`, orgUrl: first.body.orgUrl });
    expect(users.status).toBe(200);

    const again = await call("PUT", "/_edgeorg/orgs/feature-foo", { auth: OPERATOR, body: { ttlSeconds: 7 * 86400 } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, slug: "feature-foo", created: expect.any(String) });
    expect(again.body.apiToken).toBeUndefined();
    expect(Date.parse(again.body.expiresAt) - Date.now()).toBeGreaterThan(6 * 86400_000);

    const kept = await call("PUT", "/_edgeorg/orgs/feature-foo", { auth: OPERATOR });
    expect(kept.status).toBe(200);
    expect(kept.body.expiresAt).toBe(again.body.expiresAt);
    const listed = await call("GET", "/_edgeorg/orgs", { auth: OPERATOR });
    expect(listed.body.filter((o: any) => o.slug === "feature-foo")).toHaveLength(1);
  });

  it("concurrent PUTs of one slug make one org", async () => {
    const replies = await Promise.all([1, 2, 3].map(() => call("PUT", "/_edgeorg/orgs/raced-branch", { auth: OPERATOR })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
  });

  it("PUT refuses what POST refuses, and callers without the operator token", async () => {
    for (const [path, body, cause] of [
      ["/_edgeorg/orgs/Feature_Foo", {}, /^slug: /],
      ["/_edgeorg/orgs/default", {}, /^slug: 'default' is reserved/],
      ["/_edgeorg/orgs/good-slug", { ttlSeconds: 0 }, /^ttlSeconds: /],
    ] as const) {
      const reply = await call("PUT", path, { auth: OPERATOR, body });
      expect(reply.status, path).toBe(400);
      expect(reply.body.errorCode).toBe("E0000001");
      expect(reply.body.errorCauses[0].errorSummary).toMatch(cause);
    }
    const anonymous = await call("PUT", "/_edgeorg/orgs/sneaky", { auth: BOOTSTRAP_SSWS });
    expect(anonymous.status).toBe(401);
    const issued = await call("POST", "/_edgeorg/orgs/sneaky/apiTokens", { auth: BOOTSTRAP_SSWS });
    expect(issued.status).toBe(401);
  });

  it("issues another working API token for an existing org; the earlier one keeps working; both go with the org", async () => {
    const org = await createOrg({ slug: "token-again" });
    const issued = await call("POST", "/_edgeorg/orgs/token-again/apiTokens", { auth: OPERATOR, body: { name: "ci" } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ name: "ci", id: expect.any(String), created: expect.any(String) });
    expect(issued.body.apiToken).toMatch(/^00[0-9A-Za-z]{40}$/);
    expect(issued.body.apiToken).not.toBe(org.apiToken);
    for (const token of [org.apiToken, issued.body.apiToken]) {
      expect((await call("GET", "/api/v1/users/me", { auth: `SSWS ${token}`, orgUrl: org.orgUrl })).status).toBe(200);
    }
    // Not a token of any other org.
    expect((await call("GET", "/api/v1/users", { auth: `SSWS ${issued.body.apiToken}` })).status).toBe(401);

    expect((await call("DELETE", "/_edgeorg/orgs/token-again", { auth: OPERATOR })).status).toBe(204);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE org_id = ?").bind(org.id).first();
    expect(rows?.n).toBe(0);
  });

  it("issues no token for an unknown org, the default org, or a bad name", async () => {
    expect((await call("POST", "/_edgeorg/orgs/nobody-here/apiTokens", { auth: OPERATOR })).status).toBe(404);
    expect((await call("POST", "/_edgeorg/orgs/default/apiTokens", { auth: OPERATOR })).status).toBe(404);
    await createOrg({ slug: "bad-names" });
    const reply = await call("POST", "/_edgeorg/orgs/bad-names/apiTokens", { auth: OPERATOR, body: { name: 5 } });
    expect(reply.status).toBe(400);
    expect(reply.body.errorCauses[0].errorSummary).toMatch(/^name: /);
  });
});
