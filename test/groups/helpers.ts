import { call, type TestOrg } from "../support/http";

export function as(org: TestOrg) {
  return {
    get: (path: string) => call("GET", path, { auth: org.ssws, orgUrl: org.orgUrl }),
    post: (path: string, body?: unknown) => call("POST", path, { auth: org.ssws, orgUrl: org.orgUrl, body }),
    put: (path: string, body?: unknown) => call("PUT", path, { auth: org.ssws, orgUrl: org.orgUrl, body }),
    del: (path: string) => call("DELETE", path, { auth: org.ssws, orgUrl: org.orgUrl }),
  };
}

export type Api = ReturnType<typeof as>;

export async function makeUser(api: Api, login: string, extra: Record<string, unknown> = {}, groupIds?: string[]) {
  const [first] = login.split("@");
  const reply = await api.post("/api/v1/users?activate=false", {
    profile: { firstName: first, lastName: "Test", email: login, login, ...extra },
    ...(groupIds ? { groupIds } : {}),
  });
  if (reply.status !== 200) throw new Error(`user creation failed: ${reply.status} ${reply.text}`);
  return reply.body as { id: string; profile: Record<string, unknown> };
}

export async function makeGroup(api: Api, name: string, description?: string) {
  const reply = await api.post("/api/v1/groups", { profile: { name, ...(description !== undefined ? { description } : {}) } });
  if (reply.status !== 200) throw new Error(`group creation failed: ${reply.status} ${reply.text}`);
  return reply.body as { id: string; profile: { name: string; description?: string }; lastMembershipUpdated: string; lastUpdated: string };
}

export async function memberIds(api: Api, groupId: string): Promise<string[]> {
  const reply = await api.get(`/api/v1/groups/${groupId}/users?limit=1000`);
  if (reply.status !== 200) throw new Error(`members failed: ${reply.status} ${reply.text}`);
  return (reply.body as { id: string }[]).map((u) => u.id).sort();
}

export function expectOktaErrorShape(body: any, code: string) {
  if (body?.errorCode !== code) throw new Error(`expected ${code}, got ${JSON.stringify(body)}`);
}
