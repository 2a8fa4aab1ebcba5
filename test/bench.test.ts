/** `npm run bench -- --quick` runs end to end and writes a report with the expected sections and
 *  ratios (to a temporary file: BENCHMARKS.md is left alone). Wall-clock times are never asserted. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RATIO = /\d+(?:\.\d+)?x/;

describe('bench --quick', () => {
  let dir = '';
  let md = '';
  let svg = '';
  let run: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'matcalc-bench-test-'));
    const out = path.join(dir, 'bench.md');
    run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'bench', 'run.ts'), '--quick', '--out', out], {
      cwd: ROOT, encoding: 'utf8', timeout: 280_000, env: { ...process.env, FORCE_COLOR: '0' },
    });
    if (existsSync(out)) md = readFileSync(out, 'utf8');
    const svgPath = path.join(dir, 'bench-families.svg');
    if (existsSync(svgPath)) svg = readFileSync(svgPath, 'utf8');
  }, 300_000);

  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('exits 0, reports progress on stderr and the file written on stdout', () => {
    expect(run.error).toBeUndefined();
    expect(run.status, String(run.stderr)).toBe(0);
    expect(String(run.stdout)).toMatch(/wrote .*bench\.md/);
    expect(String(run.stderr)).toMatch(/bench \[/);
  });

  it('has every section', () => {
    for (const h of ['# Benchmarks', '## Machine and versions', '## Targets', '## 1. Derivation', '### The suite', '### Growing families',
      '## 2. Evaluation of derivatives', '### Forward mode', '## 3. Numeric kernels', '## Where matcalc falls short']) {
      expect(md).toContain(h);
    }
    expect(md).toContain('quick mode');
  });

  it('names the machine and the versions', () => {
    expect(md).toContain(`${os.cpus().length} cores`);
    expect(md).toContain(process.version);
    for (const k of ['matcalc', '@jax-js/jax', '@tensorflow/tfjs', 'ml-matrix', 'sympy', 'numpy']) expect(md).toMatch(new RegExp(`\\| ${k.replace(/[/.]/g, '\\$&')} \\|`));
  });

  it('states each target with a measured ratio and a verdict', () => {
    const section = md.slice(md.indexOf('## Targets'), md.indexOf('## 1. Derivation'));
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| target') && !l.startsWith('|:'));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const target of ['exported gradient code within 1.5x', 'symbolic Hessians at least 10x', 'matrix product at least as fast', 'derivation at least 100x faster than SymPy']) {
      const row = rows.find((r) => r.includes(target));
      expect(row, target).toBeDefined();
      expect(row!).toMatch(/\*\*met\*\*|\*\*not met\*\*|not measured/);
      if (!row!.includes('not measured')) expect(row!.split('|')[2]).toMatch(RATIO);
    }
  });

  it('measures derivation sizes and the families', () => {
    const suite = md.slice(md.indexOf('### The suite'), md.indexOf('### Growing families'));
    expect(suite).toMatch(/\| `x'\*A\*x` \| x \| gradient \| [\d.]+ (?:µs|ms|s) /);
    const fam = md.slice(md.indexOf('### Growing families'), md.indexOf('## 2. Evaluation'));
    expect(fam).toMatch(/\| 5 \| \d+ \| \d+ \| \d+\.\d\d \| \d+ \|/); // k, f nodes, gradient nodes, ratio, Hessian nodes
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect(md).toContain('(bench-families.svg)');
  });

  it('compares the evaluation methods with the closed form', () => {
    const ev = md.slice(md.indexOf('## 2. Evaluation'), md.indexOf('## 3. Numeric kernels'));
    expect(ev).toContain('hand-written closed form');
    // the exported code's row is there (its correctness is test/print's business: a failing emitCode shows as 'failed' with the reason)
    expect(ev.split('\n').find((l) => l.startsWith('| matcalc: exported JS'))).toBeDefined();
    const evaluated = ev.split('\n').find((l) => l.startsWith('| matcalc: evaluate()'));
    expect(evaluated).toBeDefined();
    expect(evaluated!).toMatch(RATIO);
    expect(ev).toMatch(/\| finite differences of f \(central\) \| [\d.]+ (?:µs|ms|s)/);
  });

  it('reports kernels in GFLOP/s', () => {
    const k = md.slice(md.indexOf('## 3. Numeric kernels'), md.indexOf('## Where matcalc'));
    expect(k).toMatch(/\| matmul \| \d+ \| \d+\.\d\d \(/);
    expect(k).toMatch(/\| inv \| \d+ \| \d+\.\d\d \(/);
  });
});
