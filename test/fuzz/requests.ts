import fc from "fast-check";

/**
 * Arbitrary requests for the fuzz suite: for a route of the app, a method
 * (mostly the route's own), its path with each parameter a known id or junk,
 * a query string, headers and a body — JSON of wrong types, deep nesting,
 * huge and unicode strings, NUL — or not JSON at all.
 */
export interface Route {
  method: string;
  path: string;
}

export interface FuzzRequest {
  method: string;
  /** Path and query, relative to the org URL. */
  target: string;
  auth: string;
  headers: Record<string, string>;
  /** Request body text, or undefined for none. Markers `@DEEPn@` stand for n-deep JSON (kept short for the reproducer). */
  body?: string;
}

/** Credentials a request may carry, by name (resolved when it is sent). */
export const AUTH_CHOICES = ["ssws", "ssws", "ssws", "bearer", "bearer", "narrowBearer", "none", "garbage", "operator"] as const;
export type AuthChoice = (typeof AUTH_CHOICES)[number];

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

/** Query parameter names any list or action reads, and some nobody does. */
const PARAM_NAMES = [
  "q", "search", "filter", "limit", "after", "expand", "sortBy", "sortOrder", "fields", "activate", "provider",
  "nextLogin", "sendEmail", "tempPassword", "removeUsers", "client_id", "strict", "junk", "", "limit[]",
];

const SPECIAL_STRINGS = [
  "", " ", "me", "default", "null", "true", "-1", "0", "1e309", "NaN", "%00", "\u0000", "..", "../..", "a/b",
  "\u202e", "\u200b", "\ufeff", "\ud800", "💥", "é", "' OR 1=1 --", '"', "\\", "${x}", "<script>", "00u00000000000000000",
  'profile.login sw "a"', 'status eq "ACTIVE"', 'id eq "x" or id eq "y"', "(((((", "profile.x eq 1", "lastUpdated gt \"2020-01-01T00:00:00.000Z\"",
];

/** Strings of every kind: known ones, ASCII, full Unicode (lone surrogates included), long ones. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.nat({ max: 70_000 }).map((n) => "x".repeat(n)) },
);

/** Encodes what a URL can carry (lone surrogates made well-formed), or passes raw junk through. */
function encode(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd"));
}

const segmentValue = (known: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: known.length ? 6 : 0, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant("x") },
    { weight: 3, arbitrary: anyString.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom("%00", "%ZZ", "%", "%2F", "%2e%2e", "a%0Ab") },
  );

const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: anyString }),
      anyString,
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([name, value, raw]) => (raw ? `${encode(name)}=${value.replace(/[#&\s]/g, "")}` : `${encode(name)}=${encode(value)}`)))
  .chain((parts) =>
    fc.oneof(
      { weight: 20, arbitrary: fc.constant(parts) },
      // Repeated parameters, and now and then an oversized query.
      { weight: 1, arbitrary: fc.nat({ max: 3000 }).map((n) => [...parts, ...Array.from({ length: n }, () => "limit=1")]) },
    ),
  )
  .map((parts) => (parts.length ? `?${parts.join("&")}` : ""));

/** A JSON value of any shape; objects use Okta's field names half the time. */
const FIELD_NAMES = [
  "profile", "credentials", "password", "value", "hash", "recovery_question", "question", "answer", "provider", "type", "id",
  "groupIds", "login", "email", "firstName", "lastName", "name", "description", "label", "signOnMode", "settings",
  "oauthClient", "grant_types", "response_types", "redirect_uris", "client_name", "token_endpoint_auth_method",
  "jwks", "keys", "scopeId", "issuer", "audiences", "conditions", "actions", "people", "groups", "include", "scopes",
  "status", "priority", "claimType", "valueType", "alwaysIncludeInToken", "consent", "metadataPublish", "default",
  "expression", "assignUserToGroups", "groupIds", "userId", "ownerId", "slug", "ttlSeconds", "old_password", "new_password",
  "tokenLifetimeMinutes", "grantTypes", "__proto__", "constructor",
];

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  anyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("@DEEP64@", "@DEEP1001@", "@DEEP10000@"),
);

const jsonish: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), anyString), tie("value"), { maxKeys: 5 }),
  ),
})).value;

/** A plausible body: an object with Okta's top-level fields, profile-like contents, any values. */
const plausibleBody: fc.Arbitrary<unknown> = fc.dictionary(fc.constantFrom(...FIELD_NAMES), jsonish, { minKeys: 1, maxKeys: 5 });

export const bodyText: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: plausibleBody.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: jsonish.map((v) => JSON.stringify(v) ?? "null") },
  { weight: 1, arbitrary: fc.constantFrom("{", "[1,", "not json", "\u0000", '{"a":1}garbage', "grant_type=client_credentials&scope=x", "") },
  { weight: 1, arbitrary: anyString },
);

const CONTENT_TYPES = ["application/json", "application/json", "application/json", "application/json; charset=UTF-8",
  "application/x-www-form-urlencoded", "text/plain", "application/json; okta-response=omitCredentials", ""];

const headerValue = fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "").trim());

const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    "If-Match": fc.oneof(fc.constantFrom("*", 'W/"x"', "bad"), headerValue),
    Accept: fc.constantFrom("application/json", "text/html", "*/*", "application/xml"),
    DPoP: headerValue,
  },
  { requiredKeys: [] },
);

export function requestFor(route: Route, known: Record<string, string[]>): fc.Arbitrary<FuzzRequest & { authChoice: AuthChoice }> {
  const names = route.path.split("/").filter((s) => s.startsWith(":")).map((s) => s.slice(1).replace(/\{.*$/, ""));
  const params = fc.tuple(...names.map((name) => segmentValue(known[name] ?? [])));
  return fc
    .record({
      method: fc.oneof({ weight: 6, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      values: params,
      suffix: fc.oneof({ weight: 12, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom("/", "/bogus", "//", "/lifecycle/bogus", "/%00") }),
      query: queryString,
      authChoice: fc.constantFrom(...AUTH_CHOICES),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      headers: extraHeaders,
      body: bodyText,
    })
    .map(({ method, values, suffix, query, authChoice, contentType, headers, body }) => {
      let i = 0;
      const path = route.path
        .split("/")
        .map((s) => (s.startsWith(":") ? values[i++]! : s))
        .join("/");
      const all: Record<string, string> = { ...headers };
      if (contentType) all["Content-Type"] = contentType;
      const hasBody = body !== undefined && method !== "GET" && method !== "HEAD";
      return { method, target: path + suffix + query, authChoice, auth: authChoice, headers: all, body: hasBody ? body : undefined };
    });
}

/** The body as sent: the deep-nesting markers expanded. */
export function expandBody(body: string): string {
  return body.replace(/"@DEEP(\d+)@"/g, (_, n) => '{"a":'.repeat(Number(n)) + "1" + "}".repeat(Number(n)));
}
