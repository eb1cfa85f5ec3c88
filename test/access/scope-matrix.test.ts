import { beforeAll, describe, expect, it } from "vitest";
import { requiredScope, routeTable, type RouteRow } from "../../src/access/route-table";
import { holdsScope } from "../../src/access/scopes";
import { call, createOrg, type TestOrg } from "../support/http";
import { getAccessToken, grantScopes, registerServiceClient, type ServiceClient, type Token } from "../support/oauth";

/**
 * The scope matrix, generated from the route table: for every row that
 * needs an okta.* scope, a token holding a scope that does not imply it gets
 * 403 with the challenge naming the row's scope and the body the row says
 * (empty, or Okta's E0000006 body on /oauth2/v1/clients, REFERENCE §4.3); a token
 * holding exactly that scope (the non-.self one for .self rows, since
 * client_credentials cannot ask for .self) gets past the guard. Past the
 * guard means anything but 401 and the insufficient_scope 403: routes not
 * built yet answer 404/405, handlers may still say 400/404/403-E0000006.
 */
type ScopeRow = RouteRow & { access: Extract<RouteRow["access"], { kind: "scope" }> };
const rows = routeTable.filter((r): r is ScopeRow => r.access.kind === "scope");
/** The scope the row names in its challenge. */
const named = (row: ScopeRow) => requiredScope(row.access);
const grantable = (scope: string) => (scope.endsWith(".self") ? scope.slice(0, -".self".length) : scope);
const scopes = [...new Set(rows.map((r) => grantable(named(r))))];
/** A real okta.* scope that implies nothing in the table. */
const UNRELATED = "okta.logs.read";

const concrete = (path: string) => path.replace(/:([A-Za-z]+)/g, (_, name: string) => (name === "authServerId" ? "ausNotThere000000000" : `0zz${name.slice(0, 3)}NotThere00000`.slice(0, 20)));

let org: TestOrg;
let client: ServiceClient;
const tokens = new Map<string, Token>();
let unrelated: Token;

beforeAll(async () => {
  org = await createOrg();
  client = await registerServiceClient(org, {});
  await grantScopes(client, [...scopes, UNRELATED]);
  for (const scope of scopes) tokens.set(scope, await getAccessToken([scope], { org, client }));
  unrelated = await getAccessToken([UNRELATED], { org, client });
}, 60_000);

function send(row: ScopeRow, token: Token) {
  return call(row.method, concrete(row.path), {
    orgUrl: org.orgUrl,
    auth: `Bearer ${token.accessToken}`,
    ...(row.method === "POST" || row.method === "PUT" ? { body: {} } : {}),
  });
}

describe("scope matrix", () => {
  it("covers every scope-protected row", () => {
    expect(rows.length).toBeGreaterThan(50);
    expect(holdsScope([UNRELATED], "okta.users.read")).toBe(false);
  });

  for (const row of rows) {
    it(`${row.method} ${row.path} needs ${named(row)}`, async () => {
      const refused = await send(row, unrelated);
      expect(refused.status).toBe(403);
      if (row.path.startsWith("/oauth2/v1/clients")) {
        expect(row.access.insufficientScope).toBe("E0000006");
        expect(refused.body).toMatchObject({ errorCode: "E0000006", errorSummary: "You do not have permission to perform the requested action" });
      } else {
        expect(refused.text).toBe("");
      }
      const challenge = refused.headers.get("www-authenticate") ?? "";
      expect(challenge).toContain(`scope="${named(row)}"`);
      expect(challenge).toContain('error="insufficient_scope"');
      expect(challenge).toContain(`resource="${concrete(row.path)}"`);

      const passed = await send(row, tokens.get(grantable(named(row)))!);
      const gate = `${passed.status} ${passed.headers.get("www-authenticate") ?? ""}`;
      expect(passed.status, gate).not.toBe(401);
      expect(passed.status === 403 && gate.includes("insufficient_scope"), gate).toBe(false);
    });
  }

  it("manage implies read, and a token with a neighbouring scope does not pass", async () => {
    const manage = tokens.get("okta.groups.manage")!;
    expect((await call("GET", "/api/v1/groups", { orgUrl: org.orgUrl, auth: `Bearer ${manage.accessToken}` })).status).not.toBe(403);
    const read = tokens.get("okta.groups.read")!;
    expect((await call("POST", "/api/v1/groups", { orgUrl: org.orgUrl, auth: `Bearer ${read.accessToken}`, body: {} })).status).toBe(403);
    const users = tokens.get("okta.users.manage")!;
    expect((await call("GET", "/api/v1/groups", { orgUrl: org.orgUrl, auth: `Bearer ${users.accessToken}` })).status).toBe(403);
  });
});
