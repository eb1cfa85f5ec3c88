import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { requiredScope, routeTable } from "../../src/access/route-table";
import { openApiDocument, operationsOf } from "../../src/operator/openapi/document";
import { ORIGIN, OPERATOR as OPERATOR_AUTH, call, createOrg } from "../support/http";

const served = () => [...new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))].sort();
const documented = () => operationsOf(openApiDocument()).map(({ method, operation }) => `${method} ${operation["x-edgeorg-route"]}`);

describe("the OpenAPI document and the route table", () => {
  it("describes every served route once, and nothing else (npm run openapi regenerates the Okta part)", () => {
    const inDocument = documented();
    expect(new Set(inDocument).size).toBe(inDocument.length);
    expect([...inDocument].sort()).toEqual(served());
  });

  it("annotates each operation with what the route table requires", () => {
    for (const { method, operation } of operationsOf(openApiDocument())) {
      const row = routeTable.find((r) => r.method === method && r.path === operation["x-edgeorg-route"])!;
      const where = `${method} ${row.path}`;
      if (row.access.kind === "public") {
        expect(operation["x-edgeorg-access"], where).toBe("public");
        expect(operation["x-okta-scope"], where).toBeUndefined();
      } else if (row.access.kind === "operator") {
        expect(operation["x-edgeorg-access"], where).toBe("operator");
        expect(operation.security, where).toEqual([{ edgeorgOperator: [] }]);
      } else if (row.access.kind === "session") {
        expect(operation["x-edgeorg-access"], where).toBe("session");
        expect(operation["x-okta-scope"], where).toBeUndefined();
      } else {
        expect(operation["x-okta-scope"], where).toBe(requiredScope(row.access));
        expect(operation.security, where).toEqual([{ apiToken: [] }, { oauth2: [requiredScope(row.access)] }]);
      }
    }
  });

  it("has unique operationIds and no $ref to a missing component", () => {
    const document = openApiDocument();
    const ids = operationsOf(document).map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/([^/"]+)\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(100);
    const dangling = refs.filter(([, kind, name]) => document.components[kind!]?.[name!] === undefined).map(([ref]) => ref);
    expect(dangling).toEqual([]);
  });

  it("keeps Okta's own description of an operation (GET /api/v1/users/{id} → getUser, the User schema)", () => {
    const getUser = openApiDocument().paths["/api/v1/users/{id}"]!.get!;
    expect(getUser.operationId).toBe("getUser");
    expect(JSON.stringify(getUser.responses)).toContain("#/components/schemas/User");
    expect(openApiDocument().components.schemas!.User).toBeDefined();
  });
});

describe("GET /openapi.json", () => {
  it("serves the document without credentials, its server being the org URL", async () => {
    const reply = await call("GET", "/openapi.json", { auth: null });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toContain("application/json");
    expect(reply.body.openapi).toBe("3.0.3");
    expect(reply.body.servers).toEqual([{ url: ORIGIN }]);
    expect(reply.body.paths["/api/v1/groups"].get["x-okta-scope"]).toBe("okta.groups.read");
  });

  it("names another org's URL as the server under /orgs/{slug}", async () => {
    const org = await createOrg();
    const reply = await call("GET", "/openapi.json", { auth: null, orgUrl: org.orgUrl });
    expect(reply.status).toBe(200);
    expect(reply.body.servers).toEqual([{ url: org.orgUrl }]);
  });

  it("is not served at the operator root with operator credentials only", async () => {
    const reply = await call("POST", "/openapi.json", { auth: OPERATOR_AUTH });
    expect(reply.status).toBe(405);
  });
});
