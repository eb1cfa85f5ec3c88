import { Hono } from "hono";
import { deleteKeySetStatement, forgetCachedKeySet } from "../oauth/crypto/key-set-removal";
import { listKeys, newKeySetStatements, rotateKeys, type KeyView } from "../oauth/crypto/keys";
import type { AppContext, AppEnv } from "../platform/context";
import { matchedRoutePath } from "../platform/matched-route";
import { notFound, oktaError } from "../platform/errors";
import { pageOf, readAfter, readLimit, setLinkHeaders } from "../platform/paging";
import { parseWith } from "../platform/validate";
import { registerClientTokenRoutes } from "./client-token-routes";
import {
  createPolicy,
  createRule,
  deletePolicy,
  deleteRule,
  listPolicies,
  listRules,
  replacePolicy,
  replaceRule,
  requirePolicy,
  requireRule,
  setPolicyStatus,
  setRuleStatus,
} from "./policies";
import {
  claimBody,
  claimJson,
  link,
  policyBody,
  policyJson,
  ruleBody,
  ruleJson,
  scopeBody,
  scopeJson,
  serverBase,
  serverBody,
  serverJson,
  type ServerRow,
  type SigningState,
} from "./schema";
import { createClaim, createScope, deleteClaim, deleteScope, listClaims, listScopes, replaceClaim, replaceScope, requireClaim, requireScope } from "./scopes";
import { forgetServerState } from "./server-state";
import { createServer, deleteServer, listServers, replaceServer, requireServer, setServerStatus } from "./servers";

/** /api/v1/authorizationServers (REFERENCE §5.1–§5.7). The guard has enforced the scope table already. */
export const authorizationServerRoutes = new Hono<AppEnv>();
const r = authorizationServerRoutes;

const keysOf = (c: AppContext, server: ServerRow) => ({ orgId: c.var.org.id, keySet: server.id });

async function signingOf(c: AppContext, server: ServerRow): Promise<SigningState> {
  const active = (await listKeys(c.var.db, c.env, keysOf(c, server))).find((k) => k.status === "ACTIVE");
  return { kid: active?.kid ?? null, lastRotated: active?.lastUpdated ?? null };
}

async function server(c: AppContext): Promise<ServerRow> {
  return requireServer(c.var.db, c.var.org.id, c.req.param("authServerId")!);
}

const noContent = (c: AppContext) => c.body(null, 204);

// Any write to a server or what it owns: this isolate's token endpoints see it at once (server-state.ts).
// A path under a server that matched no route has no org on the context (the guard let it through
// to the 404/405 handler) and wrote nothing: there is nothing to forget.
const forgetAfterWrite = async (c: AppContext, next: () => Promise<void>) => {
  await next();
  if (c.req.method !== "GET" && matchedRoutePath(c)) forgetServerState(c.var.org.id, c.req.param("authServerId")!);
};
r.use("/:authServerId", forgetAfterWrite);
r.use("/:authServerId/*", forgetAfterWrite);

// ---------------------------------------------------------------- servers

r.get("/", async (c) => {
  const limit = readLimit(c, { default: 200, max: 200 });
  const rows = await listServers(c.var.db, c.var.org.id, { q: c.req.query("q") || undefined, limit, after: readAfter(c, 2) });
  const page = pageOf(rows, limit, (row) => [row.created, row.id]);
  setLinkHeaders(c, page.next, ["q"]);
  const signing = await Promise.all(page.items.map((row) => signingOf(c, row)));
  return c.json(page.items.map((row, i) => serverJson(c.var.org.url, row, signing[i]!)));
});

r.post("/", async (c) => {
  const input = parseWith(serverBody, c.var.body);
  const row = await createServer(c.var.db, c.var.org.id, input, (id) =>
    newKeySetStatements(c.var.db, c.env, { orgId: c.var.org.id, keySet: id }),
  );
  return c.json(serverJson(c.var.org.url, row, await signingOf(c, row)), 201);
});

r.get("/:authServerId", async (c) => {
  const row = await server(c);
  return c.json(serverJson(c.var.org.url, row, await signingOf(c, row)));
});

r.put("/:authServerId", async (c) => {
  const current = await server(c);
  const row = await replaceServer(c.var.db, current, parseWith(serverBody, c.var.body));
  return c.json(serverJson(c.var.org.url, row, await signingOf(c, row)));
});

