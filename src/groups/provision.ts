import type { NewOrg, Provisioner } from "../orgs/provisioner";
import type { Db } from "../platform/context";
import { IdPrefix, newId } from "../platform/ids";
import { EVERYONE_PROFILE } from "./membership";
import { groupMemberships, groups } from "./table";

/** Every org has the BUILT_IN Everyone group (REFERENCE §2.2), with its super-admin in it. */
export const provisionGroups: Provisioner = (db: Db, org: NewOrg) => {
  const id = newId(IdPrefix.group);
  return [
    db.insert(groups).values({
      orgId: org.id,
      id,
      type: "BUILT_IN",
      name: EVERYONE_PROFILE.name,
      nameLower: EVERYONE_PROFILE.name.toLowerCase(),
      profile: { ...EVERYONE_PROFILE },
      created: org.created,
      lastUpdated: org.created,
      lastMembershipUpdated: org.created,
    }),
    db.insert(groupMemberships).values({ orgId: org.id, groupId: id, userId: org.adminUserId, ruleId: null, created: org.created }),
  ];
};
