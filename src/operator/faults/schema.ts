import { z } from "zod";

export const FAULT_KINDS = ["latency", "rateLimit", "serverError", "drop"] as const;
export const MAX_RULES_PER_ORG = 50;

/** POST /_edgeorg/orgs/{slug}/faults. Unknown fields are refused: a typo must not become a silent no-op. */
export const faultRuleInput = z
  .strictObject({
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(["GET", "POST", "PUT", "DELETE", "PATCH", "*"], { message: "Must be GET, POST, PUT, DELETE, PATCH or *" }))
      .default("*"),
    path: z
      .string()
      .max(500)
      .refine((p) => p === "*" || p.startsWith("/"), "Must start with / (or be *)")
      .default("*"),
    fault: z.enum(FAULT_KINDS, { message: `Must be one of ${FAULT_KINDS.join(", ")}` }),
    latencyMs: z.number().int().min(1).max(30_000).optional(),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)], { message: "Must be 500, 502, 503 or 504" }).optional(),
    resetSeconds: z.number().int().min(0).max(60).optional(),
    probability: z.number().gt(0).max(1).default(1),
    count: z.number().int().min(1).max(1_000_000).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.fault === "latency" && rule.latencyMs === undefined) {
      ctx.addIssue({ code: "custom", path: ["latencyMs"], input: undefined, message: "The field cannot be left blank" });
    }
    if (rule.status !== undefined && rule.fault !== "serverError") {
      ctx.addIssue({ code: "custom", path: ["status"], message: "Only a serverError fault takes a status" });
    }
    if (rule.resetSeconds !== undefined && rule.fault !== "rateLimit") {
      ctx.addIssue({ code: "custom", path: ["resetSeconds"], message: "Only a rateLimit fault takes resetSeconds" });
    }
  });

export type FaultRuleInput = z.output<typeof faultRuleInput>;
