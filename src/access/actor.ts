import type { ActiveSession } from "../signin/sessions";
import type { RouteRow } from "./route-table";
import { holdsScope } from "./scopes";

/**
 * Who acts, once the credential has been read (access/authenticate.ts):
 * - an admin through an SSWS API token: its owner, with every permission
 *   the owner has (API tokens ignore scopes);
 * - a service client through an access token (client_credentials, no user);
 * - a user through an access token minted for a client;
 * - a user through the browser's `sid` session, on the rows that take one
 *   (route-table.ts `session`): always acting on itself alone.
 */
export type Actor =
  | {
      kind: "admin";
      via: "apiToken";
      userId: string;
      /** The token's id; absent for the default org's bootstrap token, a deployment secret with no row. */
      tokenId?: string;
    }
  | { kind: "client"; via: "accessToken"; clientId: string; scopes: string[]; tokenId: string }
  | { kind: "user"; via: "accessToken"; userId: string; clientId: string; scopes: string[]; tokenId: string }
  | { kind: "user"; via: "session"; userId: string; sessionId: string };

// The access pipeline's request variables, added to platform's AppEnv by declaration merging so
// that platform/ names no type above it.
declare module "../platform/context" {
  interface RequestVariables {
    /** The matched route's row of the route table (set for every matched route). */
    route: RouteRow;
    /** Set for every route whose row needs a credential. */
    actor: Actor;
    /** The browser session the actor came through (`via: "session"`). */
    session?: ActiveSession;
  }
}

/** The user the actor is: an API token's owner or a user token's user; none for a service client. */
export function actingUserId(actor: Actor): string | undefined {
  return actor.kind === "client" ? undefined : actor.userId;
}

/**
 * Which users the actor may act on, on this route: every user, or — when
 * the row admits the `.self` scope and the actor's token passed by it alone,
 * or the actor is a browser session — only its own (none for a token
 * without a user). Returns the one user id
 * allowed (possibly undefined), or `"any"`.
 */
export function usersActorMayActOn(actor: Actor, row: RouteRow): "any" | { only: string | undefined } {
  if (actor.via === "session") return { only: actor.userId };
  if (actor.via !== "accessToken" || row.access.kind !== "scope" || !row.access.self) return "any";
  if (holdsScope(actor.scopes, row.access.scope)) return "any";
  return { only: actingUserId(actor) };
}
