import { Hono } from "hono";
import type { AppContext, AppEnv } from "../platform/context";
import { notFound, oktaError } from "../platform/errors";
import { revokeUserTokensStatements } from "../oauth/tokens/user-revocation";
import { findUser } from "../users/record";
import { authFailed } from "./authn/transaction";
import { sessionJson } from "./session-json";
import {
  clearedSessionCookie,
  createSession,
  endSession,
  endUserSessions,
  findSessionById,
  refreshSession,
  type ActiveSession,
} from "./sessions";
import { redeemSessionToken } from "./tokens";

/**
 * The Sessions API (REFERENCE-SIGNIN §3.1), mounted at /api/v1. The `/me`
 * routes are the browser's: the access pipeline knows the caller by the
 * `sid` cookie alone (an API token does not stand for a session; their
 * route-table rows are SESSION rows) and puts the session on the context.
 */
export const sessionRoutes = new Hono<AppEnv>();

/** The request's own session, found by the pipeline (access/authenticate.ts). */
const mine = (c: AppContext): ActiveSession => c.var.session!;

async function byId(c: AppContext): Promise<ActiveSession> {
  const id = c.req.param("sessionId")!;
  const session = await findSessionById(c.var.db, c.var.org, id);
  if (!session) throw notFound(id, "Session");
  return session;
}

/** "Prefer: return=minimal" (§3.1): 204 instead of the session. */
const minimal = (c: AppContext) => /return=minimal/i.test(c.req.header("prefer") ?? "");

/** Deprecated, kept (§10): a sessionToken becomes a session; no cookie is set, the caller manages it. */
sessionRoutes.post("/sessions", async (c) => {
  const raw = c.var.body as { sessionToken?: unknown } | undefined;
  const token = typeof raw?.sessionToken === "string" ? raw.sessionToken : "";
  const redeemed = await redeemSessionToken(c.var.db, c.var.org.id, token);
  if (!redeemed) throw authFailed();
  const { id } = await createSession(c.var.db, c.var.org, redeemed);
  const session = await findSessionById(c.var.db, c.var.org, id);
  if (!session) throw authFailed();
  return c.json(sessionJson(c.var.org, session));
});

sessionRoutes.get("/sessions/me", async (c) => c.json(sessionJson(c.var.org, mine(c), true)));

sessionRoutes.post("/sessions/me/lifecycle/refresh", async (c) => {
  const session = await refreshSession(c.var.db, mine(c));
  return c.json(sessionJson(c.var.org, session, true));
});

sessionRoutes.delete("/sessions/me", async (c) => {
  const session = mine(c);
  await endSession(c.var.db, c.var.org.id, session.id);
  c.header("Set-Cookie", clearedSessionCookie(c.var.org));
  return c.body(null, 204);
});

sessionRoutes.get("/sessions/:sessionId", async (c) => c.json(sessionJson(c.var.org, await byId(c))));

sessionRoutes.post("/sessions/:sessionId/lifecycle/refresh", async (c) => {
  const session = await refreshSession(c.var.db, await byId(c));
  if (minimal(c)) return c.body(null, 204);
  return c.json(sessionJson(c.var.org, session));
});

sessionRoutes.delete("/sessions/:sessionId", async (c) => {
  const id = c.req.param("sessionId");
  if (!(await endSession(c.var.db, c.var.org.id, id))) throw notFound(id, "Session");
  return c.body(null, 204);
});

/**
 * Ends every session of a user (§3.1); `oauthTokens=true` also revokes the
 * user's refresh tokens and access tokens, at every server, in the same
 * batch (REFERENCE-SIGNIN §5.3).
 */
sessionRoutes.delete("/users/:id/sessions", async (c) => {
  const id = c.req.param("id");
  for (const name of ["oauthTokens", "forgetDevices"]) {
    const value = c.req.query(name);
    if (value !== undefined && value !== "true" && value !== "false") {
      throw oktaError(400, "E0000001", `Api validation failed: ${name}`, [`${name}: The value must be true or false`]);
    }
  }
  const user = await findUser(c.var.db, c.var.org.id, id);
  if (!user) throw notFound(id, "User");
  const revoke = c.req.query("oauthTokens") === "true" ? revokeUserTokensStatements(c.var.db, c.var.org.id, user.id) : null;
  await endUserSessions(c.var.db, c.var.org.id, user.id, { alsoInBatch: revoke?.statements });
  revoke?.after();
  return c.body(null, 204);
});
