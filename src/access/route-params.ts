/**
 * The values of a route pattern's :params in the (org-relative) request
 * path: the pipeline's middleware runs before the route's handler and sees
 * no route params of its own.
 */
export function routeParams(pattern: string, path: string): Record<string, string> {
  const names = pattern.split("/");
  const values = path.split("/");
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    if (name.startsWith(":") && values[i] !== undefined) {
      try {
        params[name.slice(1)] = decodeURIComponent(values[i]!);
      } catch {
        params[name.slice(1)] = values[i]!;
      }
    }
  });
  return params;
}
