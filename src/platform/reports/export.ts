import ExcelJS from 'exceljs';
import { type Cell, cellText, type Sheet } from './sheets.js';

/**
 * A text cell that starts like a formula (=, +, -, @, tab, CR) is written
 * with a leading apostrophe: an exported HIS field must not run as a formula
 * when finance opens the file (CSV injection). Money and counts are numbers
 * and never start so, except a negative amount, which is written as it is.
 */
function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(cell: Cell): string {
  const text = typeof cell === 'string' ? safeText(cell) : cellText(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV with a UTF-8 byte-order mark (so Excel on Chinese Windows reads 中文 right) and CRLF lines. */
export function sheetCsv(sheet: Sheet): string {
  const lines = [
    ...sheet.heading.map((h) => csvField(h)),
    sheet.columns.map((c) => csvField(c)).join(','),
    ...sheet.rows.map((r) => r.map(csvField).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** An .xlsx workbook of one worksheet: money as numbers in yuan with two decimals, counts as numbers. */
export async function sheetXlsx(sheet: Sheet): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'onepay';
  const ws = book.addWorksheet(sheet.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  for (const h of sheet.heading) ws.addRow([h]);
  const header = ws.addRow([...sheet.columns]);
  header.font = { bold: true };
  for (const r of sheet.rows) {
    const row = ws.addRow(
      r.map((cell) => {
        if (typeof cell === 'string') return safeText(cell);
        return 'fen' in cell ? cell.fen / 100 : cell.count;
      }),
    );
    r.forEach((cell, i) => {
      if (typeof cell !== 'string' && 'fen' in cell) row.getCell(i + 1).numFmt = '#,##0.00';
    });
  }
  ws.columns.forEach((c) => {
    c.width = 16;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
