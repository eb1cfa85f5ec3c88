import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM helper (no type declarations)
import { freePort } from "../../scripts/lib/worker.mjs";

/**
 * A newcomer following the README: `npm start` (scripts/start.mjs) on its own
 * ports, state dir and .dev.vars, then every code block of README.md run as
 * written against that org (the only change: the README's URL becomes the
 * started one), then the address trap: the same org started on another port,
 * where `npm run token` must still work.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const README_URL = "http://127.0.0.1:8787";
const execFileP = promisify(execFile);

// Under node_modules/ so that the snippets' imports of @okta/* resolve; its own .edgeorg/ like a clone's.
mkdirSync(join(ROOT, "node_modules/.cache"), { recursive: true });
const dir = mkdtempSync(join(ROOT, "node_modules/.cache/edgeorg-readme-"));
const devVars = join(dir, "dev.vars");
const stateFile = join(dir, ".edgeorg/org.json");
const env = {
  ...process.env,
  EDGEORG_DEV_VARS: devVars,
  EDGEORG_STATE_FILE: stateFile,
  EDGEORG_OAUTH_CLIENTS_FILE: join(dir, ".edgeorg/oauth-clients.json"),
  OPERATOR_TOKEN: "",
};
const startArgs = ["--persist-to", join(dir, "state")];
let running: { child: ChildProcess; output: () => string } | undefined;

/** Runs scripts/start.mjs until it prints its summary (or fails). */
function startOrg(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["scripts/start.mjs", "--port", String(port), ...startArgs], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolvePromise, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Ctrl-C stops it.")) resolvePromise({ child, output: () => output });
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    child.once("exit", (code) => reject(new Error(`npm start exited (${code}) before the org ran:\n${output}`)));
  });
}

async function stopOrg() {
  if (!running) return;
  const { child } = running;
  running = undefined;
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGINT");
  await exited;
}

const node = (script: string, args: string[]) => execFileP(process.execPath, [script, ...args], { cwd: ROOT, env });
const state = () => JSON.parse(readFileSync(stateFile, "utf8")) as { url: string; apiToken: string; operatorToken: string };

beforeAll(() => {
  writeFileSync(devVars, 'BOOTSTRAP_API_TOKEN=readme-api-token # a comment wrangler drops\nOPERATOR_TOKEN="readme-operator-token"\n');
});

