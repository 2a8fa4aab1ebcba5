/** The tokenizer of the expression language: numbers, names, operators,
 *  parentheses and commas, with spans in UTF-16 code units. A scanner: it holds
 *  one token at a time in its fields (no object per token, so a megabyte of
 *  input costs no garbage) and reads on demand, so the first fault in reading
 *  order is the one reported. */
import { MatcalcError, type Span } from '../ir/errors.js';

export type Op = '+' | '-' | '*' | '/' | '.*' | './' | '^' | '.^' | "'";
export type TokenKind = 'num' | 'name' | Op | '(' | ')' | ',' | 'end';

export interface Token { kind: TokenKind; text: string; span: Span; value?: number }

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
/** After a '.', these make the dotted operators '.*', './', '.^'. */
const isDotOpChar = (c: number): boolean => c === 42 || c === 47 || c === 94;

/** JavaScript's whitespace (`\s`): ASCII space and controls, NBSP, the Unicode spaces, BOM. */
const isSpace = (c: number): boolean =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/** The one-character tokens, by char code. */
const SINGLE: Record<number, TokenKind> = { 43: '+', 45: '-', 42: '*', 47: '/', 94: '^', 39: "'", 40: '(', 41: ')', 44: ',' };
const DOTTED: Record<number, Op> = { 42: '.*', 47: './', 94: '.^' };

/** Hints for characters people paste from typeset mathematics. */
const TRANSPOSE = "' (an apostrophe) for a transpose";
const HINTS: Record<string, string> = {
  '×': "'*'", '·': "'*'", '⋅': "'*'", '∗': "'*'", '÷': "'/'", '−': "'-'", '–': "'-'", '—': "'-'",
  '’': TRANSPOSE, '′': TRANSPOSE, 'ᵀ': TRANSPOSE, '[': "'(' ... ')'", ']': "'(' ... ')'", '{': "'(' ... ')'", '}': "'(' ... ')'",
};

/** A token's text quoted for a message, shortened when long. */
export const quote = (text: string): string => {
  const shown = text.length > 24 ? `${text.slice(0, 20)}…` : text;
  return text.includes("'") ? `"${shown}"` : `'${shown}'`;
};

/** How a token of src reads in the "found ..." of a message. */
export const describe = (kind: TokenKind, text: string): string =>
  kind === 'end' ? 'end of input'
    : kind === 'num' ? `the number ${quote(text)}`
      : kind === 'name' ? `the name ${quote(text)}`
        : quote(text);

const bad = (message: string, start: number, end: number): never => {
  throw new MatcalcError('parse-error', message, 'expr', { start, end });
};

export class Lexer {
  /** The current token: its kind, its [start, end) and, for a number, its value. */
  kind: TokenKind = 'end';
  start = 0;
  end = 0;
  value = 0;

  constructor(readonly src: string) {
    this.next();
  }

  get text(): string {
    return this.src.slice(this.start, this.end);
  }

  /** Moves to the next token; past the last, an 'end' token of zero width at src.length, forever. */
  next(): void {
    const s = this.src;
    let i = this.end;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    this.start = i;
    if (i >= s.length) {
      this.kind = 'end';
      this.end = s.length;
      return;
    }
    const c = s.charCodeAt(i);
    const single = SINGLE[c];
    if (single !== undefined) {
      this.kind = single;
      this.end = i + 1;
      return;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < s.length && isNamePart(s.charCodeAt(j))) j++;
      this.kind = 'name';
      this.end = j;
      return;
    }
    const c1 = i + 1 < s.length ? s.charCodeAt(i + 1) : -1;
    if (isDigit(c) || (c === 46 && isDigit(c1))) return this.number(i);
    if (c === 46) {
      const dotted = DOTTED[c1];
      if (dotted === undefined) return bad("unexpected '.': a '.' begins '.*', './', '.^' or a number such as '.5'", i, i + 1);
      this.kind = dotted;
      this.end = i + 2;
      return;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    const shown = cp < 32 || cp === 127 || (cp >= 0xd800 && cp <= 0xdfff) ? code : cp < 128 ? quote(ch) : `${quote(ch)} (${code})`;
    const hint = HINTS[ch] ? `; write ${HINTS[ch]}` : '';
    bad(`unexpected character ${shown}${hint}`, i, i + (cp > 0xffff ? 2 : 1));
  }

  /** digits ['.' digits] [('e'|'E') ['+'|'-'] digits], or '.' digits [exponent].
   *  A '.' followed by '*', '/' or '^' is left to the operator ('2./x' is 2 ./ x);
   *  a trailing '.' otherwise belongs to the number ('2.' is 2). */
  private number(start: number): void {
    const s = this.src;
    let i = start;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) === 46 && !isDotOpChar(s.charCodeAt(i + 1))) {
      i++;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 69 || e === 101) {
      let j = i + 1;
      const sign = s.charCodeAt(j) === 43 || s.charCodeAt(j) === 45;
      if (sign) j++;
      if (!isDigit(s.charCodeAt(j))) {
        const end = sign ? j : this.wordEnd(j);
        bad(`${quote(s.slice(start, end))} is not a number: the exponent after '${s[i]}' needs digits, as in '1e-3'`, start, end);
      }
      while (j < s.length && isDigit(s.charCodeAt(j))) j++;
      i = j;
    }
    if (s.charCodeAt(i) === 46 && !isDotOpChar(s.charCodeAt(i + 1))) {
      const end = this.wordEnd(i);
      bad(`${quote(s.slice(start, end))} is not a number: a number has one '.' at most, before any exponent`, start, end);
    }
    const value = Number(s.slice(start, i));
    if (!Number.isFinite(value)) {
      throw new MatcalcError('not-finite',
        `the number ${quote(s.slice(start, i))} is too large: it overflows double precision (the largest is about 1.8e308)`,
        'expr', { start, end: i });
    }
    this.kind = 'num';
    this.end = i;
    this.value = value;
  }

  /** The end of a run of number-like characters from i: the extent of a malformed number. */
  private wordEnd(i: number): number {
    const s = this.src;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (isNamePart(c) || (c === 46 && !isDotOpChar(s.charCodeAt(i + 1)))) i++;
      else break;
    }
    return i;
  }
}

/** All tokens of src as objects, the final 'end' token included. */
export const tokenize = (src: string): Token[] => {
  const lx = new Lexer(src);
  const out: Token[] = [];
  for (;;) {
    const t: Token = { kind: lx.kind, text: lx.text, span: { start: lx.start, end: lx.end } };
    if (lx.kind === 'num') t.value = lx.value;
    out.push(t);
    if (lx.kind === 'end') return out;
    lx.next();
  }
};
