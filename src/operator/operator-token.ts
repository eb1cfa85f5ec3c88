import type { Env } from "../env";
import { sameSecret } from "../platform/timing-safe";
import { sha256Hex } from "../platform/ids";

/**
 * The operator's token, as the request log page receives it: HTTP Basic
 * (any user name, the token as password), which a browser asks for itself —
 * no form, no script, no cookie to protect against CSRF.
 */
export async function basicOperatorToken(env: Env, authorization: string | undefined): Promise<boolean> {
  if (!authorization?.toLowerCase().startsWith("basic ")) return false;
  let decoded: string;
  try {
    decoded = atob(authorization.slice(6).trim());
  } catch {
    return false;
  }
  const presented = decoded.slice(decoded.indexOf(":") + 1);
  return !!env.OPERATOR_TOKEN && !!presented && (await sameSecret(presented, env.OPERATOR_TOKEN));
}
