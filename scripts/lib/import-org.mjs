// Copies an upstream Okta org (or a proxy org in front of one) into a mock org
// through both sides' management APIs: users (profiles and statuses, never a
// password), groups, memberships, group rules, OIDC apps and authorization
// servers (with their scopes, claims, policies and rules). Each list is read
// page by page through its Link header; after every page the progress (the
// next page's URL and the id map) is saved to a state file, so a run that was
// interrupted goes on from the last page it finished. Plain Node ≥ 22 ESM.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** The phases, in order: each later one maps the ids the earlier ones made. */
export const PHASES = ["groups", "users", "deprovisionedUsers", "memberships", "groupRules", "apps", "authorizationServers"];

/** Users' statuses, and how each is reached without a password (README "Import into a mock org"). */
const STATUS_STEPS = {
  STAGED: { activate: false, steps: [] },
  PROVISIONED: { activate: true, steps: [] },
  ACTIVE: { activate: true, hook: true, steps: [] },
  PASSWORD_EXPIRED: { activate: true, hook: true, steps: ["expire_password"] },
  RECOVERY: { activate: true, hook: true, steps: ["reset_password?sendEmail=false"] },
  SUSPENDED: { activate: true, hook: true, steps: ["suspend"] },
  DEPROVISIONED: { activate: false, steps: ["deactivate"] },
  // No API locks a user out: imported ACTIVE, and counted as approximated.
  LOCKED_OUT: { activate: true, hook: true, steps: [], approximated: true },
};

class ApiFailure extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${new URL(url).pathname} → ${status} ${body?.errorCauses?.map((c) => c.errorSummary).join("; ") || body?.errorSummary || body?.error_description || ""}`);
    this.status = status;
    this.body = body;
  }
}

function client({ orgUrl, ssws }) {
  const call = async (method, pathOrUrl, body) => {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${orgUrl}${pathOrUrl}`;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, {
        method,
        headers: { Authorization: `SSWS ${ssws}`, Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      // Okta's rate limit: wait until the bucket refills (X-Rate-Limit-Reset), then again.
      if (response.status === 429 && attempt < 5) {
        const reset = Number(response.headers.get("x-rate-limit-reset")) * 1000;
        await new Promise((r) => setTimeout(r, Math.min(Math.max(reset - Date.now(), 0) + 1000, 60_000)));
        continue;
      }
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : undefined;
      if (response.status >= 400) throw new ApiFailure(method, url, response.status, parsed);
      return { body: parsed, next: nextLink(response.headers.get("link")) };
    }
  };
  return call;
}

/** rel="next" of a Link header, or null. */
export function nextLink(header) {
  for (const part of (header ?? "").split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return match[1];
  }
  return null;
}

function emptyState() {
  return { phase: 0, next: null, groupIndex: 0, ids: { groups: {}, users: {}, apps: {} }, counts: {}, approximated: [], failures: [] };
}

/**
 * Runs (or resumes) an import. `from`/`into`: { orgUrl, ssws }. `statePath`:
 * where progress is kept (removed on success is the caller's choice).
 * `stopAfterPages`: stop after that many pages (tests of resumption);
 * `pageSize`: the `limit` asked of each list (200, Okta's usual maximum).
 * Returns the summary: counts per kind, approximations, failures, done.
 */
