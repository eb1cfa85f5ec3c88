import { isUserAssignedToApp } from "../../apps/assignments";
import type { AppContext } from "../../platform/context";
import { readForm } from "../../platform/body";
import { ConsentPage, ErrorPage } from "../../signin/pages/components";
import { CsrfRefused, readCheckedForm } from "../../signin/pages/csrf";
import { signInUrl } from "../../signin/pages/redirects";
import { pageContext, renderPage } from "../../signin/pages/render";
import { decideUserGrant } from "../grants/user-grant";
import type { AuthorizationServer } from "../server";
import { authenticateUser } from "./authenticate";
import { decideConsent, type ConsentAnswer, type ConsentDecision } from "./consent";
import { deliver, deliverError } from "./deliver";
import { AuthorizeError, AuthorizePageError } from "./errors";
import { issueAuthorizeResponse } from "./issue";
import { checkClientAndRedirect, checkParameters, targetOf, type AuthorizeRequest, type Target } from "./request";

/**
 * GET …/v1/authorize (query) and POST …/v1/authorize (form) of every
 * authorization server (REFERENCE-SIGNIN §4): a chain of small checks in the
 * order of §4.2 — client and redirect URI (pages), parameters, the user
 * (session, sessionToken or the sign-in page), assignment, scopes and
 * policy, consent — then the code and/or tokens in the response mode.
 */
export async function authorizeEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  const params = c.req.method === "POST" ? await readForm(c.req.raw) : new URL(c.req.url).searchParams;
  return runAuthorize(c, server, params);
}

/** Fields of the consent form that are not the authorize request's own. */
const CONSENT_FIELDS = new Set(["_csrf", "consent", "optional_scope"]);

/**
 * POST …/v1/authorize/consent: the consent page's answer. The form carries
 * the authorize request, which is checked again from the start (the user
 * still by their session), with the answer standing in for the question.
 */
export async function consentEndpoint(c: AppContext, server: AuthorizationServer): Promise<Response> {
  let form: URLSearchParams;
  try {
    form = await readCheckedForm(c);
  } catch (error) {
    if (!(error instanceof CsrfRefused)) throw error;
    const message = "The form could not be verified. Go back, reload the page and try again.";
    return renderPage(c, <ErrorPage page={pageContext(c)} title="Request refused" message={message} />, 403);
  }
  const answer: ConsentAnswer = { allow: form.get("consent") === "allow", optionalKept: new Set(form.getAll("optional_scope")) };
  const params = new URLSearchParams([...form].filter(([name]) => !CONSENT_FIELDS.has(name)));
  return runAuthorize(c, server, params, answer);
}

async function runAuthorize(c: AppContext, server: AuthorizationServer, params: URLSearchParams, answer?: ConsentAnswer): Promise<Response> {
  let target: Target | null = null;
  try {
    const { client, redirectUri } = await checkClientAndRedirect(c.var.db, c.var.org.id, params);
    target = targetOf(params, redirectUri);
    const request = checkParameters(server, client, params, target);

    const auth = await authenticateUser(c, request);
    if (auth.kind === "sign-in") {
      c.header("Cache-Control", "no-store");
      return c.redirect(signInUrl(c.var.org, `${server.endpointBase}/authorize?${resumableParams(params)}`), 302);
    }
    const user = auth.session.user;
    // Implicit assignment ("Federation Broker Mode") is never on here: the Apps API keeps it false.
    if (!(await isUserAssignedToApp(c.var.db, c.var.org.id, client.appId, user.id))) {
      throw new AuthorizeError("access_denied", "User is not assigned to the client application.");
    }
    if (request.responseTypes.has("id_token") && !request.scopes.includes("openid")) {
      throw new AuthorizeError("invalid_scope", "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.");
    }
    const grantType = request.responseTypes.has("code") ? "authorization_code" : "implicit";
    const decided = await decideUserGrant(c, server, client, user, request.scopes, grantType);
    if (!decided.ok) throw new AuthorizeError(decided.error, decided.description);
    const consent = await decideConsent(c, server, request, user.id, decided, answer);
    if (consent.kind === "ask") return consentPage(c, server, request, String(user.profile.login ?? ""), consent);

    const grant = { session: auth.session, authTime: auth.authTime, scopes: consent.scopes, policy: decided.policy, groups: decided.groups };
    const values = await issueAuthorizeResponse(c, server, request, grant);
    return deliver(c, request.target, values);
  } catch (error) {
    if (error instanceof AuthorizePageError) {
      return renderPage(c, <ErrorPage page={pageContext(c)} title="400 Bad Request" message={error.message} />, 400);
    }
    if (!target) throw error;
    if (error instanceof AuthorizeError) return deliverError(c, target, error.error, error.description);
    throw error;
  }
}

/**
 * The request to resume after sign-in or consent: the sessionToken is spent
 * and `prompt=login` has been honoured, so neither may send the user round
 * again.
 */
function resumableParams(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [name, value] of params) {
    if (name === "sessionToken") continue;
    if (name === "prompt") {
      const kept = value.split(" ").filter((p) => p && p !== "login").join(" ");
      if (kept) out.append(name, kept);
      continue;
    }
    out.append(name, value);
  }
  return out;
}

function consentPage(c: AppContext, server: AuthorizationServer, request: AuthorizeRequest, login: string, consent: Extract<ConsentDecision, { kind: "ask" }>) {
  const hidden: Record<string, string> = {};
  for (const [name, value] of resumableParams(request.params)) hidden[name] ??= value;
  return renderPage(
    c,
    <ConsentPage
      page={pageContext(c)}
      appName={request.client.name}
      userLogin={login}
      scopes={consent.asking.map((s) => ({ id: s.name, name: s.displayName ?? s.name, description: s.description ?? null, optional: s.optional }))}
      action={`${server.endpointBase}/authorize/consent`}
      hidden={hidden}
    />,
    200,
    // the answer is delivered to the (already checked) redirect URI, which CSP form-action must allow
    [request.target.redirectUri],
  );
}