r.delete("/:authServerId", async (c) => {
  const row = await server(c);
  await deleteServer(c.var.db, row, [deleteKeySetStatement(c.var.db, keysOf(c, row))]);
  await forgetCachedKeySet(c.env.JWKS_CACHE, keysOf(c, row));
  return noContent(c);
});

r.post("/:authServerId/lifecycle/activate", async (c) => {
  await setServerStatus(c.var.db, await server(c), "ACTIVE");
  return noContent(c);
});

r.post("/:authServerId/lifecycle/deactivate", async (c) => {
  await setServerStatus(c.var.db, await server(c), "INACTIVE");
  return noContent(c);
});

// ---------------------------------------------------------------- keys

function keyJson(c: AppContext, server: ServerRow, key: KeyView) {
  const { kty, alg, e, n, use } = key.publicJwk;
  return {
    status: key.status,
    alg: alg ?? "RS256",
    e,
    n,
    kid: key.kid,
    kty: kty ?? "RSA",
    use: use ?? "sig",
    _links: { self: link(`${serverBase(c.var.org.url, server.id)}/credentials/keys/${key.kid}`, ["GET"]) },
  };
}

r.get("/:authServerId/credentials/keys", async (c) => {
  const row = await server(c);
  const keys = await listKeys(c.var.db, c.env, keysOf(c, row));
  return c.json(keys.map((k) => keyJson(c, row, k)));
});

r.get("/:authServerId/credentials/keys/:keyId", async (c) => {
  const row = await server(c);
  const keyId = c.req.param("keyId");
  const key = (await listKeys(c.var.db, c.env, keysOf(c, row))).find((k) => k.kid === keyId);
  if (!key) throw notFound(keyId, "AuthorizationServerJsonWebKey");
  return c.json(keyJson(c, row, key));
});

r.post("/:authServerId/credentials/lifecycle/keyRotate", async (c) => {
  const row = await server(c);
  const body = c.var.body as { use?: unknown } | undefined;
  if (!body || typeof body !== "object" || body.use !== "sig") {
    throw oktaError(400, "E0000001", "Api validation failed: rotateKeys", ["Invalid value specified for key 'use' parameter"]);
  }
  const keys = await rotateKeys(c.var.db, c.env, keysOf(c, row));
  return c.json(keys.map((k) => keyJson(c, row, k)));
});

// ---------------------------------------------------------------- policies and rules

r.get("/:authServerId/policies", async (c) => {
  const rows = await listPolicies(c.var.db, await server(c));
  return c.json(rows.map((p) => policyJson(c.var.org.url, p)));
});

r.post("/:authServerId/policies", async (c) => {
  const row = await createPolicy(c.var.db, await server(c), parseWith(policyBody, c.var.body));
  return c.json(policyJson(c.var.org.url, row), 201);
});

r.get("/:authServerId/policies/:policyId", async (c) => {
  const row = await requirePolicy(c.var.db, await server(c), c.req.param("policyId"));
  return c.json(policyJson(c.var.org.url, row));
});

r.put("/:authServerId/policies/:policyId", async (c) => {
  const srv = await server(c);
  const policy = await requirePolicy(c.var.db, srv, c.req.param("policyId"));
  const row = await replacePolicy(c.var.db, srv, policy, parseWith(policyBody, c.var.body));
  return c.json(policyJson(c.var.org.url, row));
});

r.delete("/:authServerId/policies/:policyId", async (c) => {
  const srv = await server(c);
  await deletePolicy(c.var.db, srv, await requirePolicy(c.var.db, srv, c.req.param("policyId")));
  return noContent(c);
});

for (const [action, status] of [["activate", "ACTIVE"], ["deactivate", "INACTIVE"]] as const) {
  r.post(`/:authServerId/policies/:policyId/lifecycle/${action}`, async (c) => {
    await setPolicyStatus(c.var.db, await requirePolicy(c.var.db, await server(c), c.req.param("policyId")), status);
    return noContent(c);
  });
  r.post(`/:authServerId/policies/:policyId/rules/:ruleId/lifecycle/${action}`, async (c) => {
    const policy = await requirePolicy(c.var.db, await server(c), c.req.param("policyId"));
    await setRuleStatus(c.var.db, await requireRule(c.var.db, policy, c.req.param("ruleId")), status);
    return noContent(c);
  });
}

r.get("/:authServerId/policies/:policyId/rules", async (c) => {
  const policy = await requirePolicy(c.var.db, await server(c), c.req.param("policyId"));
  return c.json((await listRules(c.var.db, policy)).map((rule) => ruleJson(c.var.org.url, rule)));
});

