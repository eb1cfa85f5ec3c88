// Flags and failures of the npm scripts: util.parseArgs with a --help, and
// one way to end on an expected condition (a message saying what to do, no
// stack trace). A stack trace is kept for what nobody expected.
import { parseArgs } from "node:util";

/** An expected condition: its message is all the user sees. */
export class UsageError extends Error {
  constructor(message, { exitCode = 1 } = {}) {
    super(message);
    this.exitCode = exitCode;
  }
}

/**
 * Parses process.argv with util.parseArgs. `options` are parseArgs options
 * plus a `description` each, used by --help. Unknown flags are refused with
 * the usage text. With `passThrough`, what follows a second `--` is returned
 * as `rest` untouched.
 */
export function parseFlags({ usage, options, args = process.argv.slice(2), passThrough = false, positionals = false }) {
  const all = { ...options, help: { type: "boolean", short: "h", description: "show this help" } };
  const spec = Object.fromEntries(Object.entries(all).map(([name, { description, ...o }]) => [name, o]));
  let own = args;
  let rest = [];
  if (passThrough) {
    const cut = args.indexOf("--");
    if (cut >= 0) [own, rest] = [args.slice(0, cut), args.slice(cut + 1)];
  }
  const help = () =>
    [
      usage,
      "",
      ...Object.entries(all).map(([name, o]) => {
        const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` <${o.valueName ?? "value"}>` : ""}`;
        return `  ${flag.padEnd(30)} ${o.description ?? ""}${o.default !== undefined && o.type === "string" ? ` (default ${o.default})` : ""}`;
      }),
    ].join("\n");
  let parsed;
  try {
    parsed = parseArgs({ args: own, options: spec, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new UsageError(`${error.message}\n\n${help()}`, { exitCode: 2 });
  }
  if (parsed.values.help) {
    console.log(help());
    process.exit(0);
  }
  return { values: parsed.values, positionals: parsed.positionals, rest };
}

/** Runs main(); a UsageError prints its message only, anything else its stack. */
export function run(main) {
  main().catch((error) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(error.exitCode);
    }
    console.error(error.stack ?? String(error));
    process.exit(1);
  });
}

/** fetch, with a refused or unreachable server turned into a message naming the URL and what to do. */
export async function reach(url, init, hint) {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = error.cause?.code ?? error.cause?.message ?? error.message;
    throw new UsageError(`Nothing answers at ${new URL(url).origin} (${code}).${hint ? ` ${hint}` : ""}`);
  }
}
