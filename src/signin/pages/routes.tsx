import { Hono } from "hono";
import type { AppContext, AppEnv } from "../../platform/context";
import { ApiError } from "../../platform/errors";
import { iterationsFrom, meetsPolicy } from "../../users/password";
import { userOfToken } from "../../users/write";
import { changePassword, primaryAuthentication, redeemActivationToken, redeemRecoveryToken, resetPassword, type Outcome } from "../authn/flows";
import { createSession, endSession, findSession, sessionCookie, clearedSessionCookie } from "../sessions";
import { readStateToken, redeemSessionToken } from "../tokens";
import { ErrorPage, SetPasswordPage, SignInPage, SignedInPage, SignedOutPage } from "./components";
import { CsrfRefused, readCheckedForm } from "./csrf";
import { pageContext, renderPage } from "./render";
import { allowedRedirect, HOME_PATH, resumeRedirectUris, resumeTarget, SIGN_IN_PATH } from "./redirects";

/**
 * The Okta-hosted pages (Classic paths): sign-in at /login/login.htm, the
 * activation and reset links the Users API hands out (/welcome/<token>,
 * /signin/reset-password/<token>), the end-user home, sign-out, and
 * /login/sessionCookieRedirect. Server-rendered, no JavaScript.
 */
export const pageRoutes = new Hono<AppEnv>();


const iterations = (c: AppContext) => iterationsFrom(c.env.PASSWORD_HASH_ITERATIONS);

const href = (c: AppContext, path: string) => `${c.var.org.url}${path}`;
/** This request's own URL as the browser knows it (the org prefix put back), for forms that post to themselves. */
const selfHref = (c: AppContext) => {
  const url = new URL(c.req.url);
  return href(c, url.pathname + url.search);
};

/** A finished sign-in: the session, its cookie, and the way on. */
async function signIn(c: AppContext, outcome: Extract<Outcome, { kind: "success" }>, next: string | null) {
  const redeemed = await redeemSessionToken(c.var.db, c.var.org.id, outcome.sessionToken);
  if (!redeemed) throw new Error("a sessionToken just issued could not be redeemed");
  const { id } = await createSession(c.var.db, c.var.org, redeemed);
  c.header("Set-Cookie", sessionCookie(c.var.org, id), { append: true });
  return c.redirect(next ?? href(c, HOME_PATH), 302);
}

const message = (error: unknown, fallback: string) => {
  if (error instanceof ApiError && error.body && "errorCauses" in error.body) {
    const causes = (error.body as { errorCauses: { errorSummary: string }[] }).errorCauses;
    return causes[0]?.errorSummary.replace(/^\w+: /, "") ?? fallback;
  }
  return fallback;
};

// ——— sign-in ———

pageRoutes.get(SIGN_IN_PATH, async (c) => {
  const fromURI = resumeTarget(c.var.org, c.req.query("fromURI"));
  const action = href(c, SIGN_IN_PATH) + (fromURI ? `?fromURI=${encodeURIComponent(fromURI)}` : "");
  // An authorize request's login_hint prefills the username (§4.1); the page's own login_hint wins.
  const hint = c.req.query("login_hint") ?? (fromURI ? new URL(fromURI).searchParams.get("login_hint") : null) ?? "";
  return renderPage(c, <SignInPage page={pageContext(c)} action={action} username={hint} />, 200, resumeRedirectUris(fromURI));
});

pageRoutes.post(SIGN_IN_PATH, async (c) => {
  const form = await readCheckedForm(c);
  const fromURI = resumeTarget(c.var.org, c.req.query("fromURI"));
  const username = (form.get("username") ?? "").trim();
  const password = form.get("password") ?? "";
  const action = href(c, SIGN_IN_PATH) + (fromURI ? `?fromURI=${encodeURIComponent(fromURI)}` : "");
  let outcome: Outcome;
  try {
    outcome = await primaryAuthentication(c.var.db, c.var.org, username, password, iterations(c));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return renderPage(c, <SignInPage page={pageContext(c)} action={action} username={username} error="Unable to sign in" />, 401, resumeRedirectUris(fromURI));
  }
  if (outcome.kind === "success") return signIn(c, outcome, fromURI);
  const changeAction = href(c, "/login/change-password") + (fromURI ? `?fromURI=${encodeURIComponent(fromURI)}` : "");
  return renderPage(
    c,
    <SetPasswordPage
      page={pageContext(c)}
      action={changeAction}
      title="Your password has expired"
      lede="Choose a new password to continue."
      login={String(outcome.user.profile.login)}
      askCurrent
      stateToken={outcome.state.token}
    />,
    200,
    resumeRedirectUris(fromURI),
  );
});

/** Reads a new-password form: both fields must agree before anything is checked. */
function newPasswordOf(form: URLSearchParams): { newPassword: string; mismatch: boolean } {
  const newPassword = form.get("newPassword") ?? "";
  return { newPassword, mismatch: newPassword !== (form.get("confirmPassword") ?? "") };
}

pageRoutes.post("/login/change-password", async (c) => {
  const form = await readCheckedForm(c);
  const fromURI = resumeTarget(c.var.org, c.req.query("fromURI"));
  const stateToken = form.get("stateToken") ?? "";
  const state = await readStateToken(c.var.db, c.var.org.id, stateToken);
  if (!state) return signInAgain(c);
  const { newPassword, mismatch } = newPasswordOf(form);
  const show = (error: string) =>
    renderPage(
      c,
      <SetPasswordPage
        page={pageContext(c)}
        action={selfHref(c)}
        title="Your password has expired"
        lede="Choose a new password to continue."
        login={form.get("username") ?? ""}
        askCurrent
        stateToken={stateToken}
        error={error}
      />,
      403,
      resumeRedirectUris(fromURI),
    );
  if (mismatch) return show("The passwords do not match.");
  try {
    const outcome = await changePassword(
      c.var.db,
      c.var.org,
      state,
      { oldPassword: form.get("oldPassword") ?? "", newPassword, revokeSessions: false },
      iterations(c),
    );
    if (outcome.kind === "success") return signIn(c, outcome, fromURI);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return show(message(error, "The password could not be changed."));
  }
  return signInAgain(c);
});

