import { listTargets } from "../access/roles/service";
import { actingUserId, usersActorMayActOn } from "../access/actor";
import { Hono } from "hono";
import { listGroupsOfUser } from "../groups/service";
import type { AppContext, AppEnv } from "../platform/context";
import { Errors, notFound, oktaError, validationError } from "../platform/errors";
import { readLimit, setLinkHeaders } from "../platform/paging";
import * as creds from "./credential-ops";
import { etagOf, userJson, type Omissions } from "./json";
import * as lifecycle from "./lifecycle";
import { listUsers } from "./list";
import { iterationsFrom } from "./password";
import { findUser, type UserRecord } from "./record";
import { project } from "./fields";
import { createUser, deleteUser, updateUser } from "./write";

/** /api/v1/users (REFERENCE §1). `/me` routes are registered before `/:id` ones. */
export const userRoutes = new Hono<AppEnv>();

function readBool(c: AppContext, name: string, fallback: boolean): boolean {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return fallback;
  const lower = raw.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw validationError([`${name}: The value must be true or false`]);
}

const iterations = (c: AppContext) => iterationsFrom(c.env.PASSWORD_HASH_ITERATIONS);

/**
 * `okta-response=omitCredentials,omitCredentialsLinks,omitTransitioningToStatus`
 * as a parameter of the Content-Type header (REFERENCE §1.2), comma list, maybe quoted.
 */
function omissions(c: AppContext): Omissions {
  const header = c.req.header("content-type") ?? "";
  const match = /okta-response\s*=\s*("([^"]*)"|[^;]*)/i.exec(header);
  if (!match) return {};
  const values = (match[2] ?? match[1] ?? "").split(",").map((v) => v.trim());
  return {
    credentials: values.includes("omitCredentials"),
    credentialsLinks: values.includes("omitCredentialsLinks"),
    transitioningToStatus: values.includes("omitTransitioningToStatus"),
  };
}

/** The acting user (access/actor.ts actingUserId); a service client has none. */
async function actingUser(c: AppContext): Promise<UserRecord> {
  const userId = actingUserId(c.var.actor);
  const user = userId ? await findUser(c.var.db, c.var.org.id, userId) : null;
  if (!user) throw notFound("me", "User");
  return user;
}

/** The `:id` of a route: a user id, login or short name; `me` is the caller's own user everywhere. */
async function userParam(c: AppContext, name = "id"): Promise<UserRecord> {
  const id = c.req.param(name)!;
  if (id === "me") return actingUser(c);
  const user = await findUser(c.var.db, c.var.org.id, id);
  if (!user) throw notFound(id, "User");
  return user;
}

