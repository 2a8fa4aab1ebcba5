import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatcalcError } from '../../src/ir/errors.js';
import { renderCaret } from '../../src/lang/caret.js';
import { parse } from '../../src/lang/parser.js';

const sp = (start: number, end: number) => ({ start, end });

describe('renderCaret', () => {
  it('the message, the expression, carets under the span', () => {
    expect(renderCaret('x +* x', sp(2, 4), 'two operators')).toBe(
      'two operators\n' +
      '  x +* x\n' +
      '    ^^',
    );
  });

  it('a zero-width span gets one caret; at the end, one past the end', () => {
    expect(renderCaret('x +', sp(3, 3), 'm')).toBe('m\n  x +\n     ^');
    expect(renderCaret('x +', sp(1, 1), 'm')).toBe('m\n  x +\n   ^');
    expect(renderCaret('', sp(0, 0), 'empty')).toBe('empty\n  \n  ^');
  });

  it('no place, no caret', () => {
    expect(renderCaret('x', null, 'declare x')).toBe('declare x');
  });

  it('out-of-range spans are clamped', () => {
    expect(renderCaret('ab', sp(1, 99), 'm')).toBe('m\n  ab\n   ^');
    expect(renderCaret('ab', sp(7, 9), 'm')).toBe('m\n  ab\n    ^');
  });

  it('tabs and newlines show as one space; wide characters take two columns', () => {
    expect(renderCaret('a\tb\nc', sp(4, 5), 'm')).toBe('m\n  a b c\n      ^');
    expect(renderCaret('中+x', sp(2, 3), 'm')).toBe('m\n  中+x\n     ^');
    expect(renderCaret('a\u{1F642}b', sp(1, 3), 'm')).toBe('m\n  a\u{1F642}b\n   ^^');
    expect(renderCaret('a\u{1F642}b', sp(3, 4), 'm')).toBe('m\n  a\u{1F642}b\n     ^');
  });

  it('a long expression is shown as a window with elisions, carets aligned', () => {
    const src = Array.from({ length: 50 }, (_, i) => `x${i}`).join('+');
    const at = src.indexOf('x30');
    const [, line, carets] = renderCaret(src, sp(at, at + 3), 'm').split('\n');
    expect(line!.startsWith('  …')).toBe(true);
    expect(line!.endsWith('…')).toBe(true);
    expect(line!.length).toBeLessThan(70);
    const col = carets!.indexOf('^');
    expect(carets!.slice(col)).toBe('^^^');
    expect(line!.slice(col, col + 3)).toBe('x30');

    const [, endLine, endCarets] = renderCaret(src, sp(src.length, src.length), 'm').split('\n');
    expect(endLine!.endsWith('x49')).toBe(true);
    expect(endCarets!.length).toBe(endLine!.length + 1);

    const huge = `x${'+x'.repeat(500_000)}`;
    const [, hugeLine, hugeCarets] = renderCaret(huge, sp(500_000, 500_003), 'm').split('\n');
    expect(hugeLine!.length).toBeLessThan(70);
    expect(hugeLine!.slice(hugeCarets!.indexOf('^'), hugeCarets!.length)).toBe(huge.slice(500_000, 500_003));
  });

  it('renders the errors of the parser', () => {
    const src = `${'('.repeat(5000)}x`;
    try {
      parse(src);
    } catch (e) {
      if (!(e instanceof MatcalcError)) throw e;
      const [message, line, carets] = renderCaret(src, e.span, e.message).split('\n');
      expect(message).toBe(e.message);
      expect(line!.length).toBeLessThan(70);
      expect(line![carets!.indexOf('^')]).toBe('(');
      return;
    }
    throw new Error('parsed');
  });

  it('property: the characters above the carets are the start of the span', () => {
    const printable = fc.string({ unit: fc.constantFrom(...'abcxyz0123+-*/()^\'., '.split('')), maxLength: 300 });
    fc.assert(fc.property(printable, fc.nat(), fc.nat(), (src, a, b) => {
      const start = a % (src.length + 1);
      const end = start + (b % (src.length - start + 1));
      const lines = renderCaret(src, sp(start, end), 'msg').split('\n');
      expect(lines).toHaveLength(3);
      const [, line, carets] = lines as [string, string, string];
      expect(carets).toMatch(/^ *\^+$/);
      expect(line.length).toBeLessThanOrEqual(2 + 1 + 80 + 1);
      const col = carets.indexOf('^');
      const n = carets.length - col;
      if (start === src.length) {
        expect(col).toBe(line.length);
        expect(n).toBe(1);
        return;
      }
      const want = src.slice(start, Math.max(end, start + 1));
      const shown = line.slice(col, col + n);
      expect(want.startsWith(shown)).toBe(true);
      if (shown.length < want.length) expect(line[col + n]).toBe('…'); // the span runs past the window
    }), { numRuns: 500 });
  });
});
