/**
 * The pages' one stylesheet, inlined in each page (no CDN, no asset route:
 * the org works offline and a page is one response). Its hash goes into the
 * Content-Security-Policy, so no other style and no script can run.
 */
export const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2433;--muted:#5b6478;--line:#e3e6ec;--brand:#2f5bea;--brand-ink:#fff;
--get:#0f7b4f;--post:#2f5bea;--put:#a05a00;--delete:#b42318;--code:#f1f3f7;--radius:10px}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--brand);text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#111827;color:#fff}
header.top .wrap{display:flex;align-items:center;gap:16px;height:56px}
.brand{font-weight:700;letter-spacing:.2px;color:#fff;font-size:17px}
.brand span{color:#8ea8ff}
nav.links{margin-left:auto;display:flex;gap:18px}nav.links a{color:#d5dbea;font-size:14px}
.wrap{max-width:1040px;margin:0 auto;padding:0 24px}
main{padding:32px 0 56px}
h1{font-size:28px;margin:0 0 6px}h2{font-size:18px;margin:0 0 12px}h3{font-size:15px;margin:0}
p.lead{color:var(--muted);margin:0 0 24px;font-size:16px}
.grid{display:grid;grid-template-columns:minmax(0,1fr);gap:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:20px}
dl.urls{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:8px 16px}
dl.urls dt{color:var(--muted);font-size:13px;padding-top:2px}dl.urls dd{margin:0;min-width:0}
code,pre{font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:1px 6px;border-radius:5px;word-break:break-all}
pre{background:#0f172a;color:#e2e8f0;padding:14px 16px;border-radius:8px;overflow:auto;margin:0}
.btn{display:inline-block;background:var(--brand);color:var(--brand-ink);padding:8px 14px;border-radius:8px;font-weight:600;font-size:14px}
.btn.ghost{background:transparent;color:var(--brand);border:1px solid var(--line)}
.btn:hover{text-decoration:none;filter:brightness(1.05)}
.actions{display:flex;flex-wrap:wrap;gap:10px;margin-top:16px}
.badge{display:inline-block;font-size:12px;font-weight:600;padding:2px 8px;border-radius:999px;background:#e8edff;color:#2f43a8}
.muted{color:var(--muted)}
.toc{display:flex;flex-wrap:wrap;gap:6px 14px;margin:0 0 24px;font-size:14px}
section.tag{margin:0 0 22px}
section.tag>h2{display:flex;align-items:baseline;gap:10px}
section.tag>p{color:var(--muted);margin:-6px 0 10px;font-size:14px}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:var(--radius);overflow:hidden}
th,td{text-align:left;padding:8px 12px;border-bottom:1px solid var(--line);vertical-align:top;font-size:14px}
th{background:#fafbfc;color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.4px}
tr:last-child td{border-bottom:0}
.m{display:inline-block;min-width:62px;text-align:center;font:700 11px/20px ui-monospace,Menlo,monospace;border-radius:5px;color:#fff}
.m.GET{background:var(--get)}.m.POST{background:var(--post)}.m.PUT{background:var(--put)}.m.DELETE{background:var(--delete)}
.scope{font:12px ui-monospace,Menlo,monospace;color:#2f43a8;background:#eef1ff;padding:1px 6px;border-radius:5px;white-space:nowrap}
.scope.public{color:#0f7b4f;background:#e7f6ee}.scope.operator{color:#8a4b00;background:#fff3e0}
.status{font-weight:700}.status.ok{color:var(--get)}.status.err{color:var(--delete)}
.mt{margin-top:16px}
footer{color:var(--muted);font-size:13px;padding:24px 0;border-top:1px solid var(--line)}
`;

let hash: Promise<string> | undefined;

/** The CSP source for the stylesheet above ('sha256-…'). */
export function cssHash(): Promise<string> {
  hash ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(CSS)).then((digest) => {
    const bytes = new Uint8Array(digest);
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return `'sha256-${btoa(binary)}'`;
  });
  return hash;
}
