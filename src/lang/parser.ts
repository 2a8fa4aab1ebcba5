/** The parser of the expression language (LANGUAGE.md, Grammar):
 *
 *    expr    := term (('+' | '-') term)*                 n-ary 'sum'
 *    term    := unary (('*' | '/' | '.*' | './') unary)*   n-ary 'product'
 *    unary   := '-' unary | power
 *    power   := postfix (('^' | '.^') unary)?            right associative
 *    postfix := atom "'"*                                'transpose' with a count
 *    atom    := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
 *
 *  It is recursive descent with the recursion made explicit: a stack of frames,
 *  one per open parenthesis or call, each holding the sum and the product being
 *  built and the chain of prefixes ('-' and 'base ^') waiting for their operand.
 *  So the native stack stays flat whatever the input, and chains of any length
 *  (sums, products, transposes) are loops.
 *
 *  A parenthesis, a call, a unary minus and an exponent each open a nesting
 *  level; the 1001st level is refused with 'too-deep' at the token that opens
 *  it, before anything deeper is read. */
import { MatcalcError, fail as raise, type Span } from '../ir/errors.js';
import type { Ast, ProductFactor, SumTerm } from './ast.js';
import { Lexer, describe, quote, type TokenKind } from './lexer.js';

/** The deepest nesting accepted: parentheses, calls, unary minus and exponents each add a level. */
export const MAX_DEPTH = 1000;

/** A prefix waiting for its operand: a unary minus, or a base and its '^' / '.^'. */
type Link = { neg: Span } | { base: Ast; op: '^' | '.^'; opSpan: Span };

/** What is being built inside one parenthesis, one call, or the whole expression.
 *  A sum (a product) gets its array at its second term (factor): a lone operand costs nothing. */
interface Frame {
  /** The '(' that opened the frame; null for the whole expression. */
  open: Span | null;
  /** The function's name, for the arguments of a call. */
  name: { text: string; span: Span } | null;
  args: Ast[];
  /** The first term, or null before it is complete; then all terms once there are two. */
  term0: Ast | null;
  terms: SumTerm[] | null;
  /** The '+' or '-' before the term being read (when it is not the first). */
  sign: 1 | -1;
  signSpan: Span | null;
  factor0: Ast | null;
  factors: ProductFactor[] | null;
  /** The operator before the factor being read (when it is not the first). */
  op: ProductFactor['op'];
  opSpan: Span | null;
  /** The prefixes of the factor being read. */
  chain: Link[];
}

const frame = (open: Span | null, name: Frame['name']): Frame => ({
  open, name, args: [], term0: null, terms: null, sign: 1, signSpan: null,
  factor0: null, factors: null, op: '*', opSpan: null, chain: [],
});

const fail = (message: string, at: Span): never => raise('parse-error', message, at);

const isBinary = (k: TokenKind): boolean =>
  k === '+' || k === '*' || k === '/' || k === '.*' || k === './' || k === '^' || k === '.^';

class Parser {
  private readonly lx: Lexer;
  private readonly frames: Frame[] = [frame(null, null)];
  private depth = 0;
  /** The token consumed last, for messages ("after '+'"). */
  private prevKind: TokenKind | null = null;
  private prevStart = 0;
  private prevEnd = 0;

