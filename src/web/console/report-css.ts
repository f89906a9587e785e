/**
 * Styles of the shift and report pages, appended to the console's one
 * stylesheet. The print part lays out a shift sheet for the drawer's
 * hand-over: no menu, forms or links, black rules, signature lines.
 */
export const REPORT_CSS = `
.charts{display:flex;flex-wrap:wrap;gap:16px;margin:12px 0}
figure.chart{margin:0;background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:8px}
fieldset.dims{border:1px solid #bcccdc;border-radius:4px;padding:4px 10px;display:flex;gap:10px;align-items:center}
fieldset.dims legend{font-size:12px;color:#52606d}
label.check{flex-direction:row;align-items:center;gap:4px;font-size:13px;color:#1f2933}
label.check input{min-width:0}
table.report tfoot th,table.report tfoot td{background:#eef2f6;font-weight:600}
.exports{margin:8px 0}
.cash-box{display:flex;gap:16px;margin:8px 0 16px}
.cash-box div{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:10px 16px;display:flex;flex-direction:column;min-width:160px}
.cash-box span{font-size:12px;color:#52606d}
.cash-box strong{font-size:20px;font-variant-numeric:tabular-nums}
.cash-box .due{border-color:#0b4f6c;border-width:2px}
form.inline{display:inline-flex;gap:8px;align-items:center}
.print-only{display:none}
.signatures{margin-top:48px;display:flex;justify-content:space-between}
@media print{
 @page{size:A4;margin:15mm}
 body{font-size:12px;color:#000}
 .exports,.flash,.charts form{display:none}
 .print-only{display:flex}
 h2{font-size:16px;text-align:center}
 th,td{border-color:#000;font-size:12px}
 th{background:#fff}
 .cash-box div{border:1px solid #000}
 figure.chart{border:0;break-inside:avoid}
 table{break-inside:auto}tr{break-inside:avoid}
}
`;
