import { isUserAssignedToApp } from "../../apps/assignments";
import { oauthError } from "../../platform/errors";
import { checkPassword, recordSignIn } from "../../signin/authn/flows";
import { iterationsFrom } from "../../users/password";
import { orThrow } from "../failure";
import type { Grant } from "./grant";
import { requestedScopes, requireGrantType } from "./grant";
import { decideUserPolicy } from "./user-grant";
import { decideUserScopes, withoutConsentPrompt } from "./user-scopes";
import { issueUserTokens } from "./user-tokens";

/**
 * The resource owner password grant (REFERENCE-SIGNIN §5.4), both server
 * kinds: the app must have the grant; the password is checked as /authn
 * checks it (same lockout count); the user must be assigned to the app; no
 * consent can be asked, so a scope needing it is refused; the access policy
 * is evaluated for the user; no session is created. Unknown user, wrong
 * password and a user who may not sign in (locked, suspended…) look the same.
 */
export const INVALID_CREDENTIALS = "The credentials provided were invalid.";

export const password: Grant = {
  grantType: "password",
  async handle(request) {
    const { c, server, client } = request;
    requireGrantType(request, "password");
    const username = request.form.get("username");
    const secret = request.form.get("password");
    if (!username || !secret) {
      throw oauthError(400, "invalid_request", "The 'username' and 'password' parameters are required for the password grant type.");
    }
    // Scopes are refused before the password is checked: a bad request costs no lockout attempt.
    const scopes = orThrow(withoutConsentPrompt(orThrow(await decideUserScopes(server, client, requestedScopes(request))), client.consentMethod));

    const org = c.var.org;
    const checked = await checkPassword(c.var.db, org, username, secret, iterationsFrom(c.env.PASSWORD_HASH_ITERATIONS));
    if (!checked) throw oauthError(400, "invalid_grant", INVALID_CREDENTIALS);
    if (checked.status === "PASSWORD_EXPIRED") throw oauthError(400, "invalid_grant", "Password has expired.");
    if (checked.status !== "ACTIVE") throw oauthError(400, "invalid_grant", INVALID_CREDENTIALS);
    if (!(await isUserAssignedToApp(c.var.db, org.id, client.appId, checked.id))) {
      throw oauthError(400, "access_denied", "User is not assigned to the client application.");
    }
    const grant = orThrow(await decideUserPolicy(c, server, client, checked, scopes, "password"));
    const user = await recordSignIn(c.var.db, checked);
    const issued = orThrow(
      await issueUserTokens({
        c,
        server,
        client,
        user,
        scopes: grant.scopes,
        policy: grant.policy,
        authTime: Math.floor(Date.now() / 1000),
        amr: ["pwd"],
        jkt: request.jkt,
        groups: grant.groups,
      }),
    );
    return issued.response;
  },
};
