import { findOAuthClient } from "../../apps/service";
import type { AppContext } from "../../platform/context";
import { ApiError, oauthError } from "../../platform/errors";
import { findUser } from "../../users/record";
import { DpopError, verifyDpopProof } from "../crypto/dpop";
import type { AuthorizationServer } from "../server";
import { tokenStillValid } from "../tokens/client-status";
import { identityClaims } from "../tokens/identity-claims";
import { scopeClaims } from "../tokens/user-claims";
import { endpointUrl, NO_STORE, verifyIssued } from "./form";

/** The claim scopes /userinfo answers for; a token needs one of them (REFERENCE-SIGNIN §6.3). */
const CLAIM_SCOPES = ["profile", "email", "address", "phone"];

/**
 * GET/POST …/v1/userinfo (REFERENCE-SIGNIN §6.3, OIDC Core §5.3): the user
 * behind an access token of this same server, as `sub` (the user id) and the
 * claims of the granted scopes — exactly the fat ID token's
 * (tokens/identity-claims.ts: the scope claims plus the server's IDENTITY
 * claims).
 * Refusals carry no body, only the challenge, as Okta's do:
 * 401 invalid_token for any token it cannot use (garbage, expired, revoked,
 * another server's, no user behind it), 403 insufficient_scope without
 * `openid` (`scope="openid"`) or without any claim scope.
 */
export async function userinfoEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  if (new URL(c.req.url).searchParams.has("access_token")) {
    throw oauthError(400, "invalid_request", "The access token cannot be presented in a query string.");
  }
  const { scheme, token } = presented(c);
  const invalid = () => refusal(401, scheme, 'error="invalid_token", error_description="The access token is invalid"');
  if (!token) throw invalid();

  const claims = await verifyIssued(c, server, token);
  if (!claims || !(await tokenStillValid(c.var.db, c.var.org.id, claims))) throw invalid();
  // A DPoP-bound token only with its proof; a Bearer token only as Bearer.
  if (Boolean(claims.cnf) !== (scheme === "DPoP")) throw invalid();
  if (claims.cnf) await checkProof(c, token, claims.cnf.jkt);

  if (!claims.scp.includes("openid")) {
    throw refusal(403, scheme, 'error="insufficient_scope", error_description="The access token must provide access to the openid scope", scope="openid"');
  }
  if (!claims.scp.some((s) => CLAIM_SCOPES.includes(s))) {
    throw refusal(
      403,
      scheme,
      'error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone"',
    );
  }
  const user = claims.uid ? await findUser(c.var.db, c.var.org.id, claims.uid) : null;
  if (!user || user.status === "DEPROVISIONED" || user.status === "SUSPENDED") throw invalid();

  const client = await findOAuthClient(c.var.db, c.var.org.id, claims.cid);
  if (!client) throw invalid();
  const identity = await identityClaims({ c, server, client, user, scopes: claims.scp });
  // A groups claim over Okta's limit refused the token at issue; here the standard claims still answer.
  const found = identity.ok ? identity.claims : scopeClaims(user, claims.scp);
  return c.json({ ...found, sub: user.id }, 200, NO_STORE);
}

/** The token and its scheme from the Authorization header (Bearer or DPoP). */
function presented(c: AppContext): { scheme: "Bearer" | "DPoP"; token: string } {
  const header = c.req.header("authorization") ?? "";
  const match = /^(Bearer|DPoP)\s+(\S+)\s*$/i.exec(header);
  if (!match) return { scheme: "Bearer", token: "" };
  return { scheme: match[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer", token: match[2]! };
}

function refusal(status: 401 | 403, scheme: "Bearer" | "DPoP", challenge: string): ApiError {
  return new ApiError(status, null, { "WWW-Authenticate": `${scheme} ${challenge}` });
}

async function checkProof(c: AppContext, token: string, jkt: string): Promise<void> {
  try {
    const proof = await verifyDpopProof({
      proof: c.req.header("dpop"),
      method: c.req.method,
      url: endpointUrl(c),
      orgId: c.var.org.id,
      db: c.var.db,
      accessToken: token,
    });
    if (proof.jkt !== jkt) throw new DpopError("invalid_dpop_proof", "The access_token is not bound to the provided DPoP proof.");
  } catch (error) {
    if (!(error instanceof DpopError)) throw error;
    throw refusal(401, "DPoP", `error="${error.error}", error_description="${error.description}"`);
  }
}