/** If-Match on updates (REFERENCE §1.6): `*` or the current weak/strong tag; anything else malformed. */
function checkIfMatch(c: AppContext, user: UserRecord): void {
  const header = c.req.header("if-match");
  if (header === undefined) return;
  const tags = header.split(",").map((t) => t.trim());
  if (tags.some((t) => t !== "*" && !/^(W\/)?"[^"]*"$/.test(t))) {
    throw oktaError(400, "E0000242", "ETag syntax is invalid.");
  }
  const current = etagOf(user).replace(/^W\//, "");
  if (!tags.some((t) => t === "*" || t.replace(/^W\//, "") === current)) {
    throw oktaError(412, "E0000231", "ETag value doesn't match.");
  }
}

function single(c: AppContext, user: UserRecord) {
  c.header("ETag", etagOf(user));
  return c.json(userJson(c.var.org, user, "single", omissions(c)));
}

// ---- collection ----

/** A role limited to groups lists only their members. */
function withinGroups(c: AppContext): string[] | undefined {
  const targets = listTargets(c, "users.read");
  return targets ? [...targets.groupIds] : undefined;
}

userRoutes.get("/", async (c) => {
  const org = c.var.org;
  const reach = usersActorMayActOn(c.var.actor, c.var.route);
  if (reach !== "any") {
    // okta.users.read.self only: the caller's own user, or nothing for a token without a user.
    const user = reach.only ? await findUser(c.var.db, org.id, reach.only) : null;
    setLinkHeaders(c, undefined);
    return c.json(user ? [userJson(org, user, "collection", omissions(c))] : []);
  }
  const q = c.req.query("q");
  const search = c.req.query("search");
  const filter = c.req.query("filter");
  const onlyQ = q !== undefined && search === undefined && filter === undefined;
  const limit = readLimit(c, { default: onlyQ ? 10 : 200, max: 200 });
  const page = await listUsers(c.var.db, org.id, {
    q,
    search,
    filter,
    sortBy: c.req.query("sortBy"),
    sortOrder: c.req.query("sortOrder"),
    after: c.req.query("after"),
    limit,
    withinGroups: withinGroups(c),
  });
  setLinkHeaders(c, page.next, ["q", "search", "filter", "sortBy", "sortOrder", "fields"]);
  const omit = omissions(c);
  const fields = c.req.query("fields");
  return c.json(page.items.map((user) => project(userJson(org, user, "collection", omit), fields)));
});

userRoutes.post("/", async (c) => {
  const nextLogin = c.req.query("nextLogin");
  if (nextLogin !== undefined && nextLogin !== "" && nextLogin !== "changePassword") {
    throw validationError(["nextLogin: The only supported value is 'changePassword'"]);
  }
  const user = await createUser(c.var.db, c.var.org, c.var.body, {
    activate: readBool(c, "activate", true),
    provider: readBool(c, "provider", false),
    nextLogin: nextLogin === "changePassword" ? "changePassword" : undefined,
    iterations: iterations(c),
  });
  return single(c, user);
});

// ---- me ----

userRoutes.get("/me", async (c) => single(c, await actingUser(c)));
userRoutes.post("/me/credentials/change_password", async (c) =>
  c.json(await creds.changePassword(c.var.db, await actingUser(c), c.var.body, iterations(c))),
);
userRoutes.post("/me/credentials/change_recovery_question", async (c) =>
  c.json(await creds.changeRecoveryQuestion(c.var.db, await actingUser(c), c.var.body, iterations(c))),
);
userRoutes.post("/me/credentials/forgot_password", async (c) => forgotPasswordRoute(c, await actingUser(c)));
userRoutes.post("/me/lifecycle/reset_factors", async (c) => c.json(await lifecycle.resetFactors(await actingUser(c))));

// ---- one user ----

userRoutes.get("/:id", async (c) => single(c, await userParam(c)));

userRoutes.post("/:id", async (c) => {
  const user = await userParam(c);
  checkIfMatch(c, user);
  // okta.users.manage.self updates "currently only profile attributes" (REFERENCE-SIGNIN §7.2).
  const body = c.var.body;
  if (usersActorMayActOn(c.var.actor, c.var.route) !== "any" && body && typeof body === "object" && Object.keys(body).some((k) => k !== "profile")) {
    throw Errors.forbidden();
  }
  return single(c, await updateUser(c.var.db, c.var.org, user, c.var.body, "merge", iterations(c)));
});

userRoutes.put("/:id", async (c) => {
  const user = await userParam(c);
  checkIfMatch(c, user);
  return single(c, await updateUser(c.var.db, c.var.org, user, c.var.body, "replace", iterations(c)));
});

userRoutes.delete("/:id", async (c) => {
  const user = await userParam(c);
  if (user.status === "DEPROVISIONED") {
    await deleteUser(c.var.db, user);
  } else {
    await lifecycle.deactivate(c.var.db, c.var.org, user);
  }
  return c.body(null, 204);
});

userRoutes.get("/:id/groups", async (c) => {
  const user = await userParam(c);
  return c.json(await listGroupsOfUser(c.var.db, c.var.org, user.id));
});

// App assignments are not modelled in edgeorg: every user has no app links.
userRoutes.get("/:id/appLinks", async (c) => {
  await userParam(c);
  return c.json([]);
});

// ---- lifecycle ----

const db = (c: AppContext) => c.var.db;

userRoutes.post("/:id/lifecycle/activate", async (c) =>
  c.json(await lifecycle.activate(db(c), c.var.org, await userParam(c), readBool(c, "sendEmail", true))),
);
userRoutes.post("/:id/lifecycle/reactivate", async (c) =>
  c.json(await lifecycle.reactivate(db(c), c.var.org, await userParam(c), readBool(c, "sendEmail", false))),
);
userRoutes.post("/:id/lifecycle/deactivate", async (c) => c.json(await lifecycle.deactivate(db(c), c.var.org, await userParam(c))));
userRoutes.post("/:id/lifecycle/suspend", async (c) => c.json(await lifecycle.suspend(db(c), c.var.org, await userParam(c))));
userRoutes.post("/:id/lifecycle/unsuspend", async (c) => c.json(await lifecycle.unsuspend(db(c), await userParam(c))));
userRoutes.post("/:id/lifecycle/unlock", async (c) => c.json(await lifecycle.unlock(db(c), await userParam(c))));
userRoutes.post("/:id/lifecycle/reset_password", async (c) =>
  c.json(await lifecycle.resetPassword(db(c), c.var.org, await userParam(c), readBool(c, "sendEmail", true))),
);
userRoutes.post("/:id/lifecycle/expire_password", async (c) => {
  const user = await userParam(c);
  if (readBool(c, "tempPassword", false)) return c.json(await lifecycle.expireWithTempPassword(db(c), user, iterations(c)));
  const saved = await lifecycle.expirePassword(db(c), user);
  return c.json(userJson(c.var.org, saved, "single", omissions(c)));
});
userRoutes.post("/:id/lifecycle/expire_password_with_temp_password", async (c) =>
  c.json(await lifecycle.expireWithTempPassword(db(c), await userParam(c), iterations(c))),
);
userRoutes.post("/:id/lifecycle/reset_factors", async (c) => c.json(await lifecycle.resetFactors(await userParam(c))));
userRoutes.post("/:id/lifecycle/forgot_password", async (c) => forgotPasswordRoute(c, await userParam(c)));

// ---- credentials ----

/**
 * forgot_password: with a body carrying a recovery answer it is the
 * recovery-question form (older SDKs post it here); otherwise the sendEmail form.
 */
async function forgotPasswordRoute(c: AppContext, user: UserRecord) {
  const body = c.var.body as { recovery_question?: unknown } | undefined;
  if (body && typeof body === "object" && body.recovery_question !== undefined) {
    return c.json(await creds.forgotPasswordWithAnswer(db(c), user, body, iterations(c)));
  }
  return c.json(await creds.forgotPassword(db(c), c.var.org, user, readBool(c, "sendEmail", true)));
}

userRoutes.post("/:id/credentials/change_password", async (c) =>
  c.json(await creds.changePassword(db(c), await userParam(c), c.var.body, iterations(c))),
);
userRoutes.post("/:id/credentials/change_recovery_question", async (c) =>
  c.json(await creds.changeRecoveryQuestion(db(c), await userParam(c), c.var.body, iterations(c))),
);
userRoutes.post("/:id/credentials/forgot_password", async (c) => forgotPasswordRoute(c, await userParam(c)));
userRoutes.post("/:id/credentials/forgot_password_recovery_question", async (c) =>
  c.json(await creds.forgotPasswordWithAnswer(db(c), await userParam(c), c.var.body, iterations(c))),
);
