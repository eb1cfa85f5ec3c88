import { Client } from "@okta/okta-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

// Okta's Node SDK (groupApi) manages groups, members and rules against edgeorg as against Okta.
describe("groups through @okta/okta-sdk-nodejs", () => {
  let org: NodeTestOrg;
  let client: Client;
  const users: { id: string; login: string }[] = [];

  beforeAll(async () => {
    org = await createOrg();
    client = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
    for (let i = 0; i < 7; i++) {
      const login = `sdk-member-${i}@example.com`;
      const user = await client.userApi.createUser({
        body: { profile: { firstName: `M${i}`, lastName: "Sdk", email: login, login, department: i % 2 ? "Odd" : "Even" } as any },
        activate: false,
      });
      users.push({ id: user.id!, login });
    }
  });
  afterAll(async () => {
    if (org) await deleteOrg(org.slug);
  });

  async function all<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of collection) if (item) out.push(item);
    return out;
  }

  it("creates, reads, replaces, lists and deletes a group", async () => {
    const group = await client.groupApi.createGroup({ group: { profile: { name: "SDK group", description: "made by the SDK" } } });
    expect(group.id).toMatch(/^00g/);
    expect(group.type).toBe("OKTA_GROUP");
    expect(group.objectClass).toEqual(["okta:user_group"]);
    const read = await client.groupApi.getGroup({ groupId: group.id! });
    expect(read.profile?.name).toBe("SDK group");
    const replaced = await client.groupApi.replaceGroup({ groupId: group.id!, group: { profile: { name: "SDK group renamed" } } });
    expect(replaced.profile?.name).toBe("SDK group renamed");
    expect(replaced.profile?.description).toBeUndefined();
    const found = await all(await client.groupApi.listGroups({ q: "SDK group" }));
    expect(found.map((g) => g.id)).toEqual([group.id]);
    const searched = await all(await client.groupApi.listGroups({ search: 'profile.name sw "sdk"' }));
    expect(searched.map((g) => g.id)).toContain(group.id);
    const everything = await all(await client.groupApi.listGroups({ limit: 1 }));
    expect(everything.map((g) => g.profile?.name).sort()).toEqual(["Everyone", "SDK group renamed"]);
    await client.groupApi.deleteGroup({ groupId: group.id! });
    const error = await client.groupApi.getGroup({ groupId: group.id! }).catch((e) => e);
    expect(error.status).toBe(404);
    expect(error.errorCode).toBe("E0000007");
  });

  it("refuses a duplicate name with E0000001", async () => {
    await client.groupApi.createGroup({ group: { profile: { name: "Unique SDK" } } });
    const error = await client.groupApi.createGroup({ group: { profile: { name: "unique sdk" } } }).catch((e) => e);
    expect(error.status).toBe(400);
    expect(error.errorCode).toBe("E0000001");
    expect(error.errorCauses[0].errorSummary).toBe("name: An object with this field already exists in the current organization");
  });

  it("assigns members and lists them over several pages (listGroupUsers follows Link headers)", async () => {
    const group = await client.groupApi.createGroup({ group: { profile: { name: "Paged SDK members" } } });
    for (const u of users) await client.groupApi.assignUserToGroup({ groupId: group.id!, userId: u.id });
    await client.groupApi.assignUserToGroup({ groupId: group.id!, userId: users[0]!.id }); // idempotent
    const listed = await all(await client.groupApi.listGroupUsers({ groupId: group.id!, limit: 2 }));
    expect(listed.map((u) => u.id)).toEqual(users.map((u) => u.id).sort());
    expect(listed[0]!.profile?.login).toMatch(/^sdk-member-/);
    await client.groupApi.unassignUserFromGroup({ groupId: group.id!, userId: users[0]!.id });
    const after = await all(await client.groupApi.listGroupUsers({ groupId: group.id!, limit: 3 }));
    expect(after.length).toBe(users.length - 1);
    const ofUser = await all(await client.userApi.listUserGroups({ userId: users[1]!.id }));
    expect(ofUser.map((g) => g.profile?.name).sort()).toEqual(["Everyone", "Paged SDK members"]);
    const [withStats] = await all(await client.groupApi.listGroups({ q: "Paged SDK members", expand: "stats" }));
    expect((withStats as any)._embedded?.stats?.usersCount).toBe(users.length - 1);
  });

  it("manages a group rule: create INACTIVE, activate assigns matching users, deactivate, delete", async () => {
    const group = await client.groupApi.createGroup({ group: { profile: { name: "Even by rule" } } });
    const rule = await client.groupApi.createGroupRule({
      groupRule: {
        type: "group_rule",
        name: "Even department",
        conditions: { expression: { type: "urn:okta:expression:1.0", value: 'user.department == "Even"' } },
        actions: { assignUserToGroups: { groupIds: [group.id!] } },
      },
    });
    expect(rule.status).toBe("INACTIVE");
    await client.groupApi.activateGroupRule({ ruleId: rule.id! });
    expect((await client.groupApi.getGroupRule({ ruleId: rule.id! })).status).toBe("ACTIVE");
    const members = await all(await client.groupApi.listGroupUsers({ groupId: group.id! }));
    expect(members.map((u) => u.id).sort()).toEqual(users.filter((_, i) => i % 2 === 0).map((u) => u.id).sort());
    const rules = await all(await client.groupApi.listGroupRules({ expand: "groupIdToGroupNameMap" } as any));
    expect(rules.map((r) => r.id)).toContain(rule.id);
    const refused = await client.groupApi
      .replaceGroupRule({ ruleId: rule.id!, groupRule: { ...rule, name: "Renamed" } as any })
      .catch((e) => e);
    expect(refused.status).toBe(400);
    await client.groupApi.deactivateGroupRule({ ruleId: rule.id! });
    const renamed = await client.groupApi.replaceGroupRule({
      ruleId: rule.id!,
      groupRule: {
        type: "group_rule",
        name: "Renamed rule",
        conditions: { expression: { type: "urn:okta:expression:1.0", value: 'user.department == "Odd"' } },
        actions: { assignUserToGroups: { groupIds: [group.id!] } },
      },
    });
    expect(renamed.name).toBe("Renamed rule");
    expect(renamed.status).toBe("INACTIVE");
    await client.groupApi.deleteGroupRule({ ruleId: rule.id!, removeUsers: true });
    expect(await all(await client.groupApi.listGroupUsers({ groupId: group.id! }))).toEqual([]);
  });

  it("manages owners", async () => {
    const group = await client.groupApi.createGroup({ group: { profile: { name: "Owned by SDK" } } });
    const owner = await client.groupApi.assignGroupOwner({ groupId: group.id!, GroupOwner: { id: users[2]!.id, type: "USER" } } as any);
    expect(owner.id).toBe(users[2]!.id);
    expect(owner.type).toBe("USER");
    const owners = await all(await client.groupApi.listGroupOwners({ groupId: group.id! }));
    expect(owners.map((o) => o.id)).toEqual([users[2]!.id]);
    await client.groupApi.deleteGroupOwner({ groupId: group.id!, ownerId: users[2]!.id });
    expect(await all(await client.groupApi.listGroupOwners({ groupId: group.id! }))).toEqual([]);
    expect(await all(await client.groupApi.listAssignedApplicationsForGroup({ groupId: group.id! }))).toEqual([]);
  });
});
