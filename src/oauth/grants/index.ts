import { authorizationCode } from "./authorization-code";
import { clientCredentials } from "./client-credentials";
import type { Grant } from "./grant";
import { password } from "./password";
import { refreshToken } from "./refresh-token";

/**
 * Every grant the engine implements, by grant_type. A server serves the ones
 * its AuthorizationServer value lists (grantTypes); discovery advertises
 * exactly those. Adding a grant: one file beside this one, one line here.
 */
export const GRANTS: Record<string, Grant> = {
  [clientCredentials.grantType]: clientCredentials,
  [authorizationCode.grantType]: authorizationCode,
  [password.grantType]: password,
  [refreshToken.grantType]: refreshToken,
};