afterAll(async () => {
  await stopOrg();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("refuses a taken port before it writes, migrates or seeds anything", async () => {
    const port = await freePort();
    const squatter = createServer().listen(port, "127.0.0.1");
    await new Promise((r) => squatter.once("listening", r));
    try {
      const failure = await node("scripts/start.mjs", ["--port", String(port), ...startArgs]).then(() => null, (error) => error);
      expect(failure?.code).toBe(1);
      expect(failure.stderr).toContain(`Port ${port} on 127.0.0.1 is taken by another program`);
      expect(failure.stderr).toContain(`npm start -- --port ${port + 1}`);
      expect(failure.stdout + failure.stderr).not.toMatch(/Seeding|Applying|\n\s+at /);
      expect(readFileSync(devVars, "utf8")).not.toContain("KEY_ENCRYPTION_SECRET");
      expect(existsSync(join(dir, "state"))).toBe(false);
    } finally {
      squatter.close();
    }
  });

  it("starts one org on one URL: quiet, .dev.vars read as wrangler reads it, the missing secret added, the org recorded", { timeout: 240_000 }, async () => {
    const port = await freePort();
    running = await startOrg(port);
    const url = `http://127.0.0.1:${port}`;
    const output = running.output();
    expect(output).toContain(`Org URL:        ${url}`);
    expect(output).toContain(".dev.vars had no KEY_ENCRYPTION_SECRET; added random values.");
    expect(output).not.toMatch(/\[wrangler|\[seed |\n\s+at |ENOTFOUND/);
    expect(readFileSync(devVars, "utf8")).toMatch(/\nKEY_ENCRYPTION_SECRET=\S{20,}\n/);

    expect(state()).toMatchObject({ url, apiToken: "readme-api-token", operatorToken: "readme-operator-token" });
    // The token without its inline comment is what the worker got: the seeds used it.
    const users = await fetch(`${url}/api/v1/users?limit=200`, { headers: { Authorization: "SSWS readme-api-token" } });
    expect(users.status).toBe(200);
    expect(((await users.json()) as { profile: { login: string } }[]).map((u) => u.profile.login)).toContain("ada.lovelace@example.com");
    // ORG_URL is pinned: asked through localhost, the issuer is still the printed URL.
    const discovery = (await (await fetch(`http://localhost:${port}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(discovery.issuer).toBe(url);

    // The demo SPA: its ready authorize URL (PKCE S256 with the printed verifier), the demo password, both apps assigned to Everyone.
    expect(output).toMatch(/Sign in to the SPA as ada\.lovelace@example\.com \/ Edgeorg-Demo-2026:/);
    const authorize = new URL(/(http:\/\/\S+\/oauth2\/v1\/authorize\?\S+)/.exec(output)![1]!);
    const verifier = /code_verifier=(\S+)/.exec(output)![1]!;
    expect(authorize.searchParams.get("code_challenge")).toBe(createHash("sha256").update(verifier).digest("base64url"));
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe("http://localhost:5173/login/callback");
    const sswsGet = async (path: string) => (await fetch(`${url}${path}`, { headers: { Authorization: "SSWS readme-api-token" } })).json() as Promise<any>;
    const spa = await sswsGet(`/api/v1/apps/${authorize.searchParams.get("client_id")}`);
    expect(spa).toMatchObject({ label: "Demo SPA", settings: { oauthClient: { application_type: "browser" } }, credentials: { oauthClient: { token_endpoint_auth_method: "none" } } });
    const everyone = (await sswsGet("/api/v1/groups?q=Everyone")).find((g: any) => g.type === "BUILT_IN");
    for (const app of (await sswsGet("/api/v1/apps?limit=200")).filter((a: any) => a.label === "Demo SPA" || a.label === "Demo web app")) {
      expect((await sswsGet(`/api/v1/apps/${app.id}/groups`)).map((g: any) => g.id), app.label).toContain(everyone.id);
    }
  });
});

interface Block {
  lang: string;
  code: string;
  skipped: boolean;
}

function readmeBlocks(): Block[] {
  const text = readFileSync(join(ROOT, "README.md"), "utf8");
  return [...text.matchAll(/(<!-- readme-test: skip[^>]*-->\n)?```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[2]!, code: m[3]!, skipped: Boolean(m[1]) }));
}

/** What each runnable block must print (matched by a piece of its code). */
const EXPECTED: [string, RegExp][] = [
  ["users.mjs", /ada\.lovelace@example\.com/],
  ["service.cjs", /Engineering/],
  ["verify.mjs", /\[ 'demo:read' \] edgeorg-demo/],
  ["npm run org -- --branch feature/foo --seed demo", /ORG_URL=http:\/\/127\.0\.0\.1:\d+\/orgs\/feature-foo\nOKTA_API_TOKEN=00\w{40}\n/],
  ["_edgeorg/orgs/pr-123/apiTokens", /"apiToken":"00\w{40}"/],
  ["npm run -s token", /ada\.lovelace@example\.com/],
  ["signin.mjs", /^ada\.lovelace@example\.com .*offline_access/m],
];

describe("the README's code blocks", () => {
  it("every block a reader would paste runs as written against the started org", { timeout: 240_000 }, async () => {
    const { url, apiToken } = state();
    // what a reader copies from npm start's output
    const spaClientId = /Demo SPA: client_id (\S+)/.exec(running!.output())?.[1];
    expect(spaClientId).toBeDefined();
    const blocks = readmeBlocks().filter((b) => !b.skipped);
    expect(blocks.map((b) => b.lang)).toEqual(expect.arrayContaining(["js", "sh"]));
    const seen = new Set<string>();
    for (const block of blocks) {
      const code = block.code.replaceAll(README_URL, url);
      let result: { stdout: string; stderr: string };
      const options = { cwd: dir, env: { ...env, OKTA_API_TOKEN: apiToken, SPA_CLIENT_ID: spaClientId } };
      if (block.lang === "js") {
        const name = /^\/\/ (\S+\.[cm]?js)/.exec(code)?.[1];
        expect(name, `a js block names its file in its first line:\n${code}`).toBeDefined();
        writeFileSync(join(dir, name!), code);
        result = await execFileP(process.execPath, [name!], options).catch((error) => expect.fail(`${name} failed:\n${error.stderr}`));
      } else {
        expect(block.lang).toBe("sh");
        result = await execFileP("bash", ["-euo", "pipefail", "-c", code], options).catch((error) => expect.fail(`block failed:\n${code}\n${error.stderr}`));
      }
      for (const [piece, pattern] of EXPECTED) {
        if (!block.code.includes(piece)) continue;
        expect(result.stdout, piece).toMatch(pattern);
        seen.add(piece);
      }
    }
    expect([...seen].sort()).toEqual(EXPECTED.map(([piece]) => piece).sort());
  });
});

describe("the same org on another port (the address trap)", () => {
  it("npm run token says what to do while no org runs, and works again once the org answers on a new URL", { timeout: 240_000 }, async () => {
    await stopOrg();
    expect(existsSync(stateFile)).toBe(false);
    const idle = await node("scripts/token.mjs", ["--scopes", "okta.users.read"]).then(() => null, (error) => error);
    expect(idle?.stderr).toMatch(/^No local org is running \(no .*org\.json\)\. Start one with `npm start`/);

    const port = await freePort();
    running = await startOrg(port);
    const url = `http://127.0.0.1:${port}`;
    const { stdout } = await node("scripts/token.mjs", ["--scopes", "okta.users.read"]);
    const claims = JSON.parse(Buffer.from(stdout.trim().split(".")[1]!, "base64url").toString());
    expect(claims.iss).toBe(url);
    const users = await fetch(`${url}/api/v1/users`, { headers: { Authorization: `Bearer ${stdout.trim()}` } });
    expect(users.status).toBe(200);
  });
});
