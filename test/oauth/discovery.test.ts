import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { ALL_CLIENT_AUTH_METHODS } from "../../src/oauth/crypto/client-auth";
import { DISCOVERY_DOCUMENTS } from "../../src/oauth/endpoints/discovery";
import { GRANTS } from "../../src/oauth/grants";
import { ORIGIN, call, createOrg } from "../support/http";
import { postForm } from "../support/oauth";

describe("discovery", () => {
  it("names the default org's URL as issuer", async () => {
    const reply = await call("GET", "/.well-known/openid-configuration", { auth: null });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(reply.body.issuer).toBe(ORIGIN);
    expect(reply.body.token_endpoint).toBe(`${ORIGIN}/oauth2/v1/token`);
    expect(reply.body.jwks_uri).toBe(`${ORIGIN}/oauth2/v1/keys`);
  });

  it("names an operator-made org's URL as issuer", async () => {
    const org = await createOrg({ slug: "discovery-org" });
    expect(org.orgUrl).toBe(`${ORIGIN}/orgs/discovery-org`);
    for (const doc of ["openid-configuration", "oauth-authorization-server"]) {
      const reply = await call("GET", `/.well-known/${doc}`, { auth: null, orgUrl: org.orgUrl });
      expect(reply.status).toBe(200);
      expect(reply.body.issuer).toBe(org.orgUrl);
      expect(reply.body.token_endpoint).toBe(`${org.orgUrl}/oauth2/v1/token`);
    }
  });
});

/**
 * Each discovery document against what is mounted: every URL it names is a
 * registered route, every route of the server's `/v1` is named, every
 * client authentication method it lists is one client authentication
 * implements, and a grant it does not list is refused at /token. When the
 * sign-in work mounts authorize/userinfo/logout or adds a grant, these
 * documents must follow from the AuthorizationServer value, or this fails.
 */
describe("discovery advertises exactly what the server serves", () => {
  const routes = app.routes.filter((r) => r.method !== "ALL");
  const pattern = (path: string) => new RegExp(`^${path.replace(/:[A-Za-z]+/g, "[^/]+")}$`);
  const servedPaths = (path: string) => routes.filter((r) => pattern(r.path).test(path));

  // The consent page's form target is the authorize endpoint's own internal route, not an endpoint of its own.
  const internal = (p: string) => p.endsWith("/authorize/consent");
  const servers = [
    { name: "the org server", discovery: "", v1: "/oauth2/v1", routePrefix: "/oauth2/v1/", own: (p: string) => !p.startsWith("/oauth2/v1/clients") && !internal(p) },
    { name: "a custom server", discovery: "/oauth2/default", v1: "/oauth2/default/v1", routePrefix: "/oauth2/:authServerId/v1/", own: (p: string) => !internal(p) },
  ];

  for (const server of servers) {
    for (const document of DISCOVERY_DOCUMENTS) {
      it(`${server.name}: ${document}`, async () => {
        const org = await createOrg();
        const reply = await call("GET", `${server.discovery}/.well-known/${document}`, { auth: null, orgUrl: org.orgUrl });
        expect(reply.status).toBe(200);
        const doc = reply.body as Record<string, unknown>;

        const urls = Object.entries(doc).filter(([key]) => key.endsWith("_endpoint") || key === "jwks_uri");
        for (const [key, url] of urls) {
          expect(typeof url, key).toBe("string");
          expect((url as string).startsWith(org.orgUrl), key).toBe(true);
          expect(servedPaths((url as string).slice(org.orgUrl.length)).length, `${key} ${url} is not mounted`).toBeGreaterThan(0);
        }
        const advertised = new Set(urls.map(([, url]) => (url as string).slice(org.orgUrl.length)));
        const mounted = routes.filter((r) => r.path.startsWith(server.routePrefix) && server.own(r.path));
        expect(mounted.length).toBeGreaterThan(0);
        for (const route of mounted) {
          const concrete = route.path.replace(":authServerId", "default");
          expect(advertised.has(concrete), `${route.method} ${route.path} is not advertised`).toBe(true);
        }

        const methodLists = Object.entries(doc).filter(([key]) => key.endsWith("_auth_methods_supported"));
        expect(methodLists.map(([key]) => key).sort()).toEqual([
          "introspection_endpoint_auth_methods_supported",
          "revocation_endpoint_auth_methods_supported",
          "token_endpoint_auth_methods_supported",
        ]);
        for (const [key, methods] of methodLists) {
          expect((methods as string[]).length, key).toBeGreaterThan(0);
          for (const method of methods as string[]) expect(ALL_CLIENT_AUTH_METHODS, `${key}: ${method}`).toContain(method);
        }

        // implicit is served by /authorize alone: listed, and refused at /token like a grant not served
        const listed = doc.grant_types_supported as string[];
        for (const grant of listed) if (grant !== "implicit") expect(Object.keys(GRANTS)).toContain(grant);
        expect(listed).toEqual(expect.arrayContaining(["authorization_code", "implicit"]));
        const notServed = ["urn:ietf:params:oauth:grant-type:device_code"].filter((g) => !listed.includes(g));
        for (const grant of ["implicit", ...notServed]) {
          const refused = await postForm(org, `${server.v1}/token`, { grant_type: grant, client_id: "0oaNobody" });
          expect(refused.status, grant).toBe(400);
          expect(refused.body.error, grant).toBe("unsupported_grant_type");
        }
      });
    }
  }

  it("lists a client authentication method only where it is accepted (client_secret_jwt is not)", async () => {
    const org = await createOrg();
    const docs = await Promise.all(
      ["/.well-known/openid-configuration", "/oauth2/default/.well-known/oauth-authorization-server"].map((p) =>
        call("GET", p, { auth: null, orgUrl: org.orgUrl }),
      ),
    );
    for (const { body } of docs) {
      expect(JSON.stringify(body)).not.toContain("client_secret_jwt");
    }
    // Every server's /token takes every method (the org server's client_credentials alone wants private_key_jwt).
    expect(docs[0]!.body.token_endpoint_auth_methods_supported).toEqual(ALL_CLIENT_AUTH_METHODS);
    expect(docs[0]!.body.introspection_endpoint_auth_methods_supported).toEqual(ALL_CLIENT_AUTH_METHODS);
    expect(docs[1]!.body.token_endpoint_auth_methods_supported).toEqual(ALL_CLIENT_AUTH_METHODS);
  });
});
