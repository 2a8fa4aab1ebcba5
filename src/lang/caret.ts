/** The human display of an error: the message, the expression, and carets under
 *  the span. Columns follow what a terminal shows: one column per character
 *  (two for wide East Asian characters and emoji, none for combining marks),
 *  whitespace and control characters shown as one space. A long expression is
 *  shown as a window around the span, elided with '…', the carets still aligned. */
import type { Span } from '../ir/errors.js';

/** The widest expression shown whole; beyond it, a window of about WINDOW columns. */
const FULL = 80;
const WINDOW = 60;
const INDENT = '  ';

interface Cell { offset: number; text: string; width: number }

const widthOf = (cp: number): number => {
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)) return 2;
  return 1;
};

/** src[lo, hi) as display cells, one per code point. */
const cellsOf = (src: string, lo: number, hi: number): Cell[] => {
  const cells: Cell[] = [];
  for (let i = lo; i < hi;) {
    const cp = src.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    const blank = cp < 32 || cp === 127 || (cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) ||
      /\s/.test(String.fromCodePoint(cp));
    cells.push(blank ? { offset: i, text: ' ', width: 1 } : { offset: i, text: src.slice(i, i + n), width: widthOf(cp) });
    i += n;
  }
  return cells;
};

const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** The message, then (when there is a place) the expression and a line of '^' under span.
 *  A zero-width span gets one '^' at its place; at the end, one past the last character. */
export const renderCaret = (src: string, span: Span | null, message: string): string => {
  if (span === null) return message;
  const start = Math.min(Math.max(0, span.start), src.length);
  const end = Math.min(Math.max(start, span.end), src.length);
  // Only the neighbourhood of the span can be shown: read src[lo, hi), whole code points.
  let lo = Math.max(0, start - 4 * FULL);
  let hi = Math.min(src.length, Math.min(end, start + 4 * FULL) + 4 * FULL);
  if (lo > 0 && isLowSurrogate(src.charCodeAt(lo))) lo++;
  if (hi < src.length && isLowSurrogate(src.charCodeAt(hi))) hi++;
  const cells = cellsOf(src, lo, hi);
  // The span in cells, [a, b); at least one cell, which may be the one past the end.
  const a = start >= hi ? cells.length : cellIndex(cells, start);
  const b = Math.max(a + 1, end >= hi ? cells.length : cellIndex(cells, end - 1) + 1);

  let from = 0;
  let to = cells.length;
  if (lo > 0 || hi < src.length || cells.reduce((w, c) => w + c.width, 0) > FULL) {
    // Some context before the span, the span up to the window's end, then context after.
    const before = Math.min(20, Math.max(10, WINDOW - (b - a)));
    from = a;
    for (let w = 0; from > 0 && w + cells[from - 1]!.width <= before; from--) w += cells[from - 1]!.width;
    to = from;
    for (let w = 0; to < cells.length && w + cells[to]!.width <= WINDOW; to++) w += cells[to]!.width;
    to = Math.max(to, Math.min(a + 1, cells.length));
    let shown = 0;
    for (let k = from; k < to; k++) shown += cells[k]!.width;
    for (; to === cells.length && from > 0 && shown + cells[from - 1]!.width <= WINDOW; from--) shown += cells[from - 1]!.width;
  }
  const atEnd = to === cells.length && hi === src.length;
  const head = from > 0 || lo > 0 ? '…' : '';
  const tail = atEnd ? '' : '…';
  let line = head;
  let pad = head.length;
  let carets = 0;
  for (let k = from; k < to; k++) {
    const c = cells[k]!;
    line += c.text;
    if (k < a) pad += c.width;
    else if (k < b) carets += c.width;
  }
  if (b > to && atEnd) carets += 1; // the place one past the end
  return `${message}\n${INDENT}${line}${tail}\n${INDENT}${' '.repeat(pad)}${'^'.repeat(Math.max(1, carets))}`;
};

/** The index of the cell holding code unit `offset` (inside src). */
const cellIndex = (cells: Cell[], offset: number): number => {
  let lo = 0;
  let hi = cells.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cells[mid]!.offset <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};
