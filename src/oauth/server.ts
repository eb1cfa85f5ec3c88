import type { OAuthClient } from "../apps/service";
import type { AppContext } from "../platform/context";
import type { ClientAuthMethod } from "./crypto/client-auth";
import type { KeySetRef, PublicJwk } from "./crypto/jwks";

/**
 * One authorization server as the OAuth engine sees it: the org
 * authorization server and every custom server are values of this type
 * (servers/org.ts, servers/custom.ts), resolved once per request, and the
 * same endpoint handlers (endpoints/) and grants (grants/) serve both. What
 * differs between the two kinds is data or a rule carried here, never a
 * test of the kind in a handler.
 */
export interface AuthorizationServer {
  /** "org", or the custom server's id; also the name of its key set and of its records in the issued-token store. */
  id: string;
  /** Okta's name for it in error descriptions ("Org Authorization Server", or the custom server's name). */
  name: string;
  issuer: string;
  /** The `aud` of its access tokens; the first of the server's audiences. */
  audience: string;
  /** Absolute URL its `/v1/*` endpoints live under: `<issuer>/v1` (custom) or `<org>/oauth2/v1` (org). */
  endpointBase: string;
  /** The org's dynamic client registration endpoint, advertised by every server. */
  registrationEndpoint: string;
  /** Which key set signs its tokens (crypto/keys.ts). */
  keys: KeySetRef;
  /** The grant types it serves, a subset of grants/index.ts, in the order they are listed. */
  grantTypes: readonly string[];
  /**
   * Client authentication methods per endpoint. At /token a client
   * authenticated by another implemented method gets the grant's own refusal
   * (the org server's "must use private_key_jwt" message).
   */
  clientAuth: { token: readonly ClientAuthMethod[]; introspect: readonly ClientAuthMethod[]; revoke: readonly ClientAuthMethod[] };
  /** Client authentication methods client_credentials accepts at /token; undefined = any of clientAuth.token. */
  clientCredentialsAuthMethods?: readonly ClientAuthMethod[];
  /** application_type values allowed to use client_credentials; undefined = any. */
  clientCredentialsApplicationTypes?: readonly string[];
  scopes: ScopeCatalog;
  /**
   * The access policy (REFERENCE-SIGNIN §5.5): the lifetimes and the matched
   * rule for this client, grant type, scopes and user (absent for
   * client_credentials, whose rules ignore people), or the OAuth failure.
   */
  accessPolicy(request: PolicyRequest): PolicyOutcome;
  /** Custom claim definitions (custom servers' claims; none on the org server), applied by tokens/custom-claims.ts. */
  claims: readonly ClaimDefinition[];
  /** Recorded in the issued-token store (tokens/issued.ts) so the management API can list and revoke them. */
  recordsIssuedTokens: boolean;
  /** The published JWKS document of its key set. */
  publishedJwks(): Promise<{ keys: PublicJwk[] }>;
  /** Extra checks on a discovery request (a custom server refuses an unknown `client_id`). */
  checkDiscoveryRequest?(c: AppContext): Promise<void>;
}

/** The scopes a server knows, and how a token request's scopes are checked against them. */
export interface ScopeCatalog {
  /** Scopes given when the request names none; empty = the request must name some. */
  defaults: readonly string[];
  /** The invalid_scope description when the request names none and there are no defaults. */
  noScopeRequested: string;
  isDefined(name: string): boolean;
  /** OpenID Connect scopes, which client_credentials may not request. */
  isOidc(name: string): boolean;
  requiresConsent(name: string): boolean;
  /**
   * How a user grants the scope (§4.6): IMPLICIT (never asked), REQUIRED or
   * FLEXIBLE (asked unless already consented), whether the user may leave it
   * out, and what the consent page shows. The org server asks for nothing:
   * the app's grants stand in.
   */
  consentOf(name: string): ScopeConsent;
  /** Okta's `.self` scopes exist (org server): client_credentials, which has no user, is refused them by name. */
  refusesSelfScopes: boolean;
  /**
   * Scopes granted to the client, when the server grants scopes per client:
   * the app's ACTIVE grants for the server's issuer (org server). The token
   * endpoint reads those with the client row instead (TokenRequest.grantedScopes).
   */
  granted?(client: OAuthClient): Promise<ReadonlySet<string>>;
  /** `scopes_supported` of discovery. */
  published: readonly string[];
}

export interface ScopeConsent {
  consent: "IMPLICIT" | "REQUIRED" | "FLEXIBLE";
  /** The user may leave it out on the consent page. */
  optional: boolean;
  /** What the consent page shows (custom servers' scopes). */
  displayName?: string | null;
  description?: string | null;
}

/** Resolves the server a request is addressed to; throws the error of an unknown one. */
export type ServerResolver = (c: AppContext) => Promise<AuthorizationServer>;

/** An OAuth error as a value: /authorize redirects it, /token answers it with 400 (see failure.ts). */
export interface OAuthFailure {
  ok: false;
  error: string;
  description: string;
}

/** The user an access policy is evaluated for: people conditions name users and groups by id. */
export interface PolicyUser {
  id: string;
  groupIds: ReadonlySet<string>;
}

export interface PolicyRequest {
  client: OAuthClient;
  /** client_credentials, authorization_code (code and hybrid), implicit, password. */
  grantType: string;
  scopes: readonly string[];
  user?: PolicyUser;
}

/** What the access policy grants: lifetimes in seconds, null = unlimited. */
export interface PolicyGrant {
  ok: true;
  /** The matched rule (captured on a refresh token: a refresh keeps it); null on the org server, which has no policies. */
  ruleId: string | null;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number | null;
  /** The idle window: a refresh token unused this long dies. */
  refreshTokenIdleSeconds: number | null;
}

export type PolicyOutcome = PolicyGrant | OAuthFailure;

/** A custom claim as the token minting applies it (a custom server's OAuth2Claim). */
export interface ClaimDefinition {
  id: string;
  name: string;
  /** RESOURCE: access token; IDENTITY: ID token (and /userinfo). */
  claimType: "RESOURCE" | "IDENTITY";
  valueType: "EXPRESSION" | "GROUPS" | "SYSTEM";
  value: string;
  groupFilterType: "STARTS_WITH" | "EQUALS" | "CONTAINS" | "REGEX" | null;
  /** IDENTITY claims: also in a thin ID token. */
  alwaysIncludeInToken: boolean;
  /** Emitted only when one of these is granted; empty = always. */
  scopes: readonly string[];
}
