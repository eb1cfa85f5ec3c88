/**
 * Orgs other than the default answer under /orgs/{slug}. The worker strips
 * that prefix before routing, so every route — and the route table, which is
 * looked up by the matched route — sees org-relative paths. What was
 * stripped is remembered per request object.
 */
export interface OrgRoute {
  /** null for the default org at the root. */
  slug: string | null;
  /** The request's URL as the client sent it (DPoP `htu` is checked against it). */
  originalUrl: string;
}

const routes = new WeakMap<Request, OrgRoute>();

const PREFIX = /^\/orgs\/([^/]+)(\/.*)?$/;

export function splitOrgPrefix(request: Request): Request {
  const url = new URL(request.url);
  const match = PREFIX.exec(url.pathname);
  if (!match) {
    routes.set(request, { slug: null, originalUrl: request.url });
    return request;
  }
  const inner = new URL(request.url);
  inner.pathname = match[2] ?? "/";
  const rewritten = new Request(inner.toString(), request);
  routes.set(rewritten, { slug: decodeURIComponent(match[1]!), originalUrl: request.url });
  return rewritten;
}

export function orgRouteOf(request: Request): OrgRoute {
  return routes.get(request) ?? { slug: null, originalUrl: request.url };
}
