import type { AppContext } from "../platform/context";
import { ApiError, Errors } from "../platform/errors";
import { newErrorId } from "../platform/ids";
import { DpopError, verifyDpopProof } from "../oauth/crypto/dpop";
import { ORG_KEY_SET } from "../oauth/crypto/jwks";
import { tokenStillValid } from "../oauth/tokens/client-status";
import { unverifiedClaims, verifyAccessToken, type TokenFailure } from "../oauth/tokens/access-token";
import type { Actor } from "./actor";

const DESCRIPTIONS: Record<TokenFailure | "revoked" | "unbound", string> = {
  malformed: "The token is invalid.",
  algorithm: "The token is invalid.",
  kid: "The token is invalid.",
  signature: "The token is invalid.",
  not_yet_valid: "The token is invalid.",
  expired: "The token has expired.",
  issuer: "The access token provided has an invalid issuer.",
  audience: "The access token provided is not intended for Okta.",
  revoked: "The access token has been revoked.",
  unbound: "The presented access_token is not DPoP bound.",
};

/**
 * Verifies an org authorization server access token presented to a
 * management route (REFERENCE §6.5, §6.6): issuer = audience = the org URL,
 * so another org's token is refused; RS256 with a kid this org published;
 * not revoked; DPoP-bound tokens only with the DPoP scheme and a proof.
 * Failures are 401 E0000011 with the `WWW-Authenticate` challenge; DPoP
 * proof problems are 400 with the OAuth error in the challenge and in the
 * body's errorCode (Okta's style for OAuth errors on Okta-style bodies).
 *
 * Steady state costs no KV or D1 read: keys, revocations and client
 * statuses are kept per isolate (oauth/crypto/jwks.ts, oauth/tokens/revocations.ts, client-status.ts). A DPoP request writes its
 * proof's jti to D1 (replay must be refused across isolates).
 */
export async function verifyAccessTokenRequest(
  c: AppContext,
  scheme: "Bearer" | "DPoP",
  token: string,
  requiredScope: string,
): Promise<Actor> {
  const org = c.var.org;
  const refuse = (reason: keyof typeof DESCRIPTIONS, challengeScheme: "Bearer" | "DPoP" = scheme) =>
    Errors.invalidToken({
      "WWW-Authenticate": bearerChallenge(c, challengeScheme, requiredScope, "invalid_token", DESCRIPTIONS[reason]),
    });

  const result = await verifyAccessToken(token, {
    issuer: org.url,
    audience: org.url,
    keys: { orgId: org.id, keySet: ORG_KEY_SET },
    db: c.var.db,
    kv: c.env.JWKS_CACHE,
  });
  if (!result.ok) throw refuse(result.reason === "issuer" && isCustomServerToken(org.url, token) ? "audience" : result.reason);
  const claims = result.claims;

  if (claims.cnf && scheme === "Bearer") {
    throw dpopFailure(c, requiredScope, "invalid_request", "The resource request must use the DPoP authentication scheme when using a DPoP bound token.");
  }
  if (!claims.cnf && scheme === "DPoP") throw refuse("unbound");
  // Revoked, or its client deactivated or deleted (oauth/client-status.ts): both say "revoked".
  if (!(await tokenStillValid(c.var.db, org.id, claims))) throw refuse("revoked");

  if (claims.cnf) {
    const proof = c.req.header("dpop");
    if (!proof) throw dpopFailure(c, requiredScope, "invalid_request", "The resource request requires a DPoP proof.");
    try {
      const { jkt } = await verifyDpopProof({
        proof,
        method: c.req.method,
        url: org.url + new URL(c.req.url).pathname,
        orgId: org.id,
        db: c.var.db,
        accessToken: token,
      });
      if (jkt !== claims.cnf.jkt) {
        throw new DpopError("invalid_dpop_proof", "The access_token is not bound to the provided DPoP proof.");
      }
    } catch (error) {
      if (error instanceof DpopError) throw dpopFailure(c, requiredScope, error.error, error.description);
      throw error;
    }
  }

  const through = { clientId: claims.cid, scopes: claims.scp, tokenId: claims.jti };
  if (claims.uid) return { kind: "user", via: "accessToken", userId: claims.uid, ...through };
  return { kind: "client", via: "accessToken", ...through };
}

/**
 * A token of one of this org's custom servers (issuer `<org>/oauth2/<id>`):
 * Okta says it is not intended for Okta (REFERENCE §5.11, REFERENCE-SIGNIN
 * §6.2) rather than that its issuer is wrong. Only the unverified payload
 * is read, to choose the description of a refusal.
 */
function isCustomServerToken(orgUrl: string, token: string): boolean {
  const iss = unverifiedClaims(token)?.iss;
  return typeof iss === "string" && iss.startsWith(`${orgUrl}/oauth2/`) && iss.length > orgUrl.length + "/oauth2/".length;
}

function dpopFailure(c: AppContext, scope: string, error: string, description: string): ApiError {
  return new ApiError(
    400,
    { errorCode: error, errorSummary: description, errorLink: error, errorId: newErrorId(), errorCauses: [] },
    { "WWW-Authenticate": bearerChallenge(c, "DPoP", scope, error, description) },
  );
}

/** The WWW-Authenticate challenge of REFERENCE §6.5. */
export function bearerChallenge(
  c: AppContext,
  scheme: "Bearer" | "DPoP",
  scope: string,
  error: string,
  description: string,
): string {
  const org = c.var.org.url;
  const algs = scheme === "DPoP" ? ' algs="RS256 RS384 RS512 ES256 ES384 ES512",' : "";
  return (
    `${scheme}${algs} authorization_uri="${org}/oauth2/v1/authorize", realm="${org}", scope="${scope}", ` +
    `error="${error}", error_description="${description}", resource="${new URL(c.req.url).pathname}"`
  );
}
