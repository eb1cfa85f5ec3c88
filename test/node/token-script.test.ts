import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrg, deleteOrg, type NodeTestOrg } from "./support/org";

/**
 * `npm run token` (scripts/token.mjs) against a running worker: it makes the
 * demo service client when missing, grants the scopes asked for, runs the
 * private_key_jwt flow and prints a token the management API accepts.
 * The key file goes to a temporary path, never the developer's .edgeorg/.
 */
const run = promisify(execFile);
let org: NodeTestOrg;
let dir: string;

beforeAll(async () => {
  org = await createOrg();
  dir = mkdtempSync(join(tmpdir(), "edgeorg-token-"));
});

afterAll(async () => {
  if (org) await deleteOrg(org.slug);
  rmSync(dir, { recursive: true, force: true });
});

async function token(...args: string[]) {
  const base = org.orgUrl.slice(0, org.orgUrl.indexOf("/orgs/"));
  const { stdout, stderr } = await run(process.execPath, ["scripts/token.mjs", "--url", base, "--org", org.slug, ...args], {
    env: { ...process.env, EDGEORG_OAUTH_CLIENTS_FILE: join(dir, "clients.json") },
  });
  return { stdout: stdout.trim(), stderr };
}

describe("npm run token", () => {
  it("prints a token with the scopes asked for, usable on the management API", async () => {
    const { stdout } = await token("--scopes", "okta.users.read okta.apps.read", "--token", org.apiToken);
    const claims = JSON.parse(Buffer.from(stdout.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ iss: org.orgUrl, aud: org.orgUrl, scp: ["okta.users.read", "okta.apps.read"] });
    const read = await fetch(`${org.orgUrl}/api/v1/apps`, { headers: { Authorization: `Bearer ${stdout}` } });
    expect(read.status).toBe(200);
    const write = await fetch(`${org.orgUrl}/api/v1/apps`, { method: "POST", headers: { Authorization: `Bearer ${stdout}`, "Content-Type": "application/json" }, body: "{}" });
    expect(write.status).toBe(403);

    const file = join(dir, "clients.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, "utf8"))[org.slug];
    expect(saved.clientId).toBe(claims.cid);
    expect(saved.privateJwk.d).toEqual(expect.any(String));
  });

  it("reuses the saved client without an API token, and says which scopes it got", async () => {
    const first = JSON.parse(readFileSync(join(dir, "clients.json"), "utf8"))[org.slug].clientId;
    const { stdout } = await token("--scopes", "okta.apps.read okta.groups.manage", "--json");
    const body = JSON.parse(stdout);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "okta.apps.read okta.groups.manage" });
    expect(JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString()).cid).toBe(first);
  });

  it("fails with the token endpoint's error when nothing asked for is granted", async () => {
    await expect(token("--scopes", "okta.logs.read")).rejects.toMatchObject({ stderr: expect.stringContaining("consent_required") });
  });
});
