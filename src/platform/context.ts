import type { Context } from "hono";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { Env } from "../env";

/**
 * The org's database. No relational-query schema in the type: queries name
 * their tables, and platform/ stays below the namespaces that own them.
 */
export type Db = DrizzleD1Database<Record<string, unknown>>;

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
  /** "mock": served from edgeorg's tables; "proxy": in front of a real Okta org (src/proxy/). */
  mode: "mock" | "proxy";
}

/**
 * Request variables set by the layers above platform/: each adds its own by
 * declaration merging (access/actor.ts adds the route row and the Actor), so
 * this file names no type above it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RequestVariables {}

export interface AppEnv {
  Bindings: Env;
  Variables: RequestVariables & {
    requestId: string;
    db: Db;
    /**
     * The same database for bookkeeping written after the answer (the request
     * log): outside the operator's per-request storage counts, which measure
     * the request's own work.
     */
    bookkeepingDb: Db;
    /** Set for every route whose access row needs an org (all but the operator API). */
    org: Org;
    /** Parsed JSON body of POST/PUT on JSON routes; undefined when the body was empty. */
    body: unknown;
  };
}

export type AppContext = Context<AppEnv>;
