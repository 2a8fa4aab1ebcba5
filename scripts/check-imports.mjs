#!/usr/bin/env node
// Imports flow one way (STYLE.md): ir at the bottom; lang, diff, simplify, print, numeric, ad on it;
// api composing them; cli and web on api. Fails on a forbidden folder edge or any cycle between files.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');
const ALLOWED = {
  ir: [],
  lang: ['ir'],
  numeric: ['ir'],
  diff: ['ir'],
  simplify: ['ir'],
  print: ['ir'],
  ad: ['ir', 'numeric'],
  api: ['ir', 'lang', 'numeric', 'diff', 'simplify', 'print', 'ad'],
  cli: ['api', 'ir', 'lang'],
  web: ['api', 'ir', 'lang'],
  '.': ['api', 'ir', 'lang', 'numeric', 'diff', 'simplify', 'print', 'ad'],
};

const files = [];
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(f)) files.push(p);
  }
};
walk(root);

const folderOf = (p) => { const r = relative(root, p).split('/'); return r.length > 1 ? r[0] : '.'; };
const graph = new Map();
const problems = [];
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const deps = [];
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2];
    const target = resolve(dirname(f), spec).replace(/\.js$/, '.ts');
    deps.push(target);
    const a = folderOf(f), b = folderOf(target);
    if (a !== b && !(ALLOWED[a] ?? []).includes(b)) problems.push(`${relative(root, f)} imports ${relative(root, target)}: ${a}/ may not import ${b}/`);
  }
  graph.set(f, deps);
}
// cycles between files
const state = new Map();
const stack = [];
const visit = (f) => {
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f) ?? []) {
    if (!graph.has(d)) continue;
    if (state.get(d) === 1) problems.push(`cycle: ${[...stack.slice(stack.indexOf(d)), d].map((x) => relative(root, x)).join(' -> ')}`);
    else if (!state.has(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
};
for (const f of files) if (!state.has(f)) visit(f);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`imports: ${files.length} files, no cycles, layers respected`);
