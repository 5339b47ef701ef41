/**
 * Rebuilds a module from its JSON spec (the architecture stored in saved files).
 */
import type { DType } from '@chainrule/autograd';
import { FormatError } from '@chainrule/autograd';
import type { InitializerSpec } from '../init.js';
import { fromSpec as initializerFromSpec } from '../init.js';
import type { Module } from '../module.js';
import type { LayerSpec } from '../types.js';
import * as act from './activations.js';
import { batchNorm } from './batch-norm.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { maxout } from './maxout.js';
import { sequential } from './sequential.js';

function field<T>(spec: LayerSpec, key: string, check: (v: unknown) => boolean, kind: string): T {
  const v = spec[key];
  if (!check(v)) {
    throw new FormatError(
      'architecture',
      `layer '${spec.type}' needs ${kind} '${key}', got ${JSON.stringify(v)}`,
      'the architecture JSON is damaged or from another program',
    );
  }
  return v as T;
}

const num = (spec: LayerSpec, key: string) =>
  field<number>(spec, key, (v) => typeof v === 'number', 'a number');
const bool = (spec: LayerSpec, key: string) =>
  field<boolean>(spec, key, (v) => typeof v === 'boolean', 'a boolean');
const dtype = (spec: LayerSpec) =>
  field<DType>(spec, 'dtype', (v) => v === 'float32' || v === 'float64', "'float32' or 'float64'");
const init = (spec: LayerSpec, key: string) =>
  initializerFromSpec(
    field<InitializerSpec>(
      spec,
      key,
      (v) => typeof v === 'object' && v !== null && typeof (v as InitializerSpec).name === 'string',
      'an initializer',
    ),
  );

const builders: Record<string, (spec: LayerSpec) => Module> = {
  sequential: (s) =>
    sequential(field<LayerSpec[]>(s, 'layers', Array.isArray, 'a list of').map((l) => moduleFromSpec(l))),
  dense: (s) =>
    dense(num(s, 'inputs'), num(s, 'units'), {
      bias: bool(s, 'bias'),
      dtype: dtype(s),
      weightInit: init(s, 'weightInit'),
      biasInit: init(s, 'biasInit'),
      ...(s.activation === undefined
        ? {}
        : { activation: field<'relu'>(s, 'activation', (v) => v === 'relu', "'relu'") }),
    }),
  maxout: (s) =>
    maxout(num(s, 'inputs'), num(s, 'units'), num(s, 'pieces'), {
      dtype: dtype(s),
      weightInit: init(s, 'weightInit'),
      biasInit: init(s, 'biasInit'),
    }),
  batchNorm: (s) =>
    batchNorm(num(s, 'features'), {
      momentum: num(s, 'momentum'),
      epsilon: num(s, 'epsilon'),
      affine: bool(s, 'affine'),
      dtype: dtype(s),
    }),
  dropout: (s) => dropout(num(s, 'rate')),
  flatten: () => flatten(),
  linear: () => act.linear(),
  step: () => act.step(),
  sigmoid: () => act.sigmoid(),
  tanh: () => act.tanh(),
  relu: () => act.relu(),
  leakyRelu: (s) => act.leakyRelu(num(s, 'alpha')),
  elu: (s) => act.elu(num(s, 'alpha')),
  softmax: (s) => act.softmax(num(s, 'axis')),
  gelu: () => act.gelu(),
  silu: () => act.silu(),
};

/** The module described by `spec` (as produced by `module.spec`). */
export function moduleFromSpec(spec: LayerSpec): Module {
  const build = typeof spec === 'object' && spec !== null ? builders[spec.type] : undefined;
  if (!build) {
    throw new FormatError(
      'architecture',
      `unknown layer ${JSON.stringify(spec?.type ?? spec)}`,
      `known layers: ${Object.keys(builders).join(', ')}`,
    );
  }
  return build(spec);
}
