import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * .github/workflows/preview.yml, checked with GitHub's own workflow parser
 * (@actions/workflow-parser: the schema and expression checks of GitHub's
 * editor tooling), then step by step: what a preview must do, and that the
 * `npm run org` calls use flags the script knows.
 */
const PATH = ".github/workflows/preview.yml";
const text = readFileSync(PATH, "utf8");

async function problems(name: string, content: string) {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
  return [...parsed.context.errors.getErrors(), ...(template.errors ?? [])].map((e) => ("message" in e ? e.message : e.Message));
}

type Step = { name?: string; run?: string; uses?: string; with?: Record<string, string>; env?: Record<string, string> };
const workflow = parse(text) as { on: any; permissions: Record<string, string>; jobs: Record<string, { if: string; env?: Record<string, string>; steps: Step[] }> };
const runs = (job: string) => workflow.jobs[job]!.steps.map((s) => s.run ?? "").join("\n");

describe("the preview workflow", () => {
  it("is a valid workflow for GitHub's parser (and the parser does refuse a broken one)", async () => {
    expect(await problems(PATH, text)).toEqual([]);
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ github.x( }}\n";
    expect((await problems("broken.yml", broken)).length).toBeGreaterThan(0);
  });

  it("runs per pull request, including when it closes, with write access to pull-request comments only", () => {
    expect(workflow.on.pull_request.types).toEqual(expect.arrayContaining(["opened", "synchronize", "reopened", "closed"]));
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("migrates D1, uploads a preview version, makes the branch's org with demo data, checks it and comments the URLs", () => {
    const job = workflow.jobs.preview!;
    expect(job.if).toContain("github.event.action != 'closed'");
    const script = runs("preview");
    const order = [/wrangler d1 migrations apply DB --remote/, /wrangler versions upload --preview-alias/, /npm run -s org -- --branch "\$BRANCH" --url "\$PREVIEW_URL" --seed demo --ttl 7d/, /curl --fail/];
    const positions = order.map((pattern) => script.search(pattern));
    expect(positions.every((p) => p >= 0), String(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(script).toContain("::add-mask::");
    const comment = job.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
    expect(comment?.with?.script).toMatch(/createComment/);
    expect(comment?.with?.script).toMatch(/updateComment/);
    expect(comment?.with?.script).not.toMatch(/OKTA_API_TOKEN/);
  });

  it("deletes the branch's org when the pull request closes", () => {
    expect(workflow.jobs.cleanup!.if).toContain("github.event.action == 'closed'");
    expect(runs("cleanup")).toMatch(/npm run -s org -- --branch "\$BRANCH" --url "\$EDGEORG_URL" --delete/);
  });

  it("never splices what a pull request's author controls into a script", () => {
    for (const [name, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps) {
        for (const code of [step.run, step.with?.script]) {
          expect(code ?? "", `${name} › ${step.name ?? step.uses}`).not.toMatch(/\$\{\{[^}]*(head_ref|pull_request\.(title|body|head\.ref|head\.label))/);
        }
      }
    }
  });

  it("passes npm run org only flags it knows", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["scripts/org.mjs", "--help"]);
    const flags = [...text.matchAll(/npm run -s org -- ([^\n]+)/g)].flatMap((m) => m[1]!.match(/--[a-z-]+/g) ?? []);
    expect(flags.length).toBeGreaterThan(4);
    for (const flag of new Set(flags)) expect(stdout, flag).toContain(`${flag} `);
  });
});
