import type { UserRecord } from "../../users/record";

/**
 * The standard OpenID Connect claims about a user, by granted scope
 * (REFERENCE-SIGNIN §6.1), from the Okta profile (⚠ mapping): the ID token
 * and /userinfo both read them here. Attributes the profile lacks are left
 * out rather than sent as null.
 *
 * A thin ID token (one issued beside an access token in the front channel)
 * keeps only `name`, `preferred_username` and `email`; the rest is for
 * /userinfo.
 */
const THIN_CLAIMS = new Set(["name", "preferred_username", "email"]);

export function scopeClaims(user: UserRecord, scopes: readonly string[], options: { thin?: boolean } = {}): Record<string, unknown> {
  const p = user.profile;
  const text = (name: string) => (typeof p[name] === "string" && p[name] !== "" ? (p[name] as string) : undefined);
  const out: Record<string, unknown> = {};
  const put = (claim: string, value: unknown) => {
    if (value !== undefined && (!options.thin || THIN_CLAIMS.has(claim))) out[claim] = value;
  };
  if (scopes.includes("profile")) {
    const first = text("firstName");
    const last = text("lastName");
    put("name", text("displayName") ?? ([first, last].filter(Boolean).join(" ") || undefined));
    put("preferred_username", text("login"));
    put("nickname", text("nickName"));
    put("given_name", first);
    put("middle_name", text("middleName"));
    put("family_name", last);
    put("profile", text("profileUrl"));
    put("zoneinfo", text("timezone"));
    put("locale", text("locale")?.replace("_", "-"));
    put("updated_at", Math.floor(Date.parse(user.lastUpdated) / 1000));
  }
  if (scopes.includes("email")) {
    put("email", text("email"));
    put("email_verified", user.status === "ACTIVE");
  }
  if (scopes.includes("address")) {
    const address: Record<string, string> = {};
    for (const [claim, attribute] of ADDRESS) {
      const value = text(attribute);
      if (value !== undefined) address[claim] = value;
    }
    if (Object.keys(address).length) put("address", address);
  }
  if (scopes.includes("phone")) put("phone_number", text("mobilePhone"));
  return out;
}

const ADDRESS = [
  ["street_address", "streetAddress"],
  ["locality", "city"],
  ["region", "state"],
  ["postal_code", "zipCode"],
  ["country", "countryCode"],
] as const;
