import { SANDBOX_BANNER_CSS } from '../html.js';

/**
 * One stylesheet for the desk, the refund desk and the extension screen.
 * Colours keep 4.5:1 contrast or better on their backgrounds; focus is always
 * visible because cashiers work by keyboard.
 */
export const CASHIER_CSS = `
${SANDBOX_BANNER_CSS}
:root{--fg:#1d2129;--muted:#4e5969;--bg:#f2f3f5;--card:#fff;--ok:#00703c;--bad:#b42318;--brand:#0b5cad;--line:#d0d5dd}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;background:var(--bg);color:var(--fg);font-size:16px;line-height:1.5}
:focus-visible{outline:3px solid #f79009;outline-offset:2px}
.bar{display:flex;justify-content:space-between;align-items:center;background:var(--brand);color:#fff;padding:10px 20px}
.bar h1{font-size:20px;margin:0}.bar .term{font-size:14px}
.desk{display:grid;grid-template-columns:minmax(260px,1fr) 2fr;gap:16px;padding:16px;max-width:1200px;margin:0 auto}
@media (max-width:760px){.desk{grid-template-columns:1fr}}
.card{background:var(--card);border-radius:8px;padding:16px 20px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card h2{font-size:17px;margin:0 0 12px}
dl.facts{display:grid;grid-template-columns:5em 1fr;gap:6px 10px;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-all}
.amount{font-size:34px;font-weight:700;color:var(--bad)}.amount small{font-size:18px}
.muted{color:var(--muted);font-size:14px}
.choices{list-style:none;margin:0 0 12px;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:8px}
.choices button{width:100%;text-align:left;padding:12px;border:2px solid var(--line);border-radius:8px;background:#fff;font-size:16px;color:var(--fg);cursor:pointer}
.choices button[aria-pressed=true]{border-color:var(--brand);background:#e8f1fb}
kbd{display:inline-block;min-width:1.6em;text-align:center;border:1px solid #98a2b3;border-radius:4px;padding:0 4px;margin-right:6px;font-family:inherit;font-size:14px;background:#f9fafb}
[hidden]{display:none!important}
.field{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:8px 0}
.field label{font-weight:600}
input,select{font-size:18px;padding:8px 10px;border:1px solid #98a2b3;border-radius:6px}
input#authCode{flex:1;min-width:14em;letter-spacing:1px}
.btn{padding:10px 18px;border:0;border-radius:6px;font-size:16px;background:var(--brand);color:#fff;cursor:pointer}
.btn.ghost{background:#fff;color:var(--bad);border:1px solid var(--bad)}
.btn[disabled]{opacity:.6;cursor:wait}
.actions{display:flex;gap:10px;justify-content:flex-end;margin-top:16px}
.qr{display:flex;gap:20px;align-items:center;flex-wrap:wrap}
.qr img{width:240px;height:240px;image-rendering:pixelated;background:#fff}
.state{font-size:24px;font-weight:700;margin:8px 0}
.state.ok{color:var(--ok)}.state.bad{color:var(--bad)}
.message{min-height:1.5em;color:var(--bad);font-weight:600}
.confirm{background:#fffaeb;border:1px solid #f79009;border-radius:6px;padding:10px;margin-top:12px}
.notice{max-width:560px;margin:60px auto;background:#fff;padding:24px;border-radius:8px}
table.orders{width:100%;border-collapse:collapse}
table.orders th,table.orders td{padding:8px;border-bottom:1px solid var(--line);text-align:left}
table.orders td.num,table.orders th.num{text-align:right;font-variant-numeric:tabular-nums}
table.orders tr[aria-selected=true]{background:#e8f1fb}
table.orders label{display:block;cursor:pointer}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
/* Extension screen: the patient's side, read from a metre away. */
body.screen{background:#0b3d6e;color:#fff;min-height:100vh}
.screen main{display:grid;grid-template-columns:1fr 1fr;gap:4vmin;align-items:center;min-height:100vh;padding:5vmin}
.screen .show-msg{font-size:3.2vmin;white-space:pre-wrap;background:rgba(255,255,255,.08);border-radius:12px;padding:3vmin;align-self:stretch}
.screen .center{grid-column:1/-1;text-align:center}
.screen .big{font-size:9vmin;font-weight:700}
.screen .mid{font-size:4.5vmin}
.screen .qr img{width:52vmin;height:52vmin;background:#fff;padding:2vmin;border-radius:12px}
.screen .qr{flex-direction:column;justify-content:center}
.screen .ok{color:#6ce9a6}.screen .bad{color:#fda29b}
@media (orientation:portrait){.screen main{grid-template-columns:1fr;align-content:center}.screen .show-msg{order:2;align-self:auto}}
`;
