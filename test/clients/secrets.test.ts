import { describe, expect, it } from "vitest";
import { call } from "../support/http";
import { DEFAULT_ORG, postForm } from "../support/oauth";

// The org authorization server authenticates clients by the stored secret
// hash: introspection (any client auth method) shows which secret works.
async function introspectAs(clientId: string, secret: string) {
  return postForm(DEFAULT_ORG, "/oauth2/v1/introspect", { token: "not-a-token" }, { Authorization: `Basic ${btoa(`${clientId}:${secret}`)}` });
}

describe("client secrets", () => {
  it("the secret shown at registration authenticates; another does not", async () => {
    const client = (
      await call("POST", "/oauth2/v1/clients", {
        body: { client_name: "secret holder", application_type: "service", grant_types: ["client_credentials"] },
      })
    ).body;
    expect(client.token_endpoint_auth_method).toBe("client_secret_basic");
    const good = await introspectAs(client.client_id, client.client_secret);
    expect(good.status).toBe(200);
    expect(good.body.active).toBe(false);
    expect((await introspectAs(client.client_id, client.client_secret + "x")).status).toBe(401);
    expect((await introspectAs(client.client_id, client.client_secret.slice(1))).status).toBe(401);
  });

  it("PUT keeps the secret; newSecret replaces it at once", async () => {
    const body = { client_name: "rotating", application_type: "service", grant_types: ["client_credentials"] };
    const client = (await call("POST", "/oauth2/v1/clients", { body })).body;
    const put = await call("PUT", `/oauth2/v1/clients/${client.client_id}`, { body: { ...body, client_name: "rotating 2" } });
    expect(put.status).toBe(200);
    expect((await introspectAs(client.client_id, client.client_secret)).status).toBe(200);

    const rotated = (await call("POST", `/oauth2/v1/clients/${client.client_id}/lifecycle/newSecret`)).body;
    expect((await introspectAs(client.client_id, client.client_secret)).status).toBe(401);
    expect((await introspectAs(client.client_id, rotated.client_secret)).status).toBe(200);
  });

  it("a secret supplied through /api/v1/apps is the one that works", async () => {
    const app = await call("POST", "/api/v1/apps", {
      body: {
        name: "oidc_client",
        label: "supplied secret",
        signOnMode: "OPENID_CONNECT",
        credentials: { oauthClient: { token_endpoint_auth_method: "client_secret_basic", client_secret: "my-own-secret-0123456789" } },
        settings: { oauthClient: { application_type: "service", grant_types: ["client_credentials"] } },
      },
    });
    expect(app.status).toBe(200);
    expect((await introspectAs(app.body.id, "my-own-secret-0123456789")).status).toBe(200);
    // A deactivated client authenticates no more.
    await call("POST", `/api/v1/apps/${app.body.id}/lifecycle/deactivate`);
    expect((await introspectAs(app.body.id, "my-own-secret-0123456789")).status).toBe(401);
  });
});
