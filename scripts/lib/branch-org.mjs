// What `npm run org` needs that is not I/O: a branch name as an org slug,
// and a TTL like "7d" in seconds. Kept apart so the tests can call them.
import { createHash } from "node:crypto";

const MAX_SLUG = 40;

/**
 * A branch name as an org slug (3–40 of [a-z0-9-], never `default`):
 * `feature/Foo_bar` → `feature-foo-bar`. A name cut to fit, too short, or
 * `default` gets a short hash of the whole branch name, so two long branches
 * with a common start still get two orgs.
 */
export function slugifyBranch(branch) {
  const plain = branch
    .replace(/^refs\/heads\//, "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (plain.length >= 3 && plain.length <= MAX_SLUG && plain !== "default") return plain;
  const hash = createHash("sha256").update(branch).digest("hex").slice(0, 6);
  const head = plain.slice(0, MAX_SLUG - hash.length - 1).replace(/-+$/, "");
  return head ? `${head}-${hash}` : `branch-${hash}`;
}

const UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

/** "7d", "12h", "30m", "90s", "2w" or plain seconds → seconds; undefined when it is none of those. */
export function parseTtl(text) {
  const match = /^(\d+)\s*([smhdw]?)$/.exec(String(text).trim());
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2] || "s"];
}
