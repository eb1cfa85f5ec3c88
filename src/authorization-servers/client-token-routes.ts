import type { Hono } from "hono";
import { findOAuthClient } from "../apps/service";
import type { AppContext, AppEnv } from "../platform/context";
import { notFound } from "../platform/errors";
import { pageOf, readAfter, readLimit, setLinkHeaders } from "../platform/paging";
import {
  allClientTokens,
  clientsWithTokens,
  findClientToken,
  listClientTokens,
  revokeIssuedTokens,
  TOKEN_TYPE,
  type IssuedToken,
} from "../oauth/tokens/issued";
import { issuerOf, link, serverBase, type ServerRow } from "./schema";
import { allScopes } from "./scopes";

/**
 * /api/v1/authorizationServers/{authServerId}/clients[/{clientId}/tokens[/{tokenId}]]:
 * the clients holding unexpired access tokens of the server, and those tokens
 * (shaped as Okta's OAuth2RefreshToken objects, the only token objects of this API).
 */
export function registerClientTokenRoutes(r: Hono<AppEnv>, server: (c: AppContext) => Promise<ServerRow>): void {
  const noContent = (c: AppContext) => c.body(null, 204);

  /** The server, after checking that the path's client exists (404 PublicClientApp, as /oauth2/v1/clients says). */
  async function serverAndClient(c: AppContext): Promise<ServerRow> {
    const srv = await server(c);
    const clientId = c.req.param("clientId")!;
    if (!(await findOAuthClient(c.var.db, c.var.org.id, clientId))) throw notFound(clientId, "PublicClientApp");
    return srv;
  }

  r.get("/:authServerId/clients", async (c) => {
    const srv = await server(c);
    const orgUrl = c.var.org.url;
    const clientIds = await clientsWithTokens(c.var.db, c.var.org.id, srv.id);
    const clients = await Promise.all(clientIds.map((id) => findOAuthClient(c.var.db, c.var.org.id, id)));
    return c.json(
      clients.flatMap((client, i) => {
        // A deleted client's tokens are refused everywhere: it is not listed.
        if (!client) return [];
        const clientId = clientIds[i]!;
        const name = client.name;
        return [
          {
            client_id: clientId,
            client_name: name,
            client_uri: null,
            logo_uri: null,
            _links: {
              client: { href: `${orgUrl}/oauth2/v1/clients/${clientId}`, title: name },
              tokens: link(`${serverBase(orgUrl, srv.id)}/clients/${clientId}/tokens`, ["GET", "DELETE"]),
            },
          },
        ];
      }),
    );
  });

  async function tokenJson(c: AppContext, srv: ServerRow, row: IssuedToken, expandScopes: boolean) {
    const orgUrl = c.var.org.url;
    const base = `${serverBase(orgUrl, srv.id)}/clients/${row.clientId}/tokens/${row.id}`;
    const client = await findOAuthClient(c.var.db, c.var.org.id, row.clientId);
    const json: Record<string, unknown> = {
      id: row.id,
      status: "ACTIVE",
      created: row.created,
      lastUpdated: row.created,
      expiresAt: row.expiresAt,
      issuer: issuerOf(orgUrl, srv.id),
      // The schema says clientId, Okta's own example shows client_id: both are given.
      clientId: row.clientId,
      client_id: row.clientId,
      scopes: row.scopes,
    };
    if (expandScopes) {
      const byName = new Map((await allScopes(c.var.db, srv)).map((s) => [s.name, s]));
      json._embedded = {
        scopes: row.scopes.flatMap((name) => {
          const scope = byName.get(name);
          if (!scope) return [];
          return [
            {
              id: scope.id,
              name: scope.name,
              displayName: scope.displayName ?? scope.name,
              description: scope.description ?? "",
              _links: { scope: { href: `${serverBase(orgUrl, srv.id)}/scopes/${scope.id}`, title: scope.displayName ?? scope.name } },
            },
          ];
        }),
      };
    }
    json._links = {
      ...(client ? { app: { href: `${orgUrl}/api/v1/apps/${client.appId}`, title: client.name } } : {}),
      authorizationServer: { href: serverBase(orgUrl, srv.id), title: srv.name },
      self: { href: base },
      revoke: link(base, ["DELETE"]),
      client: { href: `${orgUrl}/oauth2/v1/clients/${row.clientId}`, title: client?.name ?? row.clientId },
    };
    return json;
  }

  r.get("/:authServerId/clients/:clientId/tokens", async (c) => {
    const srv = await serverAndClient(c);
    const limit = readLimit(c, { default: 20, max: 200 });
    const rows = await listClientTokens(c.var.db, c.var.org.id, srv.id, c.req.param("clientId"), { limit, after: readAfter(c, 2) });
    const page = pageOf(rows, limit, (row) => [row.created, row.id]);
    setLinkHeaders(c, page.next, ["expand"]);
    const expand = c.req.query("expand") === "scope";
    return c.json(await Promise.all(page.items.map((row) => tokenJson(c, srv, row, expand))));
  });

  r.delete("/:authServerId/clients/:clientId/tokens", async (c) => {
    const srv = await serverAndClient(c);
    await revokeIssuedTokens(c.var.db, c.var.org.id, await allClientTokens(c.var.db, c.var.org.id, srv.id, c.req.param("clientId")));
    return noContent(c);
  });

  async function clientToken(c: AppContext, srv: ServerRow): Promise<IssuedToken> {
    const tokenId = c.req.param("tokenId")!;
    const row = await findClientToken(c.var.db, c.var.org.id, srv.id, c.req.param("clientId")!, tokenId);
    if (!row) throw notFound(tokenId, TOKEN_TYPE);
    return row;
  }

  r.get("/:authServerId/clients/:clientId/tokens/:tokenId", async (c) => {
    const srv = await serverAndClient(c);
    return c.json(await tokenJson(c, srv, await clientToken(c, srv), c.req.query("expand") === "scope"));
  });

  r.delete("/:authServerId/clients/:clientId/tokens/:tokenId", async (c) => {
    const srv = await serverAndClient(c);
    await revokeIssuedTokens(c.var.db, c.var.org.id, [await clientToken(c, srv)]);
    return noContent(c);
  });
}
