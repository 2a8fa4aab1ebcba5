/** The JavaScript baselines, loaded on demand: @jax-js/jax (float64 on its wasm device),
 *  TensorFlow.js (pure-JS CPU backend, float32 only), ml-matrix. A baseline that does not load
 *  is reported with the reason, and its rows are skipped. */
import { packageVersion } from './util.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Jax = any;
export type Tf = any;
export type MlMatrix = any;

export interface Loaded<T> {
  lib: T | null;
  version: string | null;
  /** Why the library is missing, if it is. */
  reason?: string;
  loadMs: number;
}

let jax: Promise<Loaded<Jax>> | null = null;
let tf: Promise<Loaded<Tf>> | null = null;
let ml: Promise<Loaded<MlMatrix>> | null = null;

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);

export function loadJax(): Promise<Loaded<Jax>> {
  jax ??= (async () => {
    const t0 = performance.now();
    const version = packageVersion('@jax-js/jax');
    try {
      // Node 20 has no Float16Array; jax-js only needs the name to exist (DEPENDENCIES.md).
      (globalThis as any).Float16Array ??= class Float16Array {};
      const name = '@jax-js/jax';
      const lib = await import(name);
      const devices: string[] = await lib.init('wasm');
      if (!devices.includes('wasm')) return { lib: null, version, reason: `jax-js started no wasm device (devices: ${devices.join(', ')})`, loadMs: performance.now() - t0 };
      lib.defaultDevice('wasm');
      return { lib, version, loadMs: performance.now() - t0 };
    } catch (e) {
      return { lib: null, version, reason: `@jax-js/jax did not load: ${errText(e)}`, loadMs: performance.now() - t0 };
    }
  })();
  return jax;
}

export function loadTf(): Promise<Loaded<Tf>> {
  tf ??= (async () => {
    const t0 = performance.now();
    const version = packageVersion('@tensorflow/tfjs');
    try {
      // TensorFlow.js prints a banner recommending tfjs-node (which cannot be installed here): hushed.
      const log = console.log, warn = console.warn;
      console.log = () => {};
      console.warn = () => {};
      let lib: Tf;
      try {
        const name = '@tensorflow/tfjs';
        lib = await import(name);
        await lib.setBackend('cpu');
        await lib.ready();
        lib.tensor1d([0]).dispose(); // the banner is printed on the first tensor

      } finally {
        console.log = log;
        console.warn = warn;
      }
      return { lib, version, loadMs: performance.now() - t0 };
    } catch (e) {
      return { lib: null, version, reason: `@tensorflow/tfjs did not load: ${errText(e)}`, loadMs: performance.now() - t0 };
    }
  })();
  return tf;
}

export function loadMl(): Promise<Loaded<MlMatrix>> {
  ml ??= (async () => {
    const t0 = performance.now();
    const version = packageVersion('ml-matrix');
    try {
      const name = 'ml-matrix';
      const lib = await import(name);
      return { lib, version, loadMs: performance.now() - t0 };
    } catch (e) {
      return { lib: null, version, reason: `ml-matrix did not load: ${errText(e)}`, loadMs: performance.now() - t0 };
    }
  })();
  return ml;
}
