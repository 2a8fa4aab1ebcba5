/** The API: evaluate, derive, check. */
export type * from './types.js';
export { evaluate } from './evaluate.js';
export { derive } from './derive.js';
export { check } from './check.js';

