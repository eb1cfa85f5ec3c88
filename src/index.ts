import { drizzle } from "drizzle-orm/d1";
import { app } from "./app";
import * as schema from "./db/schema";
import type { Env } from "./env";
import { splitOrgPrefix } from "./orgs/route";
import { deleteExpiredOrgs } from "./orgs/service";

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    return app.fetch(splitOrgPrefix(request), env, ctx);
  },

  /** Cron Trigger: orgs past their expiresAt are deleted with every row they own. */
  async scheduled(controller: ScheduledController, env: Env) {
    const deleted = await deleteExpiredOrgs(drizzle(env.DB, { schema }), new Date(controller.scheduledTime));
    if (deleted.length) console.log(`deleted expired orgs: ${deleted.join(", ")}`);
  },
} satisfies ExportedHandler<Env>;