function signInAgain(c: AppContext) {
  return renderPage(
    c,
    <ErrorPage page={pageContext(c)} title="This link has expired" message="Sign in again to continue." />,
    401,
  );
}

// ——— activation and reset links of the Users API ———

const linkPages = [
  {
    path: "/welcome/:token",
    kind: "activation" as const,
    title: "Activate your account",
    lede: "Choose a password to finish setting up your account.",
  },
  {
    path: "/signin/reset-password/:token",
    kind: "reset_password" as const,
    title: "Reset your password",
    lede: "Choose a new password for your account.",
  },
];

for (const link of linkPages) {
  const expired = (c: AppContext) =>
    renderPage(
      c,
      <ErrorPage
        page={pageContext(c)}
        title="This link has expired"
        message="The link was already used, or it is no longer valid. Ask your administrator for a new one."
      />,
      404,
    );

  pageRoutes.get(link.path, async (c) => {
    const user = await userOfToken(c.var.db, c.var.org.id, c.req.param("token")!, link.kind, false);
    if (!user) return expired(c);
    return renderPage(
      c,
      <SetPasswordPage page={pageContext(c)} action={selfHref(c)} title={link.title} lede={link.lede} login={String(user.profile.login)} />,
    );
  });

  pageRoutes.post(link.path, async (c) => {
    const form = await readCheckedForm(c);
    const token = c.req.param("token")!;
    const user = await userOfToken(c.var.db, c.var.org.id, token, link.kind, false);
    if (!user) return expired(c);
    const { newPassword, mismatch } = newPasswordOf(form);
    const show = (error: string) =>
      renderPage(
        c,
        <SetPasswordPage page={pageContext(c)} action={selfHref(c)} title={link.title} lede={link.lede} login={String(user.profile.login)} error={error} />,
        403,
      );
    if (mismatch) return show("The passwords do not match.");
    // The policy is checked before the token is spent, so a rejected password leaves the link usable.
    if (!meetsPolicy(newPassword, String(user.profile.login ?? ""))) {
      return show("Passwords must have at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username");
    }
    try {
      let outcome = link.kind === "activation" ? await redeemActivationToken(c.var.db, c.var.org, token) : await redeemRecoveryToken(c.var.db, c.var.org, token);
      if (outcome.kind === "state" && outcome.state.status === "RECOVERY") {
        // The hosted page does not ask the recovery question (left for the authorize phase): the link proves the mailbox.
        return show("This account has a recovery question; reset it through the Authentication API.");
      }
      if (outcome.kind === "state") {
        outcome = await resetPassword(c.var.db, c.var.org, outcome.state, { newPassword, revokeSessions: true }, iterations(c));
      }
      if (outcome.kind === "success") return signIn(c, outcome, null);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return show(message(error, "The password could not be set."));
    }
    return expired(c);
  });
}

// ——— signed in, signed out ———

pageRoutes.get(HOME_PATH, async (c) => {
  const session = await findSession(c.var.db, c.var.org, c.req.header("cookie"));
  if (!session) return c.redirect(`${href(c, SIGN_IN_PATH)}?fromURI=${encodeURIComponent(href(c, HOME_PATH))}`, 302);
  const p = session.user.profile;
  const name = typeof p.firstName === "string" && p.firstName ? p.firstName : String(p.login);
  return renderPage(c, <SignedInPage page={pageContext(c)} login={String(p.login)} name={name} signOutAction={href(c, "/login/signout")} />);
});

pageRoutes.post("/login/signout", async (c) => {
  await readCheckedForm(c);
  const session = await findSession(c.var.db, c.var.org, c.req.header("cookie"));
  if (session) await endSession(c.var.db, c.var.org.id, session.id);
  c.header("Set-Cookie", clearedSessionCookie(c.var.org), { append: true });
  return c.redirect(href(c, "/login/signed-out"), 303);
});

pageRoutes.get("/login/signed-out", (c) => renderPage(c, <SignedOutPage page={pageContext(c)} signInHref={href(c, SIGN_IN_PATH)} />));

// ——— sessionToken → cookie (§3.4) ———

pageRoutes.get("/login/sessionCookieRedirect", async (c) => {
  const redirectUrl = await allowedRedirect(c.var.db, c.var.org, c.req.query("redirectUrl"));
  if (!redirectUrl) {
    return renderPage(
      c,
      <ErrorPage page={pageContext(c)} title="Invalid redirect" message="The redirectUrl is not a trusted origin of this org." />,
      400,
    );
  }
  const redeemed = await redeemSessionToken(c.var.db, c.var.org.id, c.req.query("token") ?? "");
  if (!redeemed) return c.redirect(`${href(c, SIGN_IN_PATH)}?fromURI=${encodeURIComponent(redirectUrl)}`, 302);
  const { id } = await createSession(c.var.db, c.var.org, redeemed);
  c.header("Set-Cookie", sessionCookie(c.var.org, id), { append: true });
  return c.redirect(redirectUrl, 302);
});

/** A refused form post (CSRF) is a page, not a JSON error. */
pageRoutes.onError((error, c) => {
  if (error instanceof CsrfRefused) {
    return renderPage(
      c as AppContext,
      <ErrorPage page={pageContext(c as AppContext)} title="Request refused" message="The form could not be verified. Go back, reload the page and try again." />,
      403,
    );
  }
  throw error;
});
