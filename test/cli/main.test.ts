/** The real process: arguments, standard input, output streams and exit status. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = 'src/cli/main.ts';

const matcalc = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, input: input ?? '', encoding: 'utf8', timeout: 30_000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
};

describe('the matcalc process', () => {
  it('starts with a #! line for node', () => {
    expect(readFileSync(new URL(`../../${main}`, import.meta.url), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('prints its help and exits 0', () => {
    const r = matcalc(['derive', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: matcalc derive [options] [expr]');
    expect(r.stderr).toBe('');
  });

  it('reads a --json request from standard input and answers malformed JSON with one JSON object, exit 1', () => {
    const r = matcalc(['derive', '--json'], '{"expr": "x\'*x", "vars": ');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'bad-json', in: 'request', start: null, end: null } });
  });

  it('writes a plain error to standard error with the argument and a caret, exit 1', () => {
    const r = matcalc(['eval', 'X', '--var', 'X']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error[bad-request]: in --var 'X': no '=' in it: write NAME=KIND, such as --var X=matrix or --var 'a=vector(n)'\n  X\n  ^\n");
  });
});