  constructor(private readonly src: string) {
    this.lx = new Lexer(src);
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  /** The current token's span, and a move to the next token. */
  private advance(): Span {
    const lx = this.lx;
    this.prevKind = lx.kind;
    this.prevStart = lx.start;
    this.prevEnd = lx.end;
    const span = { start: lx.start, end: lx.end };
    lx.next();
    return span;
  }

  /** Opens a nesting level at the current token, or refuses the input as too deep. */
  private enter(): void {
    if (this.depth >= MAX_DEPTH) {
      const lx = this.lx;
      throw new MatcalcError('too-deep',
        `the expression nests deeper than ${MAX_DEPTH} levels (parentheses, calls, unary minus, powers) at ${quote(lx.text)} (offset ${lx.start}); simplify it or split it into parts`,
        'expr', { start: lx.start, end: lx.end });
    }
    this.depth++;
  }

  parse(): Ast {
    const lx = this.lx;
    if (this.lx.kind === 'end') return fail('the expression is empty: write one, such as "x\'*A*x"', { start: 0, end: 0 });
    for (;;) {
      let ast = this.operand();
      for (;;) {
        ast = this.postfix(ast);
        const top = this.top;
        const k: TokenKind = lx.kind;
        if (k === '^' || k === '.^') {
          this.enter();
          top.chain.push({ base: ast, op: k, opSpan: this.advance() });
          break;
        }
        this.endFactor(top, ast);
        if (k === '*' || k === '/' || k === '.*' || k === './') {
          top.op = k;
          top.opSpan = this.advance();
          break;
        }
        this.endTerm(top);
        if (k === '+' || k === '-') {
          top.sign = k === '+' ? 1 : -1;
          top.signSpan = this.advance();
          break;
        }
        const expr = this.endExpr(top);
        if (k === ',' && top.name !== null) {
          top.args.push(expr);
          this.advance();
          break;
        }
        if (k === ')' && top.open !== null) {
          ast = this.close(top, expr, this.advance());
          continue;
        }
        if (k === 'end' && top.open === null) return expr;
        return this.unexpected(top);
      }
    }
  }

  /** Reads prefixes ('-'), opening parentheses and calls up to an atom, and returns the atom. */
  private operand(): Ast {
    const lx = this.lx;
    for (;;) {
      switch (lx.kind) {
        case '-':
          this.enter();
          this.top.chain.push({ neg: this.advance() });
          break;
        case '(':
          this.enter();
          this.frames.push(frame(this.advance(), null));
          break;
        case 'num': {
          const value = lx.value;
          const text = lx.text;
          return { type: 'num', value, text, span: this.advance() };
        }
        case 'name': {
          const name = lx.text;
          const span = this.advance();
          if ((lx.kind as TokenKind) !== '(') return { type: 'name', name, span };
          this.enter();
          this.frames.push(frame(this.advance(), { text: name, span }));
          break;
        }
        default:
          return this.missingOperand();
      }
    }
  }

  /** The atom with the transposes that follow it. */
  private postfix(arg: Ast): Ast {
    const lx = this.lx;
    let count = 0;
    let end = arg.span.end;
    while (lx.kind === "'") {
      end = this.advance().end;
      count++;
    }
    return count === 0 ? arg : { type: 'transpose', arg, count, span: { start: arg.span.start, end } };
  }

  /** Applies the waiting prefixes to a complete postfix, right to left, and adds the factor. */
  private endFactor(f: Frame, operand: Ast): void {
    let ast = operand;
    const chain = f.chain;
    for (let k = chain.length - 1; k >= 0; k--) {
      const link = chain[k]!;
      ast = 'neg' in link
        ? { type: 'neg', arg: ast, span: { start: link.neg.start, end: ast.span.end } }
        : { type: 'power', op: link.op, base: link.base, exponent: ast, opSpan: link.opSpan, span: { start: link.base.span.start, end: ast.span.end } };
    }
    this.depth -= chain.length;
    chain.length = 0;
    if (f.factor0 === null) {
      f.factor0 = ast;
      return;
    }
    f.factors ??= [{ op: '*', factor: f.factor0, opSpan: null }];
    f.factors.push({ op: f.op, factor: ast, opSpan: f.opSpan });
  }

  private endTerm(f: Frame): void {
    const factors = f.factors;
    const first = f.factor0!;
    const term: Ast = factors === null ? first
      : { type: 'product', factors, span: { start: first.span.start, end: factors[factors.length - 1]!.factor.span.end } };
    f.factor0 = null;
    f.factors = null;
    if (f.term0 === null) {
      f.term0 = term;
      return;
    }
    f.terms ??= [{ sign: 1, term: f.term0, opSpan: null }];
    f.terms.push({ sign: f.sign, term, opSpan: f.signSpan });
  }

  private endExpr(f: Frame): Ast {
    const terms = f.terms;
    const first = f.term0!;
    f.term0 = null;
    f.terms = null;
    return terms === null ? first
      : { type: 'sum', terms, span: { start: first.span.start, end: terms[terms.length - 1]!.term.span.end } };
  }

  /** Closes the frame f with its last expression at the ')' `end`: a parenthesis or a call. */
  private close(f: Frame, expr: Ast, end: Span): Ast {
    this.frames.pop();
    this.depth--;
    const open = f.open!;
    if (f.name === null) return { type: 'paren', inner: expr, span: { start: open.start, end: end.end } };
    f.args.push(expr);
    return { type: 'call', name: f.name.text, nameSpan: f.name.span, args: f.args, span: { start: f.name.span.start, end: end.end } };
  }

  /** A complete operand is followed by something that cannot follow it. */
  private unexpected(f: Frame): never {
    const lx = this.lx;
    const found = describe(lx.kind, lx.text);
    const here = { start: lx.start, end: lx.end };
    const missingOp = lx.kind === 'name' || lx.kind === 'num' || lx.kind === '(';
    const prev = this.src.slice(this.prevStart, this.prevEnd);
    const hint = !missingOp ? ''
      : this.prevKind === 'num' && lx.kind === 'name' && this.prevEnd === lx.start ? `; to multiply, write '${prev}*${lx.text}'`
        : " (is an operator such as '*' missing?)";
    const open = f.open;
    if (open === null) {
      if (lx.kind === ')') return fail("unmatched ')': there is no '(' before it to close", here);
      if (lx.kind === ',') return fail("unexpected ',' outside the arguments of a function call", here);
      return fail(`expected an operator or the end of the expression after ${describe(this.prevKind!, prev)}, found ${found}${hint}`, here);
    }
    const what = f.name === null
      ? `')' to close the '(' at ${open.start}`
      : `')' or ',' in the arguments of ${quote(f.name.text)} opened at ${open.start}`;
    if (lx.kind === 'end') return fail(`expected ${what}, found end of input: the '(' is never closed`, open);
    if (lx.kind === ',') return fail(`expected ${what}, found ',': only a function call takes a list of arguments`, here);
    return fail(`expected ${what}, found ${found}${hint}`, here);
  }

  /** An operand was expected at the current token and is not there: say what came before. */
  private missingOperand(): never {
    const lx = this.lx;
    const found = describe(lx.kind, lx.text);
    const here = { start: lx.start, end: lx.end };
    const p = this.prevKind;
    const prev = quote(this.src.slice(this.prevStart, this.prevEnd));
    if (p === null) {
      return fail(`expected an expression, found ${found}${isBinary(lx.kind) ? ', which has no left operand' : ''}`, here);
    }
    if (p === '(' || p === ',') {
      const inCall = this.top.name !== null;
      if (lx.kind === ')' && p === '(') {
        const what = inCall ? `${quote(this.top.name!.text)} needs at least one argument` : "empty parentheses '()'";
        return fail(`${what}: expected an expression after '(', found ')'`, { start: this.prevStart, end: lx.end });
      }
      return fail(`expected ${inCall ? 'an argument' : 'an expression'} after ${prev}, found ${found}`, here);
    }
    if (isBinary(lx.kind)) {
      return fail(`expected an operand after ${prev}, found ${found}: two operators in a row`, { start: this.prevStart, end: lx.end });
    }
    return fail(`expected an operand after ${prev}, found ${found}`, here);
  }
}

/** The syntax tree of src; or a MatcalcError, with its span: 'parse-error', 'too-deep'
 *  (nesting beyond MAX_DEPTH), 'not-finite' (a number that overflows to Infinity). */
export const parse = (src: string): Ast => new Parser(src).parse();
