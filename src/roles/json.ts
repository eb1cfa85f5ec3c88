import type { Org } from "../platform/context";
import { ROLE_LABELS, type RoleType } from "../access/roles/permissions";
import type { AssignmentRow, TargetRow } from "../access/roles/store";

/** Where each kind of assignee lives, for `_links.assignee`. */
export function assigneeHref(org: Org, row: Pick<AssignmentRow, "assigneeType" | "assigneeId">): string {
  const id = encodeURIComponent(row.assigneeId);
  if (row.assigneeType === "USER") return `${org.url}/api/v1/users/${id}`;
  if (row.assigneeType === "GROUP") return `${org.url}/api/v1/groups/${id}`;
  return `${org.url}/oauth2/v1/clients/${id}`;
}

export interface RoleEmbeds {
  groups?: Record<string, unknown>[];
  apps?: Record<string, unknown>[];
}

/** StandardRole (REFERENCE-SIGNIN §8.2); `_embedded.targets` only when expanded. */
export function roleJson(org: Org, row: AssignmentRow, embeds?: RoleEmbeds): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: row.id,
    label: ROLE_LABELS[row.type as RoleType] ?? row.type,
    type: row.type,
    status: "ACTIVE",
    created: row.created,
    lastUpdated: row.lastUpdated,
    assignmentType: row.assigneeType,
    _links: { assignee: { href: assigneeHref(org, row) } },
  };
  if (embeds && (embeds.groups || embeds.apps)) {
    const targets: Record<string, unknown> = {};
    if (embeds.groups) targets.groups = embeds.groups;
    if (embeds.apps) targets.catalog = { apps: embeds.apps };
    json._embedded = { targets };
  }
  return json;
}

/** The catalog entry edgeorg knows: every app here is an OIDC client. */
const CATALOG: Record<string, { displayName: string; description: string }> = {
  oidc_client: { displayName: "OpenID Connect Client", description: "An OAuth 2.0 / OpenID Connect client application." },
};

export function isCatalogApp(name: string): boolean {
  return Object.hasOwn(CATALOG, name);
}

/** CatalogApplication for an app target: the whole catalog app, or one instance of it (`id`). */
export function catalogAppJson(org: Org, target: TargetRow): Record<string, unknown> {
  const entry = CATALOG[target.targetId] ?? { displayName: target.targetId, description: "" };
  return {
    name: target.targetId,
    displayName: entry.displayName,
    description: entry.description,
    status: "ACTIVE",
    signOnModes: ["OPENID_CONNECT"],
    ...(target.appId ? { id: target.appId } : {}),
    _links: {
      logo: [{ name: "medium", href: `${org.url}/assets/img/logos/default.png`, type: "image/png" }],
      ...(target.appId ? { self: { href: `${org.url}/api/v1/apps/${target.appId}` } } : {}),
    },
  };
}
