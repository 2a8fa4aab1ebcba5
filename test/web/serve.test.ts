import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, serveCommand, type Served } from '../../src/cli/serve.js';

let dir: string;
let s: Served;

/** A raw GET (fetch would normalise `..` away before it reaches the server). */
const get = (url: string, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> =>
  new Promise((ok, no) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', no);
    req.end();
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'matcalc-serve-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(dir, 'assets', 'f.woff2'), 'font');
  writeFileSync(join(dir, '..', 'matcalc-secret.txt'), 'secret');
  s = await serve(dir, 0);
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(dir, '..', 'matcalc-secret.txt'), { force: true });
});

describe('serve', () => {
  it('serves the folder on 127.0.0.1 with the right types', async () => {
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(s.url, '/?expr=x');
    expect([index.status, index.type, index.body]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>t</title>']);
    expect((await get(s.url, '/assets/a.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get(s.url, '/assets/f.woff2')).type).toBe('font/woff2');
    expect((await get(s.url, '/assets/a.js', 'HEAD')).body).toBe('');
  });

  it('reads nothing outside the folder', async () => {
    expect((await get(s.url, '/nope.js')).status).toBe(404);
    expect((await get(s.url, '/../matcalc-secret.txt')).status).not.toBe(200);
    expect((await get(s.url, '/%2e%2e/matcalc-secret.txt')).status).toBe(404);
    expect((await get(s.url, '/%2F..%2Fmatcalc-secret.txt')).status).toBe(403);
    expect((await get(s.url, '/assets')).status).toBe(404);
    expect((await get(s.url, '/', 'POST')).status).toBe(405);
  });

  it('refuses a folder with no page, and a port in use', async () => {
    await expect(serve(join(dir, 'assets'), 0)).rejects.toThrow(/web:build/);
    const port = Number(new URL(s.url).port);
    await expect(serve(dir, port)).rejects.toThrow(/EADDRINUSE/);
  });

  it('says where the page is', async () => {
    const lines: string[] = [];
    const t = await serveCommand(0, dir, (l) => lines.push(l));
    expect(lines).toEqual([`matcalc: the page is at ${t.url} (Ctrl-C stops it)`]);
    await t.close();
  });
});
