import { Hono } from "hono";
import { actorOf } from "../../access/authenticate";
import type { AppContext, AppEnv } from "../../platform/context";
import { oktaError, validationError } from "../../platform/errors";
import { iterationsFrom } from "../../users/password";
import { endStateToken, readStateToken } from "../tokens";
import {
  answerRecoveryQuestion,
  changePassword,
  primaryAuthentication,
  redeemActivationToken,
  redeemRecoveryToken,
  resetPassword,
  startPasswordRecovery,
  transactionUser,
  type Outcome,
} from "./flows";
import { embeddedUser, invalidStateToken, stateJson, successJson } from "./transaction";

/**
 * The Classic Authentication API, /api/v1/authn (REFERENCE-SIGNIN §2).
 * Anonymous ("public app") or with an API token ("trusted app"); the scope
 * table lists these routes PUBLIC and the handlers read an SSWS token
 * themselves where it changes the answer (recovery).
 */
export const authnRoutes = new Hono<AppEnv>();

const iterations = (c: AppContext) => iterationsFrom(c.env.PASSWORD_HASH_ITERATIONS);

type Body = Record<string, unknown>;
function body(c: AppContext): Body {
  const raw = c.var.body;
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Body) : {};
}
const text = (value: unknown) => (typeof value === "string" ? value : "");

function respond(c: AppContext, outcome: Outcome) {
  if (outcome.kind === "success") return c.json(successJson(outcome.user, outcome));
  return c.json(stateJson(c.var.org, outcome.user, outcome.state));
}

/** True when the caller is a trusted app (a valid API token); a bad one is refused as everywhere (401 E0000011). */
async function isTrusted(c: AppContext): Promise<boolean> {
  const authorization = c.req.header("authorization");
  if (!authorization?.toLowerCase().startsWith("ssws ")) return false;
  await actorOf(c, "okta.users.manage");
  return true;
}

authnRoutes.post("/", async (c) => {
  const b = body(c);
  if (typeof b.stateToken === "string") {
    const state = await readStateToken(c.var.db, c.var.org.id, b.stateToken);
    const user = await transactionUser(c.var.db, c.var.org, state, "PASSWORD_EXPIRED", "PASSWORD_RESET", "RECOVERY");
    return c.json(stateJson(c.var.org, user, state!));
  }
  if (typeof b.token === "string") return respond(c, await redeemActivationToken(c.var.db, c.var.org, b.token));
  const causes: string[] = [];
  if (typeof b.username !== "string" || !b.username) causes.push("username: The field cannot be left blank");
  if (typeof b.password !== "string" || !b.password) causes.push("password: The field cannot be left blank");
  if (causes.length) throw validationError(causes);
  return respond(c, await primaryAuthentication(c.var.db, c.var.org, text(b.username), text(b.password), iterations(c)));
});

authnRoutes.post("/credentials/change_password", async (c) => {
  const b = body(c);
  const state = await readStateToken(c.var.db, c.var.org.id, b.stateToken);
  const input = { oldPassword: b.oldPassword, newPassword: b.newPassword, revokeSessions: b.revokeSessions === true };
  return respond(c, await changePassword(c.var.db, c.var.org, state, input, iterations(c)));
});

authnRoutes.post("/credentials/reset_password", async (c) => {
  const b = body(c);
  const state = await readStateToken(c.var.db, c.var.org.id, b.stateToken);
  const input = { newPassword: b.newPassword, revokeSessions: b.revokeSessions === true };
  return respond(c, await resetPassword(c.var.db, c.var.org, state, input, iterations(c)));
});

authnRoutes.post("/recovery/token", async (c) => {
  return respond(c, await redeemRecoveryToken(c.var.db, c.var.org, text(body(c).recoveryToken)));
});

authnRoutes.post("/recovery/answer", async (c) => {
  const b = body(c);
  const state = await readStateToken(c.var.db, c.var.org.id, b.stateToken);
  return respond(c, await answerRecoveryQuestion(c.var.db, c.var.org, state, b.answer));
});

/**
 * Forgot password (§2.6). A public app must name the factor (EMAIL: the
 * token would go by mail, and the answer is the same whether or not the user
 * exists); a trusted app gets the recovery token itself.
 */
authnRoutes.post("/recovery/password", async (c) => {
  const b = body(c);
  const username = text(b.username);
  if (!username) throw validationError(["username: The field cannot be left blank"]);
  const factorType = b.factorType;
  if (factorType !== undefined && factorType !== "EMAIL") {
    throw validationError([`factorType: The recovery factor '${String(factorType).slice(0, 20)}' is not enabled by the password policy`]);
  }
  if (await isTrusted(c)) {
    const started = await startPasswordRecovery(c.var.db, c.var.org, username);
    if (!started) throw oktaError(403, "E0000095", "Recovery not allowed for unknown user.");
    if (factorType === undefined) {
      return c.json({
        status: "RECOVERY",
        recoveryToken: started.token,
        recoveryType: "PASSWORD",
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        _embedded: { user: embeddedUser(started.user) },
        _links: {
          next: { name: "recovery", href: `${c.var.org.url}/api/v1/authn/recovery/token`, hints: { allow: ["POST"] } },
          cancel: { href: `${c.var.org.url}/api/v1/authn/cancel`, hints: { allow: ["POST"] } },
        },
      });
    }
  } else {
    if (factorType === undefined) throw validationError(["factorType: The field cannot be left blank"]);
    await startPasswordRecovery(c.var.db, c.var.org, username);
  }
  return c.json({ status: "RECOVERY_CHALLENGE", factorResult: "WAITING", factorType: "EMAIL", recoveryType: "PASSWORD" });
});

/** Ends the transaction; Okta documents no body (§11), an empty object is answered. */
authnRoutes.post("/cancel", async (c) => {
  const stateToken = text(body(c).stateToken);
  if (!stateToken || !(await readStateToken(c.var.db, c.var.org.id, stateToken))) throw invalidStateToken();
  await endStateToken(c.var.db, c.var.org.id, stateToken);
  return c.json({});
});

