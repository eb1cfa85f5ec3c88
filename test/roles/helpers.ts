import { expect } from "vitest";
import { OPERATOR, call, type Reply, type TestOrg } from "../support/http";

/** Requests with one Authorization header value against one org. */
export function as(org: Pick<TestOrg, "orgUrl">, auth: string) {
  return {
    get: (path: string) => call("GET", path, { auth, orgUrl: org.orgUrl }),
    post: (path: string, body?: unknown) => call("POST", path, { auth, orgUrl: org.orgUrl, body }),
    put: (path: string, body?: unknown) => call("PUT", path, { auth, orgUrl: org.orgUrl, body }),
    del: (path: string) => call("DELETE", path, { auth, orgUrl: org.orgUrl }),
  };
}
export type Api = ReturnType<typeof as>;

let counter = 0;
export async function makeUser(api: Api, groupIds?: string[]): Promise<{ id: string }> {
  counter += 1;
  const login = `admin${counter}.${Date.now().toString(36)}@example.com`;
  const reply = await api.post("/api/v1/users?activate=false", {
    profile: { firstName: "Role", lastName: `Holder${counter}`, email: login, login },
    ...(groupIds ? { groupIds } : {}),
  });
  if (reply.status !== 200) throw new Error(`user creation failed: ${reply.status} ${reply.text}`);
  return reply.body;
}

export async function makeGroup(api: Api): Promise<{ id: string }> {
  counter += 1;
  const reply = await api.post("/api/v1/groups", { profile: { name: `role-group-${counter}-${Date.now().toString(36)}` } });
  if (reply.status !== 200) throw new Error(`group creation failed: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** An SSWS token for a user, made through the operator API (Okta makes them only in its console). */
export async function tokenFor(org: TestOrg, userId: string, name?: string): Promise<{ ssws: string; id: string; reply: Reply }> {
  const reply = await call("POST", `/_edgeorg/orgs/${org.slug}/apiTokens`, { auth: OPERATOR, body: { userId, ...(name ? { name } : {}) } });
  expect(reply.status, reply.text).toBe(201);
  return { ssws: `SSWS ${reply.body.apiToken}`, id: reply.body.id, reply };
}

export async function assignRole(api: Api, principalPath: string, type: string): Promise<any> {
  const reply = await api.post(`${principalPath}/roles`, { type });
  expect([200, 201], reply.text).toContain(reply.status);
  return reply.body;
}

/** A user holding `type` directly (optionally limited to targets) and an SSWS token acting for it. */
export async function adminWith(
  org: TestOrg,
  type: string,
  targets: { groups?: string[]; apps?: string[] } = {},
): Promise<{ userId: string; roleId: string; api: Api; ssws: string }> {
  const root = as(org, org.ssws);
  const user = await makeUser(root);
  const role = await assignRole(root, `/api/v1/users/${user.id}`, type);
  for (const groupId of targets.groups ?? []) {
    expect((await root.put(`/api/v1/users/${user.id}/roles/${role.id}/targets/groups/${groupId}`)).status).toBe(204);
  }
  for (const appId of targets.apps ?? []) {
    expect((await root.put(`/api/v1/users/${user.id}/roles/${role.id}/targets/catalog/apps/oidc_client/${appId}`)).status).toBe(204);
  }
  const { ssws } = await tokenFor(org, user.id);
  return { userId: user.id, roleId: role.id, api: as(org, ssws), ssws };
}

/** 403 E0000006: the role step refused (REFERENCE-SIGNIN §7.1). */
export function expectNoPermission(reply: Reply): void {
  expect(reply.status, reply.text).toBe(403);
  expect(reply.body).toMatchObject({ errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action" });
}

/** Past the role step: anything but its 403 (the handler may still say 400/404). */
export function expectPermitted(reply: Reply): void {
  expect(reply.status === 403 && reply.body?.errorCode === "E0000006", `${reply.status} ${reply.text}`).toBe(false);
  expect(reply.status, reply.text).not.toBe(401);
}
