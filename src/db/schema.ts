// Every table of edgeorg, for drizzle-kit and for org deletion (which deletes
// from each table that has an org_id column). A namespace adds its table.ts here.
export * from "../orgs/table";
export * from "../apps/table";
export * from "../users/table";
export * from "../groups/table";
export * from "../authorization-servers/table";
export * from "../oauth/table";
export * from "../signin/table";
export * from "../operator/faults/table";
export * from "../operator/request-log/table";
export * from "../access/roles/table";
export * from "../proxy/table";
