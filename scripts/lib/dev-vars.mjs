// .dev.vars, read the way wrangler reads it. Wrangler parses the file with
// dotenv; Node's util.parseEnv follows the same rules (inline `# comments`,
// quotes, `export`), so a value the scripts send is the value the worker got.
// A hand-written parser once kept `x # note` where wrangler read `x`, and
// every seed request was refused.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { ROOT } from "./worker.mjs";

/** EDGEORG_DEV_VARS moves it (the Node-side tests use a temporary file). */
export const DEV_VARS = process.env.EDGEORG_DEV_VARS || join(ROOT, ".dev.vars");
export const DEV_VARS_EXAMPLE = join(ROOT, ".dev.vars.example");

/** The secrets the worker reads (uncommented KEY= lines of .dev.vars.example). */
export function wantedSecrets() {
  return Object.keys(readEnvFile(DEV_VARS_EXAMPLE));
}

/** The variables of a dotenv file, exactly as wrangler sees them ({} when the file is absent). */
export function readEnvFile(path) {
  if (!existsSync(path)) return {};
  if (typeof parseEnv !== "function") {
    throw new Error(`reading ${path} needs Node ≥ 21.7 (this is ${process.version}); run the script through npm, which uses the node devDependency`);
  }
  return parseEnv(readFileSync(path, "utf8"));
}

const secret = () => randomBytes(24).toString("base64url");

/**
 * Makes sure .dev.vars holds every secret: a missing file is written from
 * .dev.vars.example with random values; a secret missing from an existing
 * file is appended with a random value (the rest of the file is kept as it
 * is). Returns { vars, notes } — notes say what was written and what looks
 * wrong, for the start-up output.
 */
export function ensureDevVars(path = DEV_VARS) {
  const wanted = wantedSecrets();
  const notes = [];
  if (!existsSync(path)) {
    const text = readFileSync(DEV_VARS_EXAMPLE, "utf8")
      .split(/\r?\n/)
      .map((line) => line.replace(/^(\s*[A-Za-z_][A-Za-z0-9_]*\s*=).*$/, (_, key) => `${key}${secret()}`))
      .join("\n")
      .replace(/^# Copy to .dev.vars.*\n/, "# Written by npm start with random values; edit freely, it is used as it is from now on.\n");
    writeFileSync(path, text, { mode: 0o600 });
    notes.push(`Wrote .dev.vars with random values for ${wanted.join(", ")}.`);
  } else {
    const present = readEnvFile(path);
    const missing = wanted.filter((key) => !present[key]);
    if (missing.length) {
      const text = readFileSync(path, "utf8");
      const lines = missing.map((key) => `${key}=${secret()}`).join("\n");
      appendFileSync(path, `${text.endsWith("\n") || !text ? "" : "\n"}# Added by npm start (was missing)\n${lines}\n`);
      notes.push(`.dev.vars had no ${missing.join(", ")}; added random values.`);
    }
    const placeholders = wanted.filter((key) => present[key] === "change-me");
    if (placeholders.length) notes.push(`! .dev.vars still has the example's 'change-me' for ${placeholders.join(", ")}: anyone who reads the README can use it.`);
  }
  return { vars: readEnvFile(path), notes };
}
