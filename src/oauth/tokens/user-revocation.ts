import type { Statement } from "../../platform/batch";
import type { Db } from "../../platform/context";
import { refreshTokenDeletesForUser } from "./refresh-tokens";
import { noteUserRevoked, revokeUserStatement } from "./revocations";

/**
 * Every OAuth token of a user, at every server (`DELETE
 * /api/v1/users/{id}/sessions?oauthTokens=true`): the refresh tokens go, and
 * every access token carrying the user's `uid` issued until now is refused.
 * Statements for the caller's batch; call `after` once it succeeded.
 */
export function revokeUserTokensStatements(db: Db, orgId: string, userId: string, now = Date.now()): { statements: Statement[]; after: () => void } {
  return {
    statements: [...refreshTokenDeletesForUser(db, orgId, userId), revokeUserStatement(db, orgId, userId, now)],
    after: () => noteUserRevoked(orgId, userId, now),
  };
}
