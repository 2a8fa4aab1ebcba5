/** `matcalc serve`: the built web page (web-dist/) over plain HTTP on 127.0.0.1. Static files only;
 *  nothing outside the folder is ever read. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PORT = 5173;

/** The page folder `npm run web:build` writes: web-dist/ at the package root (from src/cli or dist/cli). */
export const defaultWebDir = (): string => fileURLToPath(new URL('../../web-dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export interface Served { url: string; close: () => Promise<void> }

/** Serves `dir` on 127.0.0.1:`port` (0 picks a free port). Rejects when the folder has no index.html
 *  or the port is taken. */
export async function serve(dir: string, port: number): Promise<Served> {
  const root = resolve(dir);
  const index = await stat(join(root, 'index.html')).catch(() => null);
  if (!index?.isFile()) throw new Error(`no page to serve: ${join(root, 'index.html')} is missing (run \`npm run web:build\` first)`);

  const server = createServer((req, res) => {
    handle(root, req, res).catch(() => send(res, 500, 'text/plain; charset=utf-8', 'internal error'));
  });
  await new Promise<void>((ok, no) => {
    server.once('error', no);
    server.listen(port, '127.0.0.1', () => { server.off('error', no); ok(); });
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () => new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-cache', head = false): void {
  if (res.headersSent) { res.end(); return; }
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': cache, 'X-Content-Type-Options': 'nosniff' });
  res.end(head ? undefined : body);
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed');
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', 'bad request');
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(root, '.' + path);
  if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
  const body = await readFile(file);
  // Hashed assets never change; the page itself is always revalidated.
  const cache = path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  send(res, 200, TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', body, cache, req.method === 'HEAD');
}

/** `matcalc serve [--port N]`: serves the built page and says where; the server runs until the
 *  process ends. */
export async function serveCommand(port: number = DEFAULT_PORT, dir: string = defaultWebDir(), log: (line: string) => void = console.log): Promise<Served> {
  const served = await serve(dir, port);
  log(`matcalc: the page is at ${served.url} (Ctrl-C stops it)`);
  return served;
}
