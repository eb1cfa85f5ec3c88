import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { createOrg } from "../support/http";
import { addPolicy, addRule, addScope, api, assign, newServer, newUser, newUserApp, passwordGrant } from "../support/user-grants";

async function groupWith(org: Awaited<ReturnType<typeof createOrg>>, name: string, members: string[]) {
  const group = await api(org, "POST", "/api/v1/groups", { profile: { name } });
  expect(group.status, group.text).toBe(200);
  for (const id of members) expect((await api(org, "PUT", `/api/v1/groups/${group.body.id}/users/${id}`)).status).toBe(204);
  return group.body.id as string;
}

describe("access policy for users (custom server)", () => {
  it("matches people by user and group include, honours exclude, and answers each miss with Okta's text", async () => {
    const org = await createOrg();
    const app = await newUserApp(org);
    const [alice, bob, carol, dave] = await Promise.all([newUser(org), newUser(org), newUser(org), newUser(org)]);
    for (const u of [alice, bob, carol, dave]) await assign(org, app, u.id);
    const eng = await groupWith(org, "Engineering", [bob.id, carol.id]);
    const server = await newServer(org);
    await addScope(org, server, { name: "orders:read" });
    await addScope(org, server, { name: "orders:write" });
    const policy = await addPolicy(org, server, [app.clientId]);
    await addRule(org, server, policy, { people: { users: { include: [alice.id] } }, token: { accessTokenLifetimeMinutes: 15 } });
    await addRule(org, server, policy, {
      people: { groups: { include: [eng] }, users: { exclude: [carol.id] } },
      scopes: ["orders:read"],
      token: { accessTokenLifetimeMinutes: 30 },
    });
    const base = `/oauth2/${server}`;
    const grant = (user: any, scope: string) => passwordGrant(org, base, app, user.profile.login, scope);

    const a = await grant(alice, "openid orders:write");
    expect(a.status, a.text).toBe(200);
    expect(a.body.expires_in).toBe(900);
    // OpenID Connect scopes need no rule listing them.
    const b = await grant(bob, "openid profile orders:read");
    expect(b.status, b.text).toBe(200);
    expect(b.body.expires_in).toBe(1800);
    expect(decodeJwt(b.body.access_token).exp! - decodeJwt(b.body.access_token).iat!).toBe(1800);

    expect((await grant(bob, "orders:read orders:write")).body).toEqual({
      error: "access_denied",
      error_description: "Some of the requested scopes were denied by the policy. Denied scopes: [orders:write]",
    });
    expect((await grant(bob, "orders:write")).body).toEqual({
      error: "access_denied",
      error_description: "Policy evaluation succeeded, but all the requested scopes were rejected.",
    });
    const failed = { error: "access_denied", error_description: "Policy evaluation failed for this request, please check the policy configurations." };
    expect((await grant(carol, "orders:read")).body).toEqual(failed);
    expect((await grant(dave, "orders:read")).body).toEqual(failed);
  });

  it("EVERYONE includes every user, a group exclude keeps its members out, and the grant type must be listed", async () => {
    const org = await createOrg();
    const app = await newUserApp(org);
    const [erin, frank] = await Promise.all([newUser(org), newUser(org)]);
    for (const u of [erin, frank]) await assign(org, app, u.id);
    const contractors = await groupWith(org, "Contractors", [erin.id]);
    const server = await newServer(org);
    const policy = await addPolicy(org, server);
    await addRule(org, server, policy, { people: { groups: { include: ["EVERYONE"], exclude: [contractors] } } });
    const base = `/oauth2/${server}`;
    expect((await passwordGrant(org, base, app, frank.profile.login, "openid")).status).toBe(200);
    expect((await passwordGrant(org, base, app, erin.profile.login, "openid")).body.error).toBe("access_denied");

    const codeOnly = await newServer(org);
    await addRule(org, codeOnly, await addPolicy(org, codeOnly), { grantTypes: ["authorization_code"] });
    expect((await passwordGrant(org, `/oauth2/${codeOnly}`, app, frank.profile.login, "openid")).body).toEqual({
      error: "access_denied",
      error_description: "Policy evaluation failed for this request, please check the policy configurations.",
    });
  });

  it("the org server has no policies: 60-minute access tokens for any assigned user", async () => {
    const org = await createOrg();
    const app = await newUserApp(org);
    const user = await newUser(org);
    await assign(org, app, user.id);
    const reply = await passwordGrant(org, "/oauth2", app, user.profile.login, "openid");
    expect(reply.body.expires_in).toBe(3600);
  });
});
