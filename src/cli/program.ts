/** The commands and options, with their help. Parsing only records what was
 *  asked (an Invocation); run.ts does the work. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { CommandName } from './request.js';

export interface Options {
  json?: boolean;
  var?: string[];
  at?: string;
  wrt?: string;
  order?: string;
  steps?: boolean;
  latex?: boolean;
  mode?: string;
  emit?: string;
  points?: string;
}

export interface Invocation { command: CommandName; expr: string | undefined; options: Options }

export interface Output { writeOut(s: string): void; writeErr(s: string): void }

const version = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const AT = `{"X": [[2,1],[0,3]], "a": [1,2]}`;

const KINDS = `Kinds: scalar, vector, matrix, symmetric, optionally with dimensions (names or
integers): vector(n), matrix(m,n), symmetric(n). Quote them in a shell:
--var 'X=matrix(n,n)'. Values in --at are JSON: a number, an array (a vector)
or an array of rows (a matrix).`;

const NEGATIVE = `An expression may start with '-': matcalc derive "-logdet(X)" --wrt X --var X=matrix.`;

const HELP: Record<'main' | CommandName, string> = {
  main: `
Examples:
  matcalc eval "a'*inv(X)*a" --var X=matrix --var a=vector --at '${AT}'
  matcalc derive "det(X+B)*log(a'*inv(X)*a) - tr(X)" --wrt X --var X=matrix --var B=matrix --var a=vector
  matcalc derive "logdet(X'*X)" --wrt X --var X=matrix --order 2 --steps
  matcalc check "logdet(X'*X)" --wrt X --var X=matrix
  matcalc derive --json < request.json
  matcalc serve --port 5173      the web page, on http://127.0.0.1:5173/

Run 'matcalc <command> --help' for a command's options and its --json request.

${KINDS}
`,
  eval: `
Examples:
  matcalc eval "a'*inv(X)*a" --var X=matrix --var a=vector --at '${AT}'
  matcalc eval "X*a" --var 'X=matrix(2,2)' --var 'a=vector(2)' --at '${AT}'
  echo '{"expr": "tr(X)", "vars": {"X": "matrix"}, "at": {"X": [[2,1],[0,3]]}}' | matcalc eval --json

With --json, standard input holds one request {"expr", "vars", "at"} and standard
output the answer {"shapes", "dims", "shape", "value"}, or {"error": {...}}, as
one JSON object. Exit status: 0, or 1 on bad input.

${NEGATIVE}

${KINDS}
`,
  derive: `
Examples:
  matcalc derive "a'*X*b" --wrt X --var X=matrix --var a=vector --var b=vector
  matcalc derive "det(X+B)*log(a'*inv(X)*a) - tr(X)" --wrt X \\
      --var X=matrix --var B=matrix --var a=vector --steps
  matcalc derive "logdet(X)" --wrt X --var X=matrix --order 2 --at '{"X": [[2,1],[0,3]]}'
  matcalc derive "x'*A*x" --wrt x --var A=matrix --var x=vector --latex
  matcalc derive "sum(exp(A*x))" --wrt x --var A=matrix --var x=vector --emit numpy
  matcalc derive --json < request.json

With --json, standard input holds one request:
  {"expr": "x'*A*x", "vars": {"x": "vector", "A": "matrix"}, "wrt": "x",
   "order": 1, "at": {"x": [1,2], "A": [[2,1],[0,3]]}, "steps": false, "mode": "symbolic"}
(order, at, steps, mode and emit are optional) and standard output the answer
{"kind", "shapes", "dims", "function", "derivative", "value", "derivativeValue",
"steps"}, or {"error": {...}}, as one JSON object. Exit status: 0, or 1 on bad input.

${NEGATIVE}

${KINDS}
`,
  check: `
Examples:
  matcalc check "logdet(X'*X)" --wrt X --var X=matrix
  matcalc check "a'*inv(X)*a" --wrt X --var X=matrix --var a=vector --order 2 --points 10
  matcalc check "x'*A*x" --wrt x --var A=matrix --var x=vector --at '{"x": [1,2], "A": [[2,1],[0,3]]}'
  matcalc check --json < request.json

Compares the symbolic derivative with central finite differences, with dual
numbers, and with the 1 x 1 reduction, at random points (or at --at).
Exit status: 0 on pass, 2 on fail, 1 on bad input.

With --json, standard input holds one request {"expr", "vars", "wrt", "order",
"at", "points"} and standard output {"verdict", "points", "errors"}, or
{"error": {...}}, as one JSON object.

${NEGATIVE}

${KINDS}
`,
};

const OPTION_HELP = {
  json: 'read the request as JSON on standard input; answer one JSON object',
  var: "declare a variable: X=matrix, a=vector(n), S=symmetric(n), s=scalar (repeat for each)",
  at: 'the values of the variables, as a JSON object (see the examples)',
  wrt: 'the variable to differentiate by',
  order: '1 for the first derivative (the default), 2 for the Hessian',
};

/** The program, writing through `out`, recording the command asked for in `onInvoke`. */
export const buildProgram = (out: Output, onInvoke: (inv: Invocation) => void): Command => {
  const program = new Command('matcalc')
    .description('Matrix calculus by differentials: gradients, Jacobians and Hessians of matrix expressions, derived, simplified, verified.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.writeOut(s), writeErr: (s) => out.writeErr(s) })
    .showHelpAfterError("(run with --help for the options and examples)")
    .addHelpText('after', HELP.main);
  program.helpCommand('help [command]', 'print the help of a command');

  const record = (command: CommandName) => (expr: string | undefined, options: Options): void =>
    onInvoke({ command, expr, options });

  program.command('eval')
    .summary('evaluate an expression')
    .description('Evaluate an expression at the values of --at, and print the value and its shape.')
    .argument('[expr]', 'the expression, in quotes')
    .option('--var <NAME=KIND>', OPTION_HELP.var, collect)
    .option('--at <JSON>', OPTION_HELP.at)
    .option('--json', OPTION_HELP.json)
    .addHelpText('after', HELP.eval)
    .action(record('eval'));

  program.command('derive')
    .summary('derive a gradient, Jacobian, differential or Hessian')
    .description('Derive the derivative of an expression by a variable: a gradient, Jacobian, differential or ' +
      'Hessian. Prints the function and the derivative as text (or LaTeX), the shapes of the ' +
      'variables, and with --at the numbers.')
    .argument('[expr]', 'the expression, in quotes')
    .option('--wrt <NAME>', OPTION_HELP.wrt)
    .option('--var <NAME=KIND>', OPTION_HELP.var, collect)
    .option('--order <1|2>', OPTION_HELP.order)
    .option('--at <JSON>', OPTION_HELP.at)
    .option('--steps', 'show the derivation step by step, with the rule of each step')
    .option('--latex', 'print LaTeX instead of text')
    .option('--mode <symbolic|ad|both>', 'symbolic (the default); ad: numbers by dual numbers (needs --at); both: symbolic, and its agreement with ad')
    .option('--emit <ts|js|numpy>', 'print only the derivative, as code in this language')
    .option('--json', OPTION_HELP.json)
    .addHelpText('after', HELP.derive)
    .action(record('derive'));

  program.command('check')
    .summary('check a derivative against finite differences and dual numbers')
    .description('Check the symbolic derivative against central finite differences, dual numbers and ' +
      'the 1 x 1 reduction, at random well-conditioned points or at --at.')
    .argument('[expr]', 'the expression, in quotes')
    .option('--wrt <NAME>', OPTION_HELP.wrt)
    .option('--var <NAME=KIND>', OPTION_HELP.var, collect)
    .option('--order <1|2>', OPTION_HELP.order)
    .option('--at <JSON>', OPTION_HELP.at)
    .option('--points <N>', 'the number of random points (default: the engine\'s)')
    .option('--json', OPTION_HELP.json)
    .addHelpText('after', HELP.check)
    .action(record('check'));

  // served by main.ts (a long-running server, not a request); declared here for --help
  program.command('serve')
    .summary('serve the web page on 127.0.0.1')
    .description('Serve the web page (built into web-dist/ by npm install) on 127.0.0.1, until stopped with Ctrl-C.')
    .option('--port <N>', 'the port (default 5173; 0 picks a free one)')
    .action(() => undefined);

  return program;
};
