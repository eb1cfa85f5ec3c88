import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../platform/context";

/** The org as it is being created, before any of its rows exist. */
export interface NewOrg {
  id: string;
  slug: string;
  adminUserId: string;
  created: string;
}

/**
 * What each namespace writes into a new org (its built-in super-admin user,
 * the Everyone group, the default authorization server…). They run into the
 * same D1 batch as the org row, so an org exists whole or not at all. The
 * list is composed in app.ts (the composition root), so orgs/ imports no
 * namespace that provisions into it.
 */
export type Provisioner = (db: Db, org: NewOrg) => BatchItem<"sqlite">[] | Promise<BatchItem<"sqlite">[]>;
