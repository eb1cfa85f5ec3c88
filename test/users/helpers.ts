import { expect } from "vitest";
import { call, createOrg, type Reply, type TestOrg } from "../support/http";
import { expectOktaSchema } from "../support/okta-schema";

export const PASSWORD = "Tr0ub4dor&3x";

let counter = 0;
/** A unique, valid profile. */
export function profile(extra: Record<string, unknown> = {}) {
  counter += 1;
  const n = `${Date.now().toString(36)}${counter}`;
  return { firstName: "Test", lastName: `User${n}`, email: `test.${n}@example.com`, login: `test.${n}@example.com`, ...extra };
}

export interface Ctx {
  org: TestOrg;
  req: <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply<T>>;
}

export async function newCtx(): Promise<Ctx> {
  const org = await createOrg();
  return {
    org,
    req: (method, path, body, headers) => call(method, path, { auth: org.ssws, orgUrl: org.orgUrl, body, headers }),
  };
}

/** Creates a user and checks the reply is a 200 Okta User. */
export async function createUser(ctx: Ctx, body: Record<string, unknown>, query = ""): Promise<any> {
  const reply = await ctx.req("POST", `/api/v1/users${query}`, body);
  expect(reply.status, reply.text).toBe(200);
  expectOktaSchema(reply.body, "User");
  return reply.body;
}

/** A user brought to `status` through the public API. */
export async function userIn(ctx: Ctx, status: string, options: { password?: boolean; question?: boolean } = {}): Promise<any> {
  const password = options.password ?? status !== "PROVISIONED";
  const credentials: Record<string, unknown> = {};
  if (password) credentials.password = { value: PASSWORD };
  if (options.question) credentials.recovery_question = { question: "Favourite colour?", answer: "Blue sky" };
  const activate = status !== "STAGED";
  const user = await createUser(ctx, { profile: profile(), credentials }, `?activate=${activate}`);
  const post = async (op: string) => {
    const r = await ctx.req("POST", `/api/v1/users/${user.id}/lifecycle/${op}`);
    expect(r.status, `${op}: ${r.text}`).toBe(200);
  };
  switch (status) {
    case "STAGED":
    case "ACTIVE":
    case "PROVISIONED":
      break;
    case "SUSPENDED":
      await post("suspend");
      break;
    case "DEPROVISIONED":
      await post("deactivate");
      break;
    case "RECOVERY":
      await post("reset_password?sendEmail=false");
      break;
    case "PASSWORD_EXPIRED":
      await post("expire_password");
      break;
    default:
      throw new Error(`userIn: cannot reach ${status}`);
  }
  const read = await ctx.req("GET", `/api/v1/users/${user.id}`);
  expect(read.body.status).toBe(status);
  return read.body;
}

export function expectError(reply: Reply, status: number, code: string, summary?: string | RegExp) {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body?.errorCode, reply.text).toBe(code);
  if (summary instanceof RegExp) expect(reply.body.errorSummary).toMatch(summary);
  else if (summary !== undefined) expect(reply.body.errorSummary).toBe(summary);
  expectOktaSchema(reply.body, "Error");
}
