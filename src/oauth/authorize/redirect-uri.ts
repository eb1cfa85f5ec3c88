import type { OAuthClient } from "../../apps/service";

/**
 * Is `requested` one of the client's Login redirect URIs (REFERENCE-SIGNIN
 * §4.1)? Exact and case-sensitive, trailing slash and query included —
 * no normalisation, because a redirect that "almost" matches is how codes
 * leak. With `wildcard_redirect: SUBDOMAIN` a registered https URI may have
 * `*` as its lowest host label; it then stands for exactly one label
 * (letters, digits, hyphens), everything else still exact.
 */
export function isRegisteredRedirectUri(client: OAuthClient, requested: string): boolean {
  if (client.redirectUris.includes(requested)) return true;
  if (!client.wildcardRedirect) return false;
  return client.redirectUris.some((registered) => matchesWildcard(registered, requested));
}

const WILDCARD_HOST = /^https:\/\/\*\.([^/?#*]+)([/?][^*]*)?$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function matchesWildcard(registered: string, requested: string): boolean {
  const pattern = WILDCARD_HOST.exec(registered);
  if (!pattern) return false;
  const [, parent, rest = ""] = pattern;
  if (!requested.startsWith("https://")) return false;
  const afterScheme = requested.slice("https://".length);
  const dot = afterScheme.indexOf(".");
  if (dot <= 0) return false;
  const label = afterScheme.slice(0, dot);
  return LABEL.test(label) && afterScheme.slice(dot + 1) === parent + rest;
}
