import type { AuthorizationServer } from "../server";

/**
 * The response_type values a server answers at /authorize, from the grant
 * types it serves: `code` with authorization_code, `token`/`id_token` with
 * implicit, and the hybrid combinations with both — in Okta's order
 * (discovery's response_types_supported).
 */
export function responseTypesOf(server: Pick<AuthorizationServer, "grantTypes">): string[] {
  const code = server.grantTypes.includes("authorization_code");
  const implicit = server.grantTypes.includes("implicit");
  const out: string[] = [];
  if (code) out.push("code");
  if (implicit) out.push("token", "id_token");
  if (code && implicit) out.push("code id_token", "code token");
  if (implicit) out.push("id_token token");
  if (code && implicit) out.push("code id_token token");
  return out;
}
