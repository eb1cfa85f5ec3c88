import type { BatchItem } from "drizzle-orm/batch";
import type { NewOrg, Provisioner } from "../orgs/provisioner";
import type { Db } from "../platform/context";
import { defaultUserTypeId, profileColumns } from "./record";
import { users } from "./table";

/** The login of an org's built-in super-admin (owner of its bootstrap API token). */
export function adminLogin(slug: string): string {
  return `admin@${slug}.edgeorg.local`;
}

/**
 * Every org starts with its super-admin user, id `org.adminUserId`, ACTIVE
 * and without a password (nobody signs in as it; its API token acts for it).
 */
export const provisionUsers: Provisioner = (db: Db, org: NewOrg): BatchItem<"sqlite">[] => {
  const login = adminLogin(org.slug);
  const profile = { firstName: "Org", lastName: "Admin", email: login, login, locale: "en_US" };
  return [
    db.insert(users).values({
      orgId: org.id,
      id: org.adminUserId,
      status: "ACTIVE",
      typeId: defaultUserTypeId(org.id),
      ...profileColumns(profile),
      created: org.created,
      activated: org.created,
      statusChanged: org.created,
      lastLogin: null,
      lastUpdated: org.created,
      passwordChanged: null,
      password: null,
      recoveryQuestion: null,
      recoveryAnswer: null,
      providerType: "OKTA",
      providerName: "OKTA",
      version: 1,
    }),
  ];
};
