/** The JSON contract of CLI.md, as types. The CLI and the web page speak only these. */
export type Json = number | string | boolean | null | Json[] | { [k: string]: Json };
/** A value laid out by shape: a number (1 x 1), a flat array (r x 1), or rows. */
export type Value = number | number[] | number[][];
export type ShapeText = [string, string];

export interface EvalRequest {
  expr: string;
  vars: Record<string, string>;
  at?: Record<string, Value>;
}
export interface EvalAnswer {
  shapes: Record<string, ShapeText>;
  dims: Record<string, number>;
  shape: ShapeText;
  value: Value;
}

export type Mode = 'symbolic' | 'ad' | 'both';
export interface DeriveRequest {
  expr: string;
  vars: Record<string, string>;
  wrt: string;
  order?: 1 | 2;
  at?: Record<string, Value>;
  steps?: boolean;
  mode?: Mode;
  /** Also answer the derivative as code in this language (DeriveAnswer.code). */
  emit?: 'ts' | 'js' | 'numpy';
}
export type Kind = 'gradient' | 'jacobian' | 'differential' | 'hessian';
export interface Printed { text: string; latex: string; shape: ShapeText }
export interface Step { text: string; latex: string; rule: string; label: string }
export interface DeriveAnswer {
  kind: Kind;
  shapes: Record<string, ShapeText>;
  dims: Record<string, number>;
  function?: Printed;
  derivative?: Printed;
  value?: Value;
  derivativeValue?: Value;
  steps?: Step[];
  agreement?: number;
  /** The derivative as code, when the request asked for it with `emit`. */
  code?: string;
}

export interface CheckRequest {
  expr: string;
  vars: Record<string, string>;
  wrt: string;
  order?: 1 | 2;
  at?: Record<string, Value>;
  points?: number;
}
export interface CheckAnswer {
  verdict: 'pass' | 'fail';
  points: number;
  errors: { finiteDifferences: number | null; dual: number | null; oneByOne: number | null };
}
