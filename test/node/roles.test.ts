import { Client } from "@okta/okta-sdk-nodejs";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM module (no type declarations)
import { serviceAppBody } from "../../scripts/lib/oauth-client.mjs";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

/**
 * Admin roles with Okta's own Node SDK (REFERENCE-SIGNIN §7.1, §8.5), in an
 * org with "Public client app admins" off, so that a service app has only
 * the roles it is given: the SDK in SSWS mode assigns them (RoleAssignmentApi,
 * RoleTargetApi), the SDK in PrivateKey mode then acts with them.
 */
let org: NodeTestOrg;
let admin: Client;
let inGroup: string;
let groupId: string;

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${org.orgUrl}${path}`, {
    method,
    headers: { Authorization: `SSWS ${org.apiToken}`, "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} failed: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const SCOPES = ["okta.users.manage", "okta.groups.read"];

async function serviceClient() {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const app = await api("POST", "/api/v1/apps", serviceAppBody({ label: "roles sdk client", publicJwk, kid, dpop: false }));
  for (const scopeId of SCOPES) await api("POST", `/api/v1/apps/${app.id}/grants`, { scopeId, issuer: org.orgUrl });
  const clientId = app.credentials.oauthClient.client_id as string;
  const sdk = new Client({ orgUrl: org.orgUrl, authorizationMode: "PrivateKey", clientId, privateKey: JSON.stringify({ ...(await exportJWK(privateKey)), kid }), scopes: SCOPES });
  return { clientId, sdk };
}

async function listLogins(client: Client): Promise<string[]> {
  const logins: string[] = [];
  for await (const user of await client.userApi.listUsers()) logins.push(user!.profile!.login!);
  return logins.sort();
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { status?: number; errorCode?: string }) => error,
  );

beforeAll(async () => {
  org = await createOrg({ settings: { publicClientAppAdmins: false } });
  admin = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
  groupId = (await api("POST", "/api/v1/groups", { profile: { name: "Engineering" } })).id;
  const member = { firstName: "Grace", lastName: "Hopper", email: "grace@example.com", login: "grace@example.com" };
  inGroup = (await api("POST", "/api/v1/users?activate=false", { profile: member, groupIds: [groupId] })).profile.login;
  await api("POST", "/api/v1/users?activate=false", { profile: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", login: "ada@example.com" } });
});

afterAll(async () => {
  if (org) await deleteOrg(org.slug);
});

describe("@okta/okta-sdk-nodejs PrivateKey mode with admin roles (setting off)", () => {
  it("without a role the granted client gets E0000006", async () => {
    const { sdk } = await serviceClient();
    const error = await failure(listLogins(sdk));
    expect(error?.status).toBe(403);
    expect(error?.errorCode).toBe("E0000006");
  });

  it("READ_ONLY_ADMIN: reads pass, writes get 403 E0000006", async () => {
    const { clientId, sdk } = await serviceClient();
    const role = await admin.roleAssignmentApi.assignRoleToClient({ clientId, assignRoleRequest: { type: "READ_ONLY_ADMIN" } });
    expect(role).toMatchObject({ type: "READ_ONLY_ADMIN", assignmentType: "CLIENT", status: "ACTIVE" });
    const roles: string[] = [];
    for await (const r of await admin.roleAssignmentApi.listRolesForClient({ clientId })) roles.push(r!.type!);
    expect(roles).toEqual(["READ_ONLY_ADMIN"]);

    expect(await listLogins(sdk)).toEqual(["admin@" + org.slug + ".edgeorg.local", "ada@example.com", inGroup].sort());
    const error = await failure(
      sdk.userApi.createUser({ body: { profile: { firstName: "No", lastName: "Way", email: "no@example.com", login: "no@example.com" } } }),
    );
    expect(error?.status).toBe(403);
    expect(error?.errorCode).toBe("E0000006");
  });

  it("USER_ADMIN on one group: the user list shows only that group's users", async () => {
    const { clientId, sdk } = await serviceClient();
    const role = await admin.roleAssignmentApi.assignRoleToClient({ clientId, assignRoleRequest: { type: "USER_ADMIN" } });
    await admin.roleTargetApi.assignGroupTargetRoleForClient({ clientId, roleAssignmentId: role.id!, groupId });
    const targets: string[] = [];
    for await (const group of await admin.roleTargetApi.listGroupTargetRoleForClient({ clientId, roleAssignmentId: role.id! })) targets.push(group!.id!);
    expect(targets).toEqual([groupId]);
    expect(await listLogins(sdk)).toEqual([inGroup]);
  });
});
