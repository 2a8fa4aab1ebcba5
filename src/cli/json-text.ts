/** A strict JSON reader that says where it fails. JSON.parse's own messages on
 *  Node 20 often give no position ("Unexpected token '}', ... is not valid
 *  JSON"), so the text is first scanned here: the scan accepts exactly what
 *  JSON.parse accepts, reports the first fault as an offset with a message in
 *  words, and records the places of the top-level members (for carets under a
 *  member of --at) and any repeated keys (JSON.parse would keep the last one
 *  silently). The value itself still comes from JSON.parse. */
import type { Span } from '../ir/errors.js';

/** A key that occurs twice in one object; `path` is the keys of the objects around it. */
export interface DuplicateKey { path: PathPart[]; key: string; span: Span }

/** A step into a JSON value: a key of an object or an index of an array. */
export type PathPart = string | number;
export const pathKey = (path: readonly PathPart[]): string => JSON.stringify(path);

export type JsonScan =
  | { ok: true; value: unknown; members: Map<string, Span>; duplicates: DuplicateKey[]; spans: Map<string, Span> }
  | { ok: false; offset: number; line: number; column: number; reason: string };

/** Deeper than any request needs, shallow enough for the recursion to be safe. */
const MAX_DEPTH = 200;

class Fault {
  constructor(readonly offset: number, readonly reason: string) {}
}

/** The character at `i` in words, for messages. */
const describe = (text: string, i: number): string => {
  if (i >= text.length) return 'the end of the input';
  const c = text.codePointAt(i)!;
  if (c < 32 || c === 127) return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(c)}'`;
};

class Scanner {
  pos = 0;
  readonly members = new Map<string, Span>();
  readonly duplicates: DuplicateKey[] = [];
  /** The place of every value by its path, when asked for (small texts: --at). */
  readonly spans = new Map<string, Span>();

  constructor(readonly text: string, readonly recordSpans: boolean) {}

  fail(reason: string, at = this.pos): never {
    throw new Fault(at, reason);
  }

  found(): string {
    return describe(this.text, this.pos);
  }

  space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  value(path: PathPart[], depth: number): void {
    this.space();
    const start = this.pos;
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const c = this.text[this.pos];
    if (c === '{') this.object(path, depth);
    else if (c === '[') this.array(path, depth);
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else if (c !== undefined && /[A-Za-z_]/.test(c)) this.literal('');
    else this.fail(`expected a value, found ${this.found()}`);
    if (this.recordSpans) this.spans.set(pathKey(path), { start, end: this.pos });
  }

  object(path: PathPart[], depth: number): void {
    this.pos++; // '{'
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') {
        this.fail(`expected a key in double quotes, found ${this.found()}`);
      }
      const keyStart = this.pos;
      this.string();
      const key = JSON.parse(this.text.slice(keyStart, this.pos)) as string;
      const keySpan = { start: keyStart, end: this.pos };
      if (seen.has(key)) this.duplicates.push({ path, key, span: keySpan });
      seen.add(key);
      this.space();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after the key "${key}", found ${this.found()}`);
      this.pos++;
      this.space();
      const valueStart = this.pos;
      this.value([...path, key], depth + 1);
      if (depth === 0) this.members.set(key, { start: valueStart, end: this.pos });
      this.space();
      const c = this.text[this.pos];
      if (c === '}') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail(`expected ',' or '}' after the value of "${key}", found ${this.found()}`);
      this.pos++;
      this.space();
      if (this.text[this.pos] === '}') this.fail("expected a key after ',' (JSON allows no trailing comma)");
    }
  }

  array(path: PathPart[], depth: number): void {
    this.pos++; // '['
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value([...path, i], depth + 1);
      this.space();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos++;
        return;
      }
      if (c !== ',') this.fail(`expected ',' or ']' in an array, found ${this.found()}`);
      this.pos++;
      this.space();
      if (this.text[this.pos] === ']') this.fail("expected a value after ',' (JSON allows no trailing comma)");
    }
  }

  string(): void {
    const t = this.text;
    const start = this.pos++;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string (no closing \'"\')', start);
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        this.pos++;
        return;
      }
      if (c < 32) this.fail(`${this.found()} inside a string (write it escaped, as \\n or \\t)`);
      if (c === 92) {
        const e = t[this.pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
            this.fail('expected four hex digits after \\u');
          }
          this.pos += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          this.pos += 2;
        } else {
          this.fail(`unknown escape \\${e ?? ''} in a string`);
        }
      } else {
        this.pos++;
      }
    }
  }

  number(): void {
    const t = this.text;
    const digits = (): number => {
      const from = this.pos;
      while (this.pos < t.length && t[this.pos]! >= '0' && t[this.pos]! <= '9') this.pos++;
      return this.pos - from;
    };
    if (t[this.pos] === '-') this.pos++;
    if (t[this.pos] === '0') this.pos++;
    else if (digits() === 0) this.fail(`expected a digit, found ${this.found()}`);
    if (t[this.pos] === '.') {
      this.pos++;
      if (digits() === 0) this.fail(`expected a digit after '.', found ${this.found()}`);
    }
    if (t[this.pos] === 'e' || t[this.pos] === 'E') {
      this.pos++;
      if (t[this.pos] === '+' || t[this.pos] === '-') this.pos++;
      if (digits() === 0) this.fail(`expected a digit in the exponent, found ${this.found()}`);
    }
  }

  literal(word: string): void {
    if (word && this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return;
    }
    let end = this.pos;
    while (end < this.text.length && /[A-Za-z0-9_]/.test(this.text[end]!)) end++;
    this.fail(`expected a value, found '${this.text.slice(this.pos, Math.max(end, this.pos + 1))}'` +
      ' (JSON writes true, false and null in lower case, and strings in double quotes)');
  }
}

/** Line and column (both from 1, columns in UTF-16 code units) of an offset. */
export const lineColumn = (text: string, offset: number): { line: number; column: number } => {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
};

/** Scans `text`; with `recordSpans`, the result's `spans` has the place of every value
 *  by pathKey(path). */
export const scanJson = (text: string, recordSpans = false): JsonScan => {
  const s = new Scanner(text, recordSpans);
  try {
    s.space();
    if (s.pos >= text.length) s.fail('expected a JSON value, found nothing');
    s.value([], 0);
    s.space();
    if (s.pos < text.length) s.fail(`unexpected ${s.found()} after the end of the JSON value`);
  } catch (e) {
    if (!(e instanceof Fault)) throw e;
    return { ok: false, offset: e.offset, ...lineColumn(text, e.offset), reason: e.reason };
  }
  return { ok: true, value: JSON.parse(text), members: s.members, duplicates: s.duplicates, spans: s.spans };
};

/** "line 2, column 5" for a text of several lines, "column 5" for one line. */
export const describePlace = (text: string, scan: { line: number; column: number }): string =>
  text.includes('\n') ? `line ${scan.line}, column ${scan.column}` : `column ${scan.column}`;
