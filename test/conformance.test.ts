// The contract kit of ../shared/conformance, run against the built CLI: the JSON answers and the error form.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const kit = resolve(__dirname, '../../shared/conformance');
const root = resolve(__dirname, '..');

describe.runIf(existsSync(kit))('conformance kit', () => {
  it('builds the CLI', () => {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
  }, 120_000);
  for (const script of ['run_oracle.py', 'run_errors.py']) {
    it(script, () => {
      const r = spawnSync('python3', [resolve(kit, script), '--jobs', '2'], { cwd: root, encoding: 'utf8' });
      const last = r.stdout.trim().split('\n').pop() ?? '';
      expect(last, r.stdout + r.stderr).toMatch(/^\d+ passed, 0 failed$/);
      expect(r.status).toBe(0);
    }, 300_000);
  }
});
