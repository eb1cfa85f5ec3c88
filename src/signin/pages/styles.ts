/**
 * The pages' one stylesheet, inlined in each page (no asset route, nothing
 * fetched): a centred card on a quiet background, system fonts, one accent.
 */
export const STYLES = `
:root { --accent:#1662dd; --accent-dark:#0f4fb8; --ink:#1d1d21; --muted:#5c5f66; --line:#d7dae0; --bg:#f3f4f7; --danger:#c0262d; --ok:#127a3e; }
* { box-sizing: border-box; }
html, body { margin:0; padding:0; }
body { min-height:100vh; background:var(--bg); color:var(--ink); font:15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; display:flex; flex-direction:column; align-items:center; }
.brandbar { width:100%; height:4px; background:linear-gradient(90deg, var(--accent), #5b8def); }
main { width:100%; max-width:420px; padding:56px 16px 32px; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; box-shadow:0 1px 2px rgba(16,24,40,.04), 0 8px 24px rgba(16,24,40,.06); padding:36px 40px 32px; }
.org { display:flex; align-items:center; gap:10px; margin:0 0 28px; justify-content:center; }
.mark { width:36px; height:36px; border-radius:9px; background:var(--accent); color:#fff; display:flex; align-items:center; justify-content:center; font-weight:700; font-size:17px; letter-spacing:.5px; }
.orgname { font-weight:600; font-size:17px; color:var(--ink); }
h1 { font-size:22px; font-weight:600; margin:0 0 6px; text-align:center; text-wrap:balance; }
.lede { color:var(--muted); margin:0 0 24px; text-align:center; text-wrap:balance; }
.lede:last-child { margin-bottom:0; }
label { display:block; font-weight:600; font-size:13px; margin:0 0 6px; }
.field { margin:0 0 18px; }
input[type=text], input[type=email], input[type=password] { width:100%; height:42px; padding:0 12px; border:1px solid var(--line); border-radius:6px; font:inherit; color:inherit; background:#fff; transition:border-color .15s, box-shadow .15s; }
input:focus { outline:none; border-color:var(--accent); box-shadow:0 0 0 3px rgba(22,98,221,.18); }
.hint { color:var(--muted); font-size:13px; margin:6px 0 0; }
button, .button { display:inline-flex; align-items:center; justify-content:center; width:100%; height:44px; border:0; border-radius:6px; background:var(--accent); color:#fff; font:inherit; font-weight:600; cursor:pointer; text-decoration:none; }
button:hover, .button:hover { background:var(--accent-dark); }
button.secondary { background:#fff; color:var(--ink); border:1px solid var(--line); }
button.secondary:hover { background:#f6f7f9; }
.actions { display:flex; gap:12px; margin-top:8px; }
.alert { border-radius:6px; padding:12px 14px; margin:0 0 20px; font-size:14px; border:1px solid; }
.alert.error { background:#fdf2f2; border-color:#f3c2c4; color:var(--danger); }
.alert.ok { background:#eff8f2; border-color:#b9dfc7; color:var(--ok); }
.links { margin-top:20px; text-align:center; font-size:14px; }
a { color:var(--accent); text-decoration:none; } a:hover { text-decoration:underline; }
.scopes { list-style:none; padding:0; margin:0 0 24px; border:1px solid var(--line); border-radius:8px; }
.scopes li { padding:12px 14px; border-top:1px solid var(--line); }
.scopes li:first-child { border-top:0; }
.scopes .name { font-weight:600; font-size:14px; }
.scopes .desc { color:var(--muted); font-size:13px; }
.scopes label.name { display:flex; align-items:center; gap:8px; margin:0; }
.scopes label.name input { margin:0; }
.scopes label.name + .desc { padding-left:21px; }
.who { background:#f6f7f9; border-radius:8px; padding:12px 14px; margin:0 0 20px; text-align:center; }
.who .login { font-weight:600; word-break:break-all; }
.code { font-family:ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; color:var(--muted); text-align:center; margin-top:18px; word-break:break-all; }
footer { color:var(--muted); font-size:12px; padding:0 16px 24px; text-align:center; }
`;
