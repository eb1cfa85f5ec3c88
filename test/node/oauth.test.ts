import { Client } from "@okta/okta-sdk-nodejs";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM module (no type declarations)
import { serviceAppBody } from "../../scripts/lib/oauth-client.mjs";
import { createOrg, deleteOrg, sswsRequest, type NodeTestOrg } from "./support/org";

/**
 * OAuth for Okta end to end with Okta's own Node SDK in PrivateKey mode
 * (REFERENCE §6): it signs a private_key_jwt assertion, gets a token from
 * /oauth2/v1/token, reads with a read scope and is refused writes with 403 —
 * with Bearer tokens and with DPoP-bound ones.
 */
let org: NodeTestOrg;

async function api(method: string, path: string, body?: unknown) {
  const reply = await sswsRequest(org, method, path, body);
  if (reply.status >= 300) throw new Error(`${method} ${path} failed: ${reply.status} ${reply.text}`);
  return reply.body;
}

/** A service app with a fresh RSA key, granted the scopes; returns what the SDK needs. */
async function serviceClient(scopes: string[], dpop: boolean) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const app = await api("POST", "/api/v1/apps", serviceAppBody({ label: `sdk ${dpop ? "dpop" : "bearer"} client`, publicJwk, kid, dpop }));
  for (const scopeId of scopes) await api("POST", `/api/v1/apps/${app.id}/grants`, { scopeId, issuer: org.orgUrl });
  return { clientId: app.credentials.oauthClient.client_id as string, privateKey: JSON.stringify({ ...(await exportJWK(privateKey)), kid }) };
}

function sdk(credentials: { clientId: string; privateKey: string }, scopes: string[]) {
  return new Client({ orgUrl: org.orgUrl, authorizationMode: "PrivateKey", ...credentials, scopes });
}

async function listLogins(client: Client): Promise<string[]> {
  const logins: string[] = [];
  for await (const user of await client.userApi.listUsers()) logins.push(user!.profile!.login!);
  return logins;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { status?: number; headers?: { get(name: string): string | null }; message?: string }) => error,
  );

beforeAll(async () => {
  org = await createOrg();
  await api("POST", "/api/v1/users?activate=false", { profile: { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", login: "ada@example.com" } });
});

afterAll(async () => {
  if (org) await deleteOrg(org.slug);
});

const SCOPES = ["okta.users.read", "okta.apps.read"];

describe("@okta/okta-sdk-nodejs, authorizationMode PrivateKey, Bearer tokens", () => {
  it("gets a token and reads with the read scopes", async () => {
    const client = sdk(await serviceClient(SCOPES, false), SCOPES);
    const logins: string[] = [];
    for await (const user of await client.userApi.listUsers()) logins.push(user!.profile!.login!);
    expect(logins).toContain("ada@example.com");
    const apps: string[] = [];
    for await (const app of await client.applicationApi.listApplications()) apps.push(app!.id!);
    expect(apps.length).toBeGreaterThan(0);
    const token = (client as unknown as { oauth: { accessToken: { token_type: string; scope: string } } }).oauth.accessToken;
    expect(token).toMatchObject({ token_type: "Bearer", scope: "okta.users.read okta.apps.read" });
  });

  it("is refused writes with 403 and the insufficient_scope challenge", async () => {
    const client = sdk(await serviceClient(SCOPES, false), SCOPES);
    const error = await failure(
      client.userApi.createUser({ body: { profile: { firstName: "No", lastName: "Way", email: "no@example.com", login: "no@example.com" } } }),
    );
    expect(error?.status).toBe(403);
    expect(error?.headers?.get("www-authenticate")).toContain('scope="okta.users.manage", error="insufficient_scope"');
  });

  it("after its token is revoked, the SDK gets 401, re-mints once and the call succeeds", async () => {
    const credentials = await serviceClient(SCOPES, false);
    const client = sdk(credentials, SCOPES);
    expect(await listLogins(client)).toContain("ada@example.com");
    const oauth = (client as unknown as { oauth: { accessToken: { access_token: string } } }).oauth;
    const revoked = oauth.accessToken.access_token;
    const jwk = JSON.parse(credentials.privateKey);
    const revokeUrl = `${org.orgUrl}/oauth2/v1/revoke`;
    const assertion = await new SignJWT({ aud: revokeUrl })
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
      .setIssuer(credentials.clientId)
      .setSubject(credentials.clientId)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(await importJWK(jwk, "RS256"));
    const reply = await fetch(revokeUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: revoked, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion }),
    });
    expect(reply.status).toBe(200);
    // wrangler dev runs one isolate: the revocation applies at once. A new token is minted after the 401.
    expect(await listLogins(client)).toContain("ada@example.com");
    expect(oauth.accessToken.access_token).not.toBe(revoked);
  });

  it("asking only for a scope it was not granted: the SDK sends 'Bearer undefined' and gets 401", async () => {
    // okta-sdk-nodejs 8.1.0 does not filter token-endpoint errors (oauth.js reads Http.errorFilter from the
    // module object, where it is undefined): the 400 consent_required body becomes its "token", and the API
    // call carries "Bearer undefined" — refused with 401, after which the SDK re-mints once and gives up.
    const client = sdk(await serviceClient(["okta.users.read"], false), ["okta.groups.manage"]);
    const error = await failure(listLogins(client));
    expect(error?.status).toBe(401);
    expect(error?.headers?.get("www-authenticate")).toContain('error="invalid_token"');
  });
});

describe("@okta/okta-sdk-nodejs, DPoP-bound client (dpop_bound_access_tokens: true)", () => {
  it("passes the nonce challenge, reads with a DPoP token and proofs, and is refused writes with 403", async () => {
    // The SDK always sends a DPoP proof to /token; use_dpop_nonce switches it to DPoP mode (REFERENCE §6.6).
    const client = sdk(await serviceClient(SCOPES, true), SCOPES);
    expect(await listLogins(client)).toContain("ada@example.com");
    const oauth = (client as unknown as { oauth: { isDPoP: boolean; accessToken: { token_type: string } } }).oauth;
    expect(oauth.isDPoP).toBe(true);
    expect(oauth.accessToken.token_type).toBe("DPoP");
    // More reads: a new proof (jti) per request, the same token.
    for await (const app of await client.applicationApi.listApplications()) expect(app!.id).toBeTruthy();
    expect(await listLogins(client)).toContain("ada@example.com");

    const error = await failure(
      client.userApi.createUser({ body: { profile: { firstName: "No", lastName: "Way", email: "no2@example.com", login: "no2@example.com" } } }),
    );
    expect(error?.status).toBe(403);
    expect(error?.headers?.get("www-authenticate")).toMatch(/^DPoP algs=".*error="insufficient_scope"/);
  });
});
