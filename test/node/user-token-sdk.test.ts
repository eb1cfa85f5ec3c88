import { Client } from "@okta/okta-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeAppBody } from "../support/oidc-app-body";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

/**
 * OAuth for Okta with a user behind the token (REFERENCE-SIGNIN §7), through
 * @okta/okta-sdk-nodejs. The SDK has two authorization modes, SSWS and
 * PrivateKey (client_credentials); a user's access token is sent the way
 * its `Http` sends every request, by replacing the default Authorization
 * header with `Bearer <token>` — what an app holding a user's token does.
 * The token comes from the org's real password grant.
 */
describe("a user's access token through @okta/okta-sdk-nodejs", () => {
  let org: NodeTestOrg;
  let admin: Client;
  let me: { id: string; login: string };
  let other: { id: string };
  const PASSWORD = "Node-Passw0rd-1";

  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(org.orgUrl + path, {
      method,
      headers: { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }

  function userClient(accessToken: string): Client {
    const client = new Client({ orgUrl: org.orgUrl, token: "unused" });
    client.http.defaultHeaders.Authorization = `Bearer ${accessToken}`;
    return client;
  }

  async function passwordToken(clientId: string, secret: string, username: string, scope: string): Promise<string> {
    const response = await fetch(`${org.orgUrl}/oauth2/v1/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${btoa(`${clientId}:${secret}`)}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", username, password: PASSWORD, scope }),
    });
    const json = await response.json();
    if (response.status !== 200) throw new Error(`password grant: ${response.status} ${JSON.stringify(json)}`);
    return json.access_token;
  }

  let token: string;

  beforeAll(async () => {
    org = await createOrg();
    admin = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
    const made = async (n: string) =>
      admin.userApi.createUser({
        body: { profile: { firstName: "Self", lastName: n, email: `self.${n}@example.com`, login: `self.${n}@example.com` }, credentials: { password: { value: PASSWORD } } },
        activate: true,
      });
    const mine = await made("me");
    me = { id: mine.id!, login: mine.profile!.login! };
    other = { id: (await made("other")).id! };
    const app = await api("POST", "/api/v1/apps", nativeAppBody("Self-service app"));
    for (const scopeId of ["okta.users.read.self", "okta.users.manage.self"]) {
      await api("POST", `/api/v1/apps/${app.id}/grants`, { scopeId, issuer: org.orgUrl });
    }
    await api("POST", `/api/v1/apps/${app.id}/users`, { id: me.id });
    token = await passwordToken(app.credentials.oauthClient.client_id, app.credentials.oauthClient.client_secret, me.login, "openid okta.users.read.self okta.users.manage.self");
  });
  afterAll(async () => {
    if (org) await deleteOrg(org.slug);
  });

  it("GET /api/v1/users/me answers the token's user; POST /users/me updates its profile", async () => {
    const client = userClient(token);
    const self = await client.userApi.getUser({ userId: "me" });
    expect(self.id).toBe(me.id);
    expect(self.profile?.login).toBe(me.login);
    const updated = await client.userApi.updateUser({ userId: "me", user: { profile: { nickName: "Selfie" } as any } });
    expect(updated.profile?.nickName).toBe("Selfie");
    expect(updated.profile?.lastName).toBe("me");
  });

  it("another user's record is refused: 403 with the insufficient_scope challenge", async () => {
    const client = userClient(token);
    const failure = await client.userApi.getUser({ userId: other.id }).then(
      () => null,
      (error) => error,
    );
    expect(failure).not.toBeNull();
    expect(failure.status).toBe(403);
    const challenge = failure.headers?.get?.("www-authenticate") ?? failure.headers?.["www-authenticate"] ?? "";
    expect(String(challenge)).toContain('error="insufficient_scope"');
  });

  it("listing users yields only the caller", async () => {
    const client = userClient(token);
    const ids: string[] = [];
    for await (const user of await client.userApi.listUsers()) if (user) ids.push(user.id!);
    expect(ids).toEqual([me.id]);
  });
});
