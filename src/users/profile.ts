/**
 * The default user profile schema (REFERENCE §1.3). Every problem found is a
 * cause "<field>: <message>"; all are reported at once (E0000001).
 * Attributes outside the default schema are kept as given (edgeorg has no
 * profile-schema editor; Okta would require them to exist first), when their
 * names and values are ones Okta's schema allows (platform/profile-values.ts).
 */

import { profileValueCauses } from "../platform/profile-values";

interface Rule {
  required?: boolean;
  min?: number;
  max?: number;
  email?: boolean;
}

const RULES: Record<string, Rule> = {
  login: { required: true, min: 5, max: 100 },
  email: { required: true, min: 5, max: 100, email: true },
  firstName: { required: true, min: 1, max: 50 },
  lastName: { required: true, min: 1, max: 50 },
  secondEmail: { max: 100, email: true },
  mobilePhone: { max: 100 },
  primaryPhone: { max: 100 },
  city: { max: 128 },
  state: { max: 128 },
  countryCode: { max: 2 },
  zipCode: { max: 50 },
  streetAddress: { max: 1024 },
  postalAddress: { max: 4096 },
};

const STRING_ATTRIBUTES = [
  "middleName", "honorificPrefix", "honorificSuffix", "title", "displayName", "nickName", "profileUrl",
  "preferredLanguage", "locale", "timezone", "userType", "employeeNumber", "costCenter", "organization",
  "division", "department", "managerId", "manager",
];

// Deliberately simple, like Okta's: something@something.something, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Characters a login or email address never holds, because they are invisible
 * or not text: controls (C0, DEL, C1, NUL), format characters (zero-width
 * space/joiners, bidi marks, overrides and isolates, BOM, soft hyphen), lone
 * surrogates, private use, and the Hangul fillers that render as blanks. With
 * any of them "a@example.com" could have a twin that looks the same (issue 14).
 * Invisible combining marks (variation selectors, U+034F) need no refusal: the
 * login's unique form drops every mark (normalizeLogin), so they cannot make a twin.
 * Other profile attributes keep such characters (names legitimately use ZWJ/ZWNJ).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\u115F\u1160\u3164\uFFA0]/u;

const isEmail = (value: string) => EMAIL.test(value) && !INVISIBLE.test(value);

export const BLANK = "The field cannot be left blank";

const TYPED_ATTRIBUTES = new Set([...Object.keys(RULES), ...STRING_ATTRIBUTES]);

/**
 * Problems with a complete profile (create, PUT, or POST after merging):
 * every writer of a user's profile passes here, so no value Okta would
 * refuse is ever stored.
 */
export function profileCauses(profile: Record<string, unknown>): string[] {
  const causes: string[] = [];
  for (const [field, rule] of Object.entries(RULES)) {
    const value = profile[field];
    if (value === undefined || value === null || value === "") {
      if (rule.required) causes.push(`${field}: ${BLANK}`);
      continue;
    }
    if (typeof value !== "string") {
      causes.push(`${field}: The value must be a string`);
      continue;
    }
    const length = Array.from(value).length;
    if (rule.min !== undefined && length < rule.min) {
      causes.push(`${field}: The field must be at least ${rule.min} characters long`);
    } else if (rule.max !== undefined && length > rule.max) {
      causes.push(`${field}: The field cannot be longer than ${rule.max} characters`);
    }
    if (field === "login" && !isEmail(value)) {
      causes.push("login: Username must be in the form of an email address");
    }
    if (rule.email && !isEmail(value)) causes.push(`${field}: Does not match required pattern`);
  }
  for (const field of STRING_ATTRIBUTES) {
    const value = profile[field];
    if (value !== undefined && value !== null && typeof value !== "string") {
      causes.push(`${field}: The value must be a string`);
    }
  }
  causes.push(...profileValueCauses(profile, TYPED_ATTRIBUTES));
  return causes;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
