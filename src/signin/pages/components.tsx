import { Alert, CsrfField, Layout, type PageContext } from "./layout";

/**
 * The pages other code renders: the authorize endpoint shows ErrorPage for
 * requests it must not redirect (bad client_id or redirect_uri, §4.2) and
 * ConsentPage when a scope needs the user's consent (§4.6).
 */

export function ErrorPage(props: { page: PageContext; title?: string; message: string; code?: string }) {
  return (
    <Layout page={props.page} title={props.title ?? "Something went wrong"}>
      <h1>{props.title ?? "Something went wrong"}</h1>
      <p class="lede">{props.message}</p>
      {props.code ? <div class="code">{props.code}</div> : null}
    </Layout>
  );
}

export interface ConsentScope {
  /** The scope's name, posted back for an optional scope the user keeps (default: `name`). */
  id?: string;
  /** What the user reads: the scope's display name, else its name. */
  name: string;
  description?: string | null;
  /** The user may untick it (`optional: true` scopes, §4.6). */
  optional?: boolean;
}

/**
 * Asks the signed-in user to allow an app the scopes listed. The form posts
 * `consent=allow|deny`, `optional_scope` for each optional scope left ticked
 * (and the CSRF field) to `action`; the hidden fields carry the pending
 * authorize request.
 */
export function ConsentPage(props: {
  page: PageContext;
  appName: string;
  userLogin: string;
  scopes: ConsentScope[];
  action: string;
  hidden?: Record<string, string>;
}) {
  return (
    <Layout page={props.page} title="Allow access">
      <h1>{props.appName} would like to:</h1>
      {/* the phrase stays on one line; a long login wraps onto the next, whole */}
      <p class="lede">Signed{"\u00a0"}in{"\u00a0"}as {props.userLogin}</p>
      <form method="post" action={props.action}>
        <ul class="scopes">
          {props.scopes.map((scope) => (
            <li>
              {scope.optional ? (
                <label class="name">
                  <input type="checkbox" name="optional_scope" value={scope.id ?? scope.name} checked /> {scope.name}
                </label>
              ) : (
                <div class="name">{scope.name}</div>
              )}
              {scope.description ? <div class="desc">{scope.description}</div> : null}
            </li>
          ))}
        </ul>
        <p class="hint">Allowing access lets {props.appName} use this information as its terms and privacy policy describe. You can change your mind by asking your administrator to revoke it.</p>
        <CsrfField page={props.page} />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="actions">
          <button type="submit" name="consent" value="deny" class="secondary">
            Don't allow
          </button>
          <button type="submit" name="consent" value="allow">
            Allow access
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function SignedOutPage(props: { page: PageContext; signInHref: string }) {
  return (
    <Layout page={props.page} title="Signed out">
      <h1>You have been signed out</h1>
      <p class="lede">Close this window, or sign in again.</p>
      <a class="button" href={props.signInHref}>
        Sign in
      </a>
    </Layout>
  );
}

export function SignInPage(props: { page: PageContext; action: string; username?: string; error?: string | null; notice?: string | null }) {
  return (
    <Layout page={props.page} title="Sign in">
      <h1>Sign in</h1>
      <p class="lede">to continue to {props.page.orgName}</p>
      <Alert kind="error" message={props.error} />
      <Alert kind="ok" message={props.notice} />
      <form method="post" action={props.action}>
        <CsrfField page={props.page} />
        <div class="field">
          <label for="username">Username</label>
          <input id="username" name="username" type="text" autocomplete="username" required autofocus value={props.username ?? ""} />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

/** Sets a new password: activation (welcome), reset, or an expired password (with the current one). */
export function SetPasswordPage(props: {
  page: PageContext;
  action: string;
  title: string;
  lede: string;
  login?: string;
  askCurrent?: boolean;
  stateToken?: string;
  error?: string | null;
}) {
  return (
    <Layout page={props.page} title={props.title}>
      <h1>{props.title}</h1>
      <p class="lede">{props.lede}</p>
      {props.login ? (
        <div class="who">
          <div class="login">{props.login}</div>
        </div>
      ) : null}
      <Alert kind="error" message={props.error} />
      <form method="post" action={props.action}>
        <CsrfField page={props.page} />
        {props.stateToken ? <input type="hidden" name="stateToken" value={props.stateToken} /> : null}
        {props.login ? <input type="hidden" name="username" autocomplete="username" value={props.login} /> : null}
        {props.askCurrent ? (
          <div class="field">
            <label for="oldPassword">Current password</label>
            <input id="oldPassword" name="oldPassword" type="password" autocomplete="current-password" required />
          </div>
        ) : null}
        <div class="field">
          <label for="newPassword">New password</label>
          <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required />
          <p class="hint">At least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.</p>
        </div>
        <div class="field">
          <label for="confirmPassword">Repeat new password</label>
          <input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required />
        </div>
        <button type="submit">{props.askCurrent ? "Change password" : "Set password"}</button>
      </form>
    </Layout>
  );
}

export function SignedInPage(props: { page: PageContext; login: string; name: string; signOutAction: string }) {
  return (
    <Layout page={props.page} title="Signed in">
      <h1>Welcome, {props.name}</h1>
      <p class="lede">You are signed in to {props.page.orgName}.</p>
      <div class="who">
        <div class="login">{props.login}</div>
      </div>
      <form method="post" action={props.signOutAction}>
        <CsrfField page={props.page} />
        <button type="submit" class="secondary">
          Sign out
        </button>
      </form>
    </Layout>
  );
}