export async function importOrg({ from, into, statePath, log = () => {}, stopAfterPages = Infinity, pageSize = 200 }) {
  const source = client(from);
  const target = client(into);
  const state = statePath && existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : emptyState();
  const save = () => {
    if (!statePath) return;
    mkdirSync(dirname(statePath), { recursive: true });
    writeFileSync(statePath, JSON.stringify(state, null, 2));
  };
  const count = (kind, n = 1) => (state.counts[kind] = (state.counts[kind] ?? 0) + n);
  const fail = (what, error) => state.failures.push(`${what}: ${error.message}`);
  let pages = 0;

  /** Pages through `path` from where the state left it; `each` handles one item. */
  const pagesOf = async (phase, path, each) => {
    let url = state.next ?? `${from.orgUrl}${path.replace("limit=200", `limit=${pageSize}`)}`;
    while (url) {
      if (pages >= stopAfterPages) return false;
      const { body, next } = await source("GET", url);
      for (const item of body) await each(item);
      pages++;
      state.next = next;
      save();
      log(`${phase}: ${JSON.stringify(state.counts)}`);
      url = next;
    }
    return true;
  };

  const importUser = async (user) => {
        if (state.ids.users[user.id]) return;
    const plan = STATUS_STEPS[user.status] ?? STATUS_STEPS.STAGED;
    const credentials = plan.hook ? { password: { hook: { type: "default" } } } : undefined;
    try {
      const made = (await target("POST", `/api/v1/users?activate=${plan.activate}`, { profile: user.profile, ...(credentials ? { credentials } : {}) })).body;
      for (const step of plan.steps) await target("POST", `/api/v1/users/${made.id}/lifecycle/${step}`);
      state.ids.users[user.id] = made.id;
      count("users");
      if (plan.approximated) state.approximated.push(`user ${user.profile.login}: ${user.status} imported as ACTIVE`);
    } catch (error) {
      const found = await target("GET", `/api/v1/users/${encodeURIComponent(user.profile.login)}`).catch(() => null);
      if (found) state.ids.users[user.id] = found.body.id;
      else fail(`user ${user.profile.login}`, error);
    }
  };

  const everyone = async (side) => (await side("GET", "/api/v1/groups?q=Everyone&limit=200")).body.find((g) => g.type === "BUILT_IN")?.id;

  const handlers = {
    groups: async () => {
      const [theirs, ours] = [await everyone(source), await everyone(target)];
      if (theirs && ours) state.ids.groups[theirs] = state.ids.everyone = ours;
      return pagesOf("groups", "/api/v1/groups?limit=200", async (group) => {
        if (group.type !== "OKTA_GROUP" || state.ids.groups[group.id]) return;
        const profile = { name: group.profile.name, description: group.profile.description ?? null, ...withoutKeys(group.profile, ["name", "description"]) };
        try {
          state.ids.groups[group.id] = (await target("POST", "/api/v1/groups", { profile })).body.id;
          count("groups");
        } catch (error) {
          // A run interrupted after the create and before its page was saved: the group is there already.
          const found = (await target("GET", `/api/v1/groups?q=${encodeURIComponent(group.profile.name)}&limit=200`)).body.find((g) => g.profile.name === group.profile.name);
          if (found) state.ids.groups[group.id] = found.id;
          else fail(`group ${group.profile.name}`, error);
        }
      });
    },
    users: () => pagesOf("users", "/api/v1/users?limit=200", importUser),
    // Okta's list leaves DEPROVISIONED users out unless asked for them by status.
    deprovisionedUsers: () => pagesOf("deprovisionedUsers", `/api/v1/users?limit=200&filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`, importUser),

    memberships: async () => {
      // One list per group; `groupIndex` says which group the saved `next` belongs to.
      const groupIds = Object.keys(state.ids.groups).sort();
      for (; state.groupIndex < groupIds.length; state.groupIndex++, state.next = null, save()) {
        const theirs = groupIds[state.groupIndex];
        const ours = state.ids.groups[theirs];
        // Everyone's members are the org's users: each is there from its creation.
        if (ours === state.ids.everyone) continue;
        const finished = await pagesOf("memberships", `/api/v1/groups/${theirs}/users?limit=200`, async (user) => {
          const member = state.ids.users[user.id];
          if (!member) return;
          try {
            await target("PUT", `/api/v1/groups/${ours}/users/${member}`);
            count("memberships");
          } catch (error) {
            fail(`membership ${user.profile.login} → ${theirs}`, error);
          }
        });
        if (!finished) return false;
      }
      return true;
    },
    groupRules: () =>
      pagesOf("groupRules", "/api/v1/groups/rules?limit=200", async (rule) => {
        const groupIds = (rule.actions?.assignUserToGroups?.groupIds ?? []).map((id) => state.ids.groups[id]).filter(Boolean);
        const body = { type: "group_rule", name: rule.name, conditions: rule.conditions, actions: { assignUserToGroups: { groupIds } } };
        const excluded = rule.conditions?.people?.users?.exclude;
        if (excluded) body.conditions = { ...rule.conditions, people: { ...rule.conditions.people, users: { exclude: excluded.map((id) => state.ids.users[id]).filter(Boolean) } } };
        try {
          const made = (await target("POST", "/api/v1/groups/rules", body)).body;
          if (rule.status === "ACTIVE") await target("POST", `/api/v1/groups/rules/${made.id}/lifecycle/activate`);
          count("groupRules");
        } catch (error) {
          fail(`group rule ${rule.name}`, error);
        }
      }),
    apps: () =>
      pagesOf("apps", "/api/v1/apps?limit=200", async (app) => {
        if (app.signOnMode !== "OPENID_CONNECT" || state.ids.apps[app.id]) return;
        const oauthClient = { ...(app.credentials?.oauthClient ?? {}) };
        // Secrets are not copied: a confidential client gets a new one at the mock.
        delete oauthClient.client_secret;
        const body = { name: "oidc_client", label: app.label, signOnMode: "OPENID_CONNECT", credentials: { oauthClient }, settings: { oauthClient: app.settings?.oauthClient ?? {} } };
        try {
          const made = (await target("POST", `/api/v1/apps?activate=${app.status === "ACTIVE"}`, body)).body;
          state.ids.apps[app.id] = made.id;
          count("apps");
        } catch (error) {
          fail(`app ${app.label}`, error);
        }
      }),
    authorizationServers: () =>
      pagesOf("authorizationServers", "/api/v1/authorizationServers?limit=200", async (server) => {
        try {
          const ourDefault = server.name === "default" ? (await target("GET", "/api/v1/authorizationServers?q=default")).body.find((s) => s.name === "default") : null;
          const made = ourDefault ?? (await target("POST", "/api/v1/authorizationServers", { name: server.name, description: server.description, audiences: server.audiences })).body;
          const base = `/api/v1/authorizationServers`;
          for (const scope of (await source("GET", `${base}/${server.id}/scopes`)).body) {
            if (scope.system) continue;
            await target("POST", `${base}/${made.id}/scopes`, withoutKeys(scope, ["id", "_links", "system"])).catch((e) => e.status === 400 || fail(`scope ${scope.name}`, e));
          }
          for (const claim of (await source("GET", `${base}/${server.id}/claims`)).body) {
            if (claim.system) continue;
            await target("POST", `${base}/${made.id}/claims`, withoutKeys(claim, ["id", "_links", "system"])).catch((e) => e.status === 400 || fail(`claim ${claim.name}`, e));
          }
          if (!ourDefault) {
            for (const policy of (await source("GET", `${base}/${server.id}/policies`)).body) {
              const include = (policy.conditions?.clients?.include ?? []).map((id) => (id === "ALL_CLIENTS" ? id : state.ids.apps[id] ?? id));
              const madePolicy = (await target("POST", `${base}/${made.id}/policies`, { ...withoutKeys(policy, ["id", "_links", "created", "lastUpdated"]), conditions: { clients: { include } } })).body;
              for (const rule of (await source("GET", `${base}/${server.id}/policies/${policy.id}/rules`)).body) {
                await target("POST", `${base}/${made.id}/policies/${madePolicy.id}/rules`, withoutKeys(rule, ["id", "_links", "created", "lastUpdated", "system"])).catch((e) => fail(`rule ${rule.name}`, e));
              }
            }
          }
          if (server.status === "INACTIVE" && !ourDefault) await target("POST", `${base}/${made.id}/lifecycle/deactivate`);
          count("authorizationServers");
        } catch (error) {
          fail(`authorization server ${server.name}`, error);
        }
      }),
  };

  while (state.phase < PHASES.length) {
    const finished = await handlers[PHASES[state.phase]]();
    if (finished === false) return { ...summaryOf(state), done: false };
    state.phase++;
    state.next = null;
    save();
  }
  return { ...summaryOf(state), done: true };
}

function withoutKeys(object, keys) {
  return Object.fromEntries(Object.entries(object ?? {}).filter(([k]) => !keys.includes(k)));
}

function summaryOf(state) {
  return { counts: state.counts, approximated: state.approximated, failures: state.failures, ids: state.ids };
}
