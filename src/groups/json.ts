import type { Org } from "../platform/context";
import type { groups } from "./table";

export type GroupRow = typeof groups.$inferSelect;

export interface GroupStats {
  usersCount: number;
  appsCount: number;
  groupPushMappingsCount: number;
  hasAdminPrivlege: boolean;
}

export interface GroupEmbeds {
  stats?: GroupStats;
  /** Only APP_GROUPs have a source app; edgeorg has none, so this stays unset. */
  app?: { id: string; name: string; label: string; signOnMode: string };
}

/**
 * Okta's Group JSON (REFERENCE §2.2), keys in Okta's order. No `self` link:
 * Okta's own examples have none. `_embedded` appears only when expanded.
 */
export function groupJson(org: Org, row: GroupRow, embeds?: GroupEmbeds): Record<string, unknown> {
  const href = `${org.url}/api/v1/groups/${row.id}`;
  const out: Record<string, unknown> = {
    id: row.id,
    created: row.created,
    lastUpdated: row.lastUpdated,
    lastMembershipUpdated: row.lastMembershipUpdated,
    objectClass: ["okta:user_group"],
    type: row.type,
    profile: row.profile,
  };
  if (embeds && (embeds.stats || embeds.app)) out._embedded = { ...embeds };
  out._links = {
    logo: [
      { name: "medium", href: `${org.url}/assets/img/logos/groups/okta-medium.png`, type: "image/png" },
      { name: "large", href: `${org.url}/assets/img/logos/groups/okta-large.png`, type: "image/png" },
    ],
    users: { href: `${href}/users` },
    apps: { href: `${href}/apps` },
  };
  return out;
}
