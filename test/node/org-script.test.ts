import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
// @ts-expect-error plain ESM helper of scripts/org.mjs (no type declarations)
import { parseTtl, slugifyBranch } from "../../scripts/lib/branch-org.mjs";
// @ts-expect-error plain ESM helper (no type declarations)
import { freePort } from "../../scripts/lib/worker.mjs";

/**
 * `npm run org` (scripts/org.mjs) against the running worker, as a CI step
 * runs it: OPERATOR_TOKEN in the environment, --url the worker, stdout only
 * the KEY=value lines. Key files go to a temporary path.
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "edgeorg-org-"));
const branch = `feature/Org-Script_${Date.now().toString(36)}`;
const slug = slugifyBranch(branch);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function org(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ["scripts/org.mjs", "--url", inject("orgUrl"), ...args], {
    env: {
      ...process.env,
      OPERATOR_TOKEN: inject("operatorToken"),
      EDGEORG_OAUTH_CLIENTS_FILE: join(dir, "clients.json"),
      EDGEORG_STATE_FILE: join(dir, "org.json"),
      ...env,
    },
  });
}

function lines(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

async function usersSeen(orgUrl: string, token: string) {
  const response = await fetch(`${orgUrl}/api/v1/users?limit=200`, { headers: { Authorization: `SSWS ${token}`, Accept: "application/json" } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { profile: { login: string } }[]).map((u) => u.profile.login);
}

describe("branch names as org slugs", () => {
  it("slugifies branches into 3–40 characters of [a-z0-9-], never 'default', keeping long names apart", () => {
    expect(slugifyBranch("feature/foo")).toBe("feature-foo");
    expect(slugifyBranch("refs/heads/Feature/Foo_Bar")).toBe("feature-foo-bar");
    for (const b of ["a", "default", "--", "x".repeat(60), `${"y".repeat(50)}-1`, `${"y".repeat(50)}-2`, "dependabot/npm_and_yarn/wrangler-4.156.2"]) {
      expect(slugifyBranch(b), b).toMatch(/^[a-z0-9-]{3,40}$/);
      expect(slugifyBranch(b)).not.toBe("default");
    }
    expect(slugifyBranch(`${"y".repeat(50)}-1`)).not.toBe(slugifyBranch(`${"y".repeat(50)}-2`));
    expect([parseTtl("7d"), parseTtl("12h"), parseTtl("90"), parseTtl("2w"), parseTtl("soon")]).toEqual([604800, 43200, 90, 1209600, undefined]);
  });
});

describe("npm run org", () => {
  let first: Record<string, string>;

  it("makes the branch's org and prints ORG_URL= / OKTA_API_TOKEN= lines (and nothing else on stdout)", async () => {
    const { stdout, stderr } = await org(["--branch", branch, "--ttl", "1h"]);
    first = lines(stdout);
    expect(Object.keys(first)).toEqual(["ORG_URL", "OKTA_API_TOKEN", "ORG_SLUG"]);
    expect(first.ORG_URL).toBe(`${inject("orgUrl")}/orgs/${slug}`);
    expect(first.ORG_SLUG).toBe(slug);
    expect(stderr).toContain(`Made org '${slug}'`);
    expect(await usersSeen(first.ORG_URL!, first.OKTA_API_TOKEN!)).not.toContain("ada.lovelace@example.com");
  });

  it("a second run finds the same org, seeds the demo data and hands out a token that works (the first one too)", async () => {
    const { stdout, stderr } = await org(["--branch", branch, "--seed", "demo", "--ttl", "2h"]);
    const again = lines(stdout);
    expect(again.ORG_URL).toBe(first.ORG_URL);
    expect(again.OKTA_API_TOKEN).not.toBe(first.OKTA_API_TOKEN);
    expect(stderr).toContain(`Found org '${slug}'`);
    const logins = await usersSeen(again.ORG_URL!, again.OKTA_API_TOKEN!);
    expect(logins).toContain("ada.lovelace@example.com");
    expect(await usersSeen(first.ORG_URL!, first.OKTA_API_TOKEN!)).toEqual(logins);
  });

  it("deletes the branch's org, and a second delete says it is gone", async () => {
    expect((await org(["--branch", branch, "--delete"])).stderr).toContain(`Deleted org '${slug}'`);
    const gone = await fetch(`${first.ORG_URL}/api/v1/users`, { headers: { Authorization: `SSWS ${first.OKTA_API_TOKEN}` } });
    expect(gone.status).toBe(404);
    expect((await org(["--branch", branch, "--delete"])).stderr).toContain("already deleted");
  });

  it("says what is wrong, without a stack trace: no branch, a bad TTL, a wrong operator token, no worker", async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /--branch is required/],
      [["--branch", "x-y", "--ttl", "soon"], {}, /--ttl must look like/],
      [["--branch", "x-y"], { OPERATOR_TOKEN: "wrong" }, /refused the operator token/],
    ];
    for (const [args, env, message] of cases) {
      const failure = await org(args, env).then(() => null, (error) => error);
      expect(failure, args.join(" ")).not.toBeNull();
      expect(failure.stderr).toMatch(message);
      expect(failure.stderr).not.toMatch(/\n\s+at /);
    }
    const closed = `http://127.0.0.1:${await freePort()}`;
    const nobody = await run(process.execPath, ["scripts/org.mjs", "--url", closed, "--branch", "x-y"], {
      env: { ...process.env, OPERATOR_TOKEN: "x" },
    }).then(() => null, (error) => error);
    expect(nobody.stderr).toContain(`Nothing answers at ${closed} (ECONNREFUSED)`);
  });
});