r.post("/:authServerId/policies/:policyId/rules", async (c) => {
  const srv = await server(c);
  const policy = await requirePolicy(c.var.db, srv, c.req.param("policyId"));
  const row = await createRule(c.var.db, srv, policy, parseWith(ruleBody, c.var.body));
  return c.json(ruleJson(c.var.org.url, row), 201);
});

r.get("/:authServerId/policies/:policyId/rules/:ruleId", async (c) => {
  const policy = await requirePolicy(c.var.db, await server(c), c.req.param("policyId"));
  return c.json(ruleJson(c.var.org.url, await requireRule(c.var.db, policy, c.req.param("ruleId"))));
});

r.put("/:authServerId/policies/:policyId/rules/:ruleId", async (c) => {
  const srv = await server(c);
  const policy = await requirePolicy(c.var.db, srv, c.req.param("policyId"));
  const rule = await requireRule(c.var.db, policy, c.req.param("ruleId"));
  const row = await replaceRule(c.var.db, srv, policy, rule, parseWith(ruleBody, c.var.body));
  return c.json(ruleJson(c.var.org.url, row));
});

r.delete("/:authServerId/policies/:policyId/rules/:ruleId", async (c) => {
  const policy = await requirePolicy(c.var.db, await server(c), c.req.param("policyId"));
  await deleteRule(c.var.db, policy, await requireRule(c.var.db, policy, c.req.param("ruleId")));
  return noContent(c);
});

// ---------------------------------------------------------------- scopes

r.get("/:authServerId/scopes", async (c) => {
  const srv = await server(c);
  const limit = readLimit(c, { default: 200, max: 200 });
  const after = readAfter(c, 1);
  const rows = await listScopes(c.var.db, srv, {
    q: c.req.query("q") || undefined,
    filter: c.req.query("filter") || undefined,
    limit,
    after: after ? String(after[0]) : undefined,
  });
  const page = pageOf(rows, limit, (row) => [row.name]);
  setLinkHeaders(c, page.next, ["q", "filter"]);
  return c.json(page.items.map((s) => scopeJson(c.var.org.url, s)));
});

r.post("/:authServerId/scopes", async (c) => {
  const row = await createScope(c.var.db, await server(c), parseWith(scopeBody, c.var.body));
  return c.json(scopeJson(c.var.org.url, row), 201);
});

r.get("/:authServerId/scopes/:scopeId", async (c) => {
  return c.json(scopeJson(c.var.org.url, await requireScope(c.var.db, await server(c), c.req.param("scopeId"))));
});

r.put("/:authServerId/scopes/:scopeId", async (c) => {
  const srv = await server(c);
  const scope = await requireScope(c.var.db, srv, c.req.param("scopeId"));
  const row = await replaceScope(c.var.db, srv, scope, parseWith(scopeBody, c.var.body));
  return c.json(scopeJson(c.var.org.url, row));
});

r.delete("/:authServerId/scopes/:scopeId", async (c) => {
  await deleteScope(c.var.db, await requireScope(c.var.db, await server(c), c.req.param("scopeId")));
  return noContent(c);
});

// ---------------------------------------------------------------- claims

r.get("/:authServerId/claims", async (c) => {
  const rows = await listClaims(c.var.db, await server(c));
  return c.json(rows.map((row) => claimJson(c.var.org.url, row)));
});

r.post("/:authServerId/claims", async (c) => {
  const row = await createClaim(c.var.db, await server(c), parseWith(claimBody, c.var.body));
  return c.json(claimJson(c.var.org.url, row), 201);
});

r.get("/:authServerId/claims/:claimId", async (c) => {
  return c.json(claimJson(c.var.org.url, await requireClaim(c.var.db, await server(c), c.req.param("claimId"))));
});

r.put("/:authServerId/claims/:claimId", async (c) => {
  const srv = await server(c);
  const claim = await requireClaim(c.var.db, srv, c.req.param("claimId"));
  const row = await replaceClaim(c.var.db, srv, claim, parseWith(claimBody, c.var.body));
  return c.json(claimJson(c.var.org.url, row));
});

r.delete("/:authServerId/claims/:claimId", async (c) => {
  await deleteClaim(c.var.db, await requireClaim(c.var.db, await server(c), c.req.param("claimId")));
  return noContent(c);
});

registerClientTokenRoutes(r, server);
