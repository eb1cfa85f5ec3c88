/**
 * What of a URL may go into the request log. Path parameters whose name
 * suggests a credential become `{name}`; query parameters keep their names,
 * and their values only when they are known to be harmless (paging, search,
 * flags). Everything else is `***`: an unknown parameter may carry a token.
 */
const SECRET_NAME = /token|secret|password|assertion|code|otp|session/i;

const SHOWN_QUERY = new Set([
  "limit", "after", "q", "filter", "search", "expand", "sortBy", "sortOrder", "activate", "provider", "nextLogin",
  "sendEmail", "strict", "tempPassword", "fields", "type", "status", "client_id", "scope", "response_type",
  "response_mode", "prompt", "grant_type", "redirect_uri", "format",
]);

export function loggablePath(url: URL, routePattern: string | undefined): string {
  let path = url.pathname;
  if (routePattern && !routePattern.includes("*")) {
    const pattern = routePattern.split("/");
    const actual = path.split("/");
    if (pattern.length === actual.length) {
      path = actual.map((segment, i) => {
        const param = /^:([A-Za-z0-9_]+)/.exec(pattern[i] ?? "");
        return param && SECRET_NAME.test(param[1]!) ? `{${param[1]}}` : segment;
      }).join("/");
    }
  }
  const query = [...url.searchParams.entries()].map(([name, value]) =>
    `${encodeURIComponent(name)}=${SHOWN_QUERY.has(name) ? encodeURIComponent(value) : "***"}`,
  );
  return (query.length ? `${path}?${query.join("&")}` : path).slice(0, 1000);
}
