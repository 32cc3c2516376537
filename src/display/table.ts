import type { Display } from 'tslab';
import { escapeMarkup } from './html';
import { showInCell } from './output';
import { Shown } from './shown';

export interface ShowTableOptions {
  title?: string;
  /** Where to show it (default: tslab's display for the running cell; tests pass a recorder). */
  display?: Display;
}

const DECIMALS = 4;

function formatCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(DECIMALS);
  return escapeMarkup(value);
}

/** An HTML table of the rows (columns in order of first appearance; numbers right-aligned, 4 decimals). */
export function showTable(rows: Record<string, string | number>[], options: ShowTableOptions = {}): Shown<'html'> {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const header = columns.map((column) => `<th>${escapeMarkup(column)}</th>`).join('');
  const body = rows
    .map((row) => {
      const cells = columns.map((column) => {
        const align = typeof row[column] === 'number' ? ' style="text-align:right"' : '';
        return `<td${align}>${formatCell(row[column])}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('');
  const caption = options.title === undefined ? '' : `<caption>${escapeMarkup(options.title)}</caption>`;
  const html = `<table>${caption}<thead><tr>${header}</tr></thead><tbody>${body}</tbody></table>`;
  showInCell((cell) => cell.html(html), options.display);
  return new Shown('table', 'html', html);
}
