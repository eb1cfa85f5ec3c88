/**
 * The two ways /authorize refuses (REFERENCE-SIGNIN §4.2): before the client
 * and its redirect URI are known good, an error page (nothing may be sent to
 * an unverified URI); after, an OAuth error delivered to the redirect URI in
 * the request's response mode.
 */
export class AuthorizePageError extends Error {}

export class AuthorizeError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}
