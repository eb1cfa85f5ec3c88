import { Client } from "@okta/okta-sdk-nodejs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

// Okta's Node SDK (userApi) drives the Users API against edgeorg as against Okta.
describe("users through @okta/okta-sdk-nodejs", () => {
  let org: NodeTestOrg;
  let client: Client;
  const PASSWORD = "Node-Passw0rd-1";
  const profile = (n: string, extra: Record<string, unknown> = {}) => ({
    firstName: `First${n}`,
    lastName: `Last${n}`,
    email: `sdk.${n}@example.com`,
    login: `sdk.${n}@example.com`,
    ...extra,
  });

  beforeAll(async () => {
    org = await createOrg();
    client = new Client({ orgUrl: org.orgUrl, token: org.apiToken });
  });
  afterAll(async () => {
    if (org) await deleteOrg(org.slug);
  });

  async function all<T>(collection: AsyncIterable<T | null>): Promise<T[]> {
    const out: T[] = [];
    for await (const item of collection) if (item) out.push(item);
    return out;
  }
  const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error("expected a failure"); }, (e) => e);

  it("creates (every scenario), reads by id and login, updates, replaces", async () => {
    const staged = await client.userApi.createUser({ body: { profile: profile("staged") }, activate: false });
    expect(staged.status).toBe("STAGED");
    const provisioned = await client.userApi.createUser({ body: { profile: profile("prov") } });
    expect(provisioned.status).toBe("PROVISIONED");
    const active = await client.userApi.createUser({
      body: { profile: profile("active"), credentials: { password: { value: PASSWORD }, recovery_question: { question: "Q?", answer: "The answer" } } },
      activate: true,
    });
    expect(active.status).toBe("ACTIVE");
    expect(active.credentials?.provider?.type).toBe("OKTA");
    const expired = await client.userApi.createUser({
      body: { profile: profile("expired"), credentials: { password: { value: PASSWORD } } },
      activate: true,
      nextLogin: "changePassword",
    });
    expect(expired.status).toBe("PASSWORD_EXPIRED");

    const noPassword = await failure(client.userApi.createUser({ body: { profile: profile("x") }, nextLogin: "changePassword" }));
    expect(noPassword.status).toBe(400);
    expect(noPassword.errorCode).toBe("E0000124");

    const byLogin = await client.userApi.getUser({ userId: "sdk.active@example.com" });
    expect(byLogin.id).toBe(active.id);
    const updated = await client.userApi.updateUser({ userId: active.id!, user: { profile: { nickName: "Acty" } as any } });
    expect(updated.profile?.nickName).toBe("Acty");
    expect(updated.profile?.firstName).toBe("Firstactive");
    const replaced = await client.userApi.replaceUser({ userId: active.id!, user: { profile: profile("active") } });
    expect(replaced.profile?.nickName).toBeUndefined();

    const dup = await failure(client.userApi.createUser({ body: { profile: profile("ACTIVE") } }));
    expect(dup.status).toBe(400);
    expect(dup.errorCode).toBe("E0000001");
    expect(dup.errorCauses[0].errorSummary).toBe("login: An object with this field already exists in the current organization");
  });

  it("lifecycle: activate, suspend, unsuspend, reset_password, expire, deactivate, delete", async () => {
    const user = await client.userApi.createUser({
      body: { profile: profile("life"), credentials: { password: { value: PASSWORD } } },
      activate: false,
    });
    const token = await client.userApi.activateUser({ userId: user.id!, sendEmail: false });
    expect(token.activationUrl).toBe(`${org.orgUrl}/welcome/${token.activationToken}`);
    expect((await client.userApi.getUser({ userId: user.id! })).status).toBe("ACTIVE");
    const already = await failure(client.userApi.activateUser({ userId: user.id!, sendEmail: false }));
    expect(already.status).toBe(403);
    expect(already.errorCode).toBe("E0000016");

    await client.userApi.suspendUser({ userId: user.id! });
    expect((await client.userApi.getUser({ userId: user.id! })).status).toBe("SUSPENDED");
    await client.userApi.unsuspendUser({ userId: user.id! });
    const unlock = await failure(client.userApi.unlockUser({ userId: user.id! }));
    expect(unlock.errorCode).toBe("E0000032");

    // SDK 8.1 deserialises this response as a User and so drops `tempPassword` (Okta answers
    // {tempPassword}, as edgeorg does); the call still works and expires the password.
    await client.userApi.expirePasswordAndGetTemporaryPassword({ userId: user.id! });
    expect((await client.userApi.getUser({ userId: user.id! })).status).toBe("PASSWORD_EXPIRED");
    // The legacy form, read raw, gives the temporary password.
    const raw = await fetch(`${org.orgUrl}/api/v1/users/${user.id}/lifecycle/expire_password?tempPassword=true`, {
      method: "POST",
      headers: { Authorization: `SSWS ${org.apiToken}`, Accept: "application/json" },
    });
    const temp = (await raw.json()) as { tempPassword: string };
    expect(temp.tempPassword).toMatch(/^[A-Za-z0-9]{8}$/);
    await client.userApi.changePassword({
      userId: user.id!,
      changePasswordRequest: { oldPassword: { value: temp.tempPassword }, newPassword: { value: "Changed-Passw0rd" } },
    });
    expect((await client.userApi.getUser({ userId: user.id! })).status).toBe("ACTIVE");

    const reset = await client.userApi.generateResetPasswordToken({ userId: user.id!, sendEmail: false });
    expect(reset.resetPasswordUrl).toMatch(new RegExp(`^${org.orgUrl}/signin/reset-password/`));
    expect((await client.userApi.getUser({ userId: user.id! })).status).toBe("RECOVERY");

    await client.userApi.deactivateUser({ userId: user.id! });
    expect((await client.userApi.getUser({ userId: user.id! })).status).toBe("DEPROVISIONED");
    await client.userApi.deleteUser({ userId: user.id! });
    const gone = await failure(client.userApi.getUser({ userId: user.id! }));
    expect(gone.status).toBe(404);
    expect(gone.errorCode).toBe("E0000007");
  });

  it("credentials: change_recovery_question, forgot_password with the recovery answer", async () => {
    const user = await client.userApi.createUser({
      body: { profile: profile("cred"), credentials: { password: { value: PASSWORD }, recovery_question: { question: "Colour?", answer: "Deep blue" } } },
    });
    const changed = await client.userApi.changeRecoveryQuestion({
      userId: user.id!,
      userCredentials: { password: { value: PASSWORD }, recovery_question: { question: "Pet?", answer: "Felix the cat" } },
    });
    expect(changed.recovery_question?.question).toBe("Pet?");
    const recovered = await client.userApi.forgotPasswordSetNewPassword({
      userId: user.id!,
      userCredentials: { password: { value: "Recovered-Passw0rd" }, recovery_question: { answer: "FELIX THE CAT" } },
    });
    expect(recovered.password).toEqual({});
    const wrong = await failure(
      client.userApi.forgotPasswordSetNewPassword({
        userId: user.id!,
        userCredentials: { password: { value: "Recovered-Passw0rd2" }, recovery_question: { answer: "Rex" } },
      }),
    );
    expect(wrong.status).toBe(403);
    expect(wrong.errorCode).toBe("E0000087");
  });

  it("lists with search and filter, and follows Link pages with limit=2", async () => {
    for (let i = 0; i < 5; i++) {
      await client.userApi.createUser({ body: { profile: profile(`page${i}`, { lastName: `Pager${i}` }) }, activate: false });
    }
    const everyone = await all(await client.userApi.listUsers({ limit: 2 }));
    const ids = everyone.map((u) => u.id!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(everyone.map((u) => u.profile?.lastName)).toEqual(expect.arrayContaining(["Pager0", "Pager1", "Pager2", "Pager3", "Pager4"]));
    const paged = await all(await client.userApi.listUsers({ search: 'profile.lastName sw "pager"', limit: 2, sortBy: "profile.lastName", sortOrder: "desc" }));
    expect(paged.map((u) => u.profile?.lastName)).toEqual(["Pager4", "Pager3", "Pager2", "Pager1", "Pager0"]);
    const filtered = await all(await client.userApi.listUsers({ filter: 'profile.lastName eq "Pager3"' }));
    expect(filtered.map((u) => u.profile?.lastName)).toEqual(["Pager3"]);
    const q = await all(await client.userApi.listUsers({ q: "pager" }));
    expect(q.map((u) => u.profile?.lastName).sort()).toEqual(["Pager0", "Pager1", "Pager2", "Pager3", "Pager4"]);
  });

  it("reactivate, reset_factors, expire_password, forgot_password and me", async () => {
    const provisioned = await client.userApi.createUser({ body: { profile: profile("react") } });
    expect(provisioned.status).toBe("PROVISIONED");
    const reactivated = await client.userApi.reactivateUser({ userId: provisioned.id!, sendEmail: false });
    expect(reactivated.activationUrl).toMatch(new RegExp(`^${org.orgUrl}/`));
    expect((await client.userApi.getUser({ userId: provisioned.id! })).status).toBe("PROVISIONED");

    const user = await client.userApi.createUser({
      body: {
        profile: profile("forgot"),
        credentials: { password: { value: PASSWORD }, recovery_question: { question: "Favourite tree?", answer: "Oak" } },
      },
    });
    await client.userApi.resetFactors({ userId: user.id! });
    expect((await client.userApi.getUser({ userId: user.id! })).status).toBe("ACTIVE");
    const forgot = await client.userApi.forgotPassword({ userId: user.id!, sendEmail: false });
    expect(forgot.resetPasswordUrl).toMatch(new RegExp(`^${org.orgUrl}/`));
    const expired = await client.userApi.expirePassword({ userId: user.id! });
    expect(expired.status).toBe("PASSWORD_EXPIRED");

    const me = await client.userApi.getUser({ userId: "me" });
    expect(me.status).toBe("ACTIVE");
    expect(me.id).toMatch(/^00u/);
  });

  it("groups of a user include Everyone; app links are empty", async () => {
    const user = await client.userApi.createUser({ body: { profile: profile("groups") } });
    const groups = await all(await client.userApi.listUserGroups({ userId: user.id! }));
    expect(groups.map((g) => g.profile?.name)).toEqual(["Everyone"]);
    const apps = await all(await client.userApi.listAppLinks({ userId: user.id! }));
    expect(apps).toEqual([]);
  });
});
