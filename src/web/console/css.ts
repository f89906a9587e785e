import { REPORT_CSS } from './report-css.js';

/** The console's one stylesheet, served by the platform (no CDN on a hospital LAN); a print layout for the pages finance keeps. */
export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;color:#1f2933;background:#f4f6f8}
header.top{display:flex;align-items:center;gap:24px;background:#0b4f6c;color:#fff;padding:8px 20px}
header.top h1{font-size:18px;margin:0}
header.top nav a{color:#dbeafe;margin-right:16px;text-decoration:none}
header.top nav a.here{color:#fff;font-weight:600;border-bottom:2px solid #fff}
header.top .who{margin-left:auto;display:flex;gap:12px;align-items:center}
header.top .who button{background:transparent;color:#fff;border:1px solid #9fc3d6;border-radius:4px;padding:2px 10px;cursor:pointer}
main{padding:20px;max-width:1280px}
h2{font-size:18px;margin:0 0 12px}
h3{font-size:15px;margin:20px 0 8px}
.card>h3:first-child{margin-top:0}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:16px;margin-bottom:16px}
table{border-collapse:collapse;width:100%;background:#fff}
table.queue td:nth-child(6){min-width:14em}
table.queue td:nth-child(2){word-break:break-all;min-width:9em}
@media (max-width:900px){table.queue{display:block;overflow-x:auto}}
th,td{border:1px solid #d9e2ec;padding:5px 8px;text-align:left;font-size:13px;vertical-align:top}
th{background:#eef2f6;font-weight:600}
td.money{text-align:right;font-variant-numeric:tabular-nums}
form.search{display:flex;flex-wrap:wrap;gap:10px;align-items:end}
label{display:flex;flex-direction:column;font-size:12px;color:#52606d;gap:2px}
input,select,textarea{font:inherit;padding:5px 8px;border:1px solid #bcccdc;border-radius:4px;min-width:120px}
button.primary{background:#0b4f6c;color:#fff;border:0;border-radius:4px;padding:6px 16px;cursor:pointer}
button.danger{background:#b42318;color:#fff;border:0;border-radius:4px;padding:6px 16px;cursor:pointer}
.flash{padding:8px 12px;border-radius:4px;margin-bottom:12px}
.flash.ok{background:#e3f9e5;color:#05400a}
.flash.err{background:#ffe3e3;color:#8a041a}
.state-succ{color:#05400a}.state-fail{color:#8a041a}.state-exp{color:#b44d12;font-weight:600}
.muted{color:#7b8794}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:#52606d}dl.facts dd{margin:0}
.login{max-width:360px;margin:80px auto}
.login form{display:flex;flex-direction:column;gap:12px}
.warn{background:#fff3c4;color:#513c06;padding:8px 12px;border-radius:4px}
pre{white-space:pre-wrap;word-break:break-all;font-size:12px;margin:0}
.actions form{display:inline-flex;flex-wrap:wrap;gap:8px;align-items:end;margin:4px 12px 4px 0}
.checks{display:flex;flex-wrap:wrap;gap:4px 16px;margin:8px 0 12px}
label.check{flex-direction:row;align-items:center;gap:6px;font-size:13px;color:#1f2933}
label.check input{min-width:0}
label.wide{flex-basis:100%}
label.wide textarea{width:100%;font-family:ui-monospace,monospace;font-size:12px}
.set{color:#05400a;font-weight:600}
.secret-once{border-color:#b44d12}
code{font-family:ui-monospace,monospace;background:#eef2f6;padding:1px 4px;border-radius:3px;word-break:break-all}
.sandbox-banner{background:#d7000f;color:#fff;text-align:center;padding:4px 8px;font-weight:600}
@media print{header.top,form,button,.actions{display:none}body{background:#fff}main{padding:0}.card{border:0}}
${REPORT_CSS}`;
