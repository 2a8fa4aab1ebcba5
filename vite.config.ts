/** The web page (src/web), built to web-dist/ at the repository's root; served by `matcalc serve`. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./src/web'),
  // Relative asset paths: the built folder works wherever it is served from.
  base: './',
  build: {
    outDir: here('./web-dist'),
    emptyOutDir: true,
    target: 'es2022',
    // KaTeX's fonts stay separate files (the browser loads only the woff2 it needs).
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 5173 },
});
