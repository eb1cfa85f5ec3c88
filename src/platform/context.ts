import type { Context } from "hono";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { Env } from "../env";
import type * as schema from "../db/schema";
import type { Principal } from "../auth/principal";
import type { Permissions } from "../access/roles/enforce";

export type Db = DrizzleD1Database<typeof schema>;

/** The org a request is addressed to (DESIGN "Orgs"). */
export interface Org {
  id: string;
  slug: string;
  /** Issuer of the org authorization server, base of every absolute link. No trailing slash. */
  url: string;
  /** The built-in super-admin user that owns the org's bootstrap API token. */
  adminUserId: string;
  /** "Public client app admins": a service app granted okta.* scopes gets SUPER_ADMIN (REFERENCE-SIGNIN §8.5). */
  publicClientAppAdmins: boolean;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Db;
    /** Set for every route whose access row needs an org (all but the operator API). */
    org: Org;
    /** Set once the credential has been read (routes with a scope row). */
    principal: Principal;
    /** The actor's admin roles, once the route needed one (unset on routes that take none). */
    permissions?: Permissions;
    /** True when an access token passed a `.self` row only by its `.self` scope: act on its own user alone. */
    selfOnly: boolean;
    /** Parsed JSON body of POST/PUT on JSON routes; undefined when the body was empty. */
    body: unknown;
  };
}

export type AppContext = Context<AppEnv>;
