import type { AppContext } from "../../platform/context";
import { ALL } from "./permissions";
import type { Permission } from "./permissions";
import type { Targets } from "./targets";

/**
 * What a list handler shows: every row (null), or only the rows inside the
 * actor's role targets for the permission (REFERENCE-SIGNIN §7.1 step 4:
 * lists are filtered, 200 and maybe empty, never refused for targets).
 * Requests that passed without a role check (.self) are limited elsewhere.
 */
export function listTargets(c: AppContext, permission: Permission): Targets | null {
  const reach = c.var.permissions?.reach.get(permission);
  if (reach === undefined || reach === ALL || typeof reach === "string") return null;
  return reach;
}
