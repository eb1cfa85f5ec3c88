import type { AppContext } from "../../platform/context";
import { oauthError } from "../../platform/errors";
import { ALL_CLIENT_AUTH_METHODS, authenticateClient } from "../crypto/client-auth";
import { currentNonce, DpopError, isValidNonce, verifyDpopProof } from "../crypto/dpop";
import { missingSecretError } from "../crypto/key-encryption";
import { GRANTS } from "../grants";
import { checkBrowserRequest } from "./browser-request";
import type { AuthorizationServer } from "../server";
import { endpointUrl, NO_STORE, readOAuthForm } from "./form";

/**
 * POST …/v1/token of any authorization server: form parsing, the grant the
 * server serves, client authentication, a browser's rules (browser-request.ts),
 * the DPoP proof of DPoP-bound clients, then the grant's own decision (grants/*.ts).
 *
 * Every implemented client authentication method is accepted here; a grant
 * refuses the ones its server does not take, with Okta's message for it.
 */
export async function tokenEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  const form = await readOAuthForm(c);
  const grantType = form.get("grant_type");
  const supported = server.grantTypes;
  if (!grantType) {
    throw oauthError(400, "invalid_request", `The token request must specify a 'grant_type'. Valid values: [${supported.join(", ")}]`);
  }
  const grant = supported.includes(grantType) ? GRANTS[grantType] : undefined;
  if (!grant) {
    throw oauthError(
      400,
      "unsupported_grant_type",
      `The authorization grant type is not supported by the authorization server. Configured grant types: [${supported.join(", ")}].`,
    );
  }
  const { client, method, grantedScopes } = await authenticateClient(c.req.raw, form, {
    db: c.var.db,
    orgId: c.var.org.id,
    endpointUrl: endpointUrl(c),
    allowed: ALL_CLIENT_AUTH_METHODS,
    // A server that grants scopes per app: its grants come with the client row, one statement for both,
    // and a warm client is kept per isolate (crypto/client-auth.ts CLIENT_TTL_MS).
    grantsFor: server.scopes.granted ? server.issuer : undefined,
    cache: true,
  });
  await checkBrowserRequest(c, form, grantType, client);
  const jkt = client.dpopBoundAccessTokens ? await tokenEndpointProof(c) : undefined;
  const body = await grant.handle({ c, server, form, client, grantedScopes, authMethod: method, jkt });
  return c.json(body, 200, NO_STORE);
}

/**
 * DPoP at the token endpoint (§6.6): a proof is required, and it must carry
 * a current server nonce; without one the client gets 400 use_dpop_nonce and
 * the nonce in DPoP-Nonce. Clients that are not DPoP-bound never get here:
 * their DPoP header is ignored and they get Bearer tokens.
 */
async function tokenEndpointProof(c: AppContext): Promise<string> {
  const secret = c.env.KEY_ENCRYPTION_SECRET;
  if (!secret) throw missingSecretError();
  const orgId = c.var.org.id;
  try {
    const { jkt } = await verifyDpopProof({
      proof: c.req.header("dpop"),
      method: "POST",
      url: endpointUrl(c),
      orgId,
      db: c.var.db,
      nonceValid: (nonce) => isValidNonce(secret, orgId, nonce),
    });
    return jkt;
  } catch (error) {
    if (!(error instanceof DpopError)) throw error;
    const headers: Record<string, string> = {};
    if (error.error === "use_dpop_nonce") headers["DPoP-Nonce"] = await currentNonce(secret, orgId);
    throw oauthError(400, error.error, error.description, headers);
  }
}
