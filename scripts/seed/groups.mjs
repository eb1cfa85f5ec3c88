// Demo groups for `npm start`: a few OKTA_GROUPs, members taken from the users
// that exist (the users seed runs first), and one ACTIVE group rule.
// Idempotent: groups are found by exact name, the rule by name.
const GROUPS = [
  { name: "Engineering", description: "Everyone in the Engineering department (kept by a group rule)" },
  { name: "Sales", description: "Everyone in the Sales department" },
  { name: "Support", description: "Support engineers and agents" },
  { name: "Org admins", description: "People who administer this org" },
];
const RULE_NAME = "Engineering department";
// Users made by the users seed (scripts/seed/users.mjs), by login; skipped when absent.
const ORG_ADMINS = ["ada.lovelace@example.com", "radia.perlman@example.com"];

async function ok(reply, what) {
  if (reply.status < 200 || reply.status > 299) throw new Error(`${what} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

async function allUsers(api) {
  const users = [];
  let url = "/api/v1/users?limit=200";
  while (url) {
    const reply = await api.request("GET", url);
    users.push(...(await ok(reply, "listing users")));
    const link = (reply.headers.get?.("link") ?? reply.headers.link ?? "").split(/,(?=\s*<)/).find((l) => /rel="next"/.test(l));
    url = link ? /<([^>]+)>/.exec(link)[1] : undefined;
  }
  return users;
}

export async function seed(api) {
  const ids = {};
  let created = 0;
  for (const g of GROUPS) {
    const found = await ok(await api.request("GET", `/api/v1/groups?q=${encodeURIComponent(g.name)}`), `finding group ${g.name}`);
    const existing = found.find((x) => x.profile.name.toLowerCase() === g.name.toLowerCase());
    if (existing) {
      ids[g.name] = existing.id;
      continue;
    }
    const made = await ok(await api.request("POST", "/api/v1/groups", { profile: g }), `creating group ${g.name}`);
    ids[g.name] = made.id;
    created++;
  }

  // Static members: by department for Sales and Support, the built-in admin(s) for Org admins.
  // PUT is idempotent, so a second run changes nothing.
  const users = (await allUsers(api)).filter((u) => u.status !== "DEPROVISIONED");
  for (const u of users) {
    const dept = String(u.profile.department ?? "").toLowerCase();
    const title = String(u.profile.title ?? "").toLowerCase();
    const targets = [];
    if (dept === "sales") targets.push("Sales");
    if (dept === "support" || title.includes("support")) targets.push("Support");
    if (String(u.profile.login).startsWith("admin@")) targets.push("Org admins");
    for (const t of targets) await ok(await api.request("PUT", `/api/v1/groups/${ids[t]}/users/${u.id}`), `adding ${u.profile.login} to ${t}`);
  }

  for (const login of ORG_ADMINS) {
    const found = await api.request("GET", `/api/v1/users/${encodeURIComponent(login)}`);
    if (found.status === 404) continue;
    const user = await ok(found, `looking up ${login}`);
    await ok(await api.request("PUT", `/api/v1/groups/${ids["Org admins"]}/users/${user.id}`), `adding ${login} to Org admins`);
  }

  const rules = await ok(await api.request("GET", `/api/v1/groups/rules?search=${encodeURIComponent(RULE_NAME)}&limit=200`), "listing rules");
  let rule = rules.find((r) => r.name === RULE_NAME);
  if (!rule) {
    rule = await ok(
      await api.request("POST", "/api/v1/groups/rules", {
        type: "group_rule",
        name: RULE_NAME,
        conditions: { expression: { type: "urn:okta:expression:1.0", value: 'user.department == "Engineering"' } },
        actions: { assignUserToGroups: { groupIds: [ids.Engineering] } },
      }),
      "creating the group rule",
    );
  }
  if (rule.status !== "ACTIVE") await ok(await api.request("POST", `/api/v1/groups/rules/${rule.id}/lifecycle/activate`), "activating the group rule");
  const engineers = await ok(await api.request("GET", `/api/v1/groups/${ids.Engineering}/users`), "listing Engineering");
  return [
    `Groups: ${GROUPS.map((g) => g.name).join(", ")}${created ? ` (${created} new)` : ""}; rule "${RULE_NAME}" ACTIVE (${engineers.length} in Engineering)`,
  ];
}
