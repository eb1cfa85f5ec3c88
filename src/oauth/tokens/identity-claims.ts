import type { OAuthClient } from "../../apps/service";
import { groupNamesOfUser } from "../../groups/service";
import type { AppContext } from "../../platform/context";
import type { UserRecord } from "../../users/record";
import type { AuthorizationServer, OAuthFailure } from "../server";
import { customClaims } from "./custom-claims";
import { scopeClaims } from "./user-claims";

/**
 * The claims about a user for the granted scopes — the standard ones
 * (user-claims.ts) and the server's IDENTITY claims (custom-claims.ts) — as
 * the ID token and /userinfo both give them. `thin`: the ID token issued
 * beside an access token in the front channel.
 */
export async function identityClaims(input: {
  c: AppContext;
  server: AuthorizationServer;
  client: OAuthClient;
  user: UserRecord;
  scopes: readonly string[];
  thin?: boolean;
  groups?: ReadonlyMap<string, string>;
}): Promise<{ ok: true; claims: Record<string, unknown> } | OAuthFailure> {
  const { c, server, client, user, scopes } = input;
  const groups = input.groups ?? (server.claims.length ? await groupNamesOfUser(c.var.db, c.var.org.id, user.id) : new Map<string, string>());
  const custom = customClaims(
    server.claims,
    { claimType: "IDENTITY", granted: scopes, onlyAlwaysIncluded: input.thin },
    { client, user: { profile: user.profile, groups } },
  );
  if (!custom.ok) return custom;
  return { ok: true, claims: { ...scopeClaims(user, scopes, { thin: input.thin }), ...custom.claims } };
}
