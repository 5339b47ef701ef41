/**
 * One parameter-free layer per activation function.
 */
import type { Tensor } from '@chainrule/autograd';
import * as ops from '@chainrule/autograd';
import * as functional from '../functional.js';
import { Module } from '../module.js';

function activation(type: string, label: string, fn: (x: Tensor) => Tensor, options = {}): Module {
  return new Module({ spec: { type, ...options }, label, run: (x) => fn(x) });
}

/** The identity: f(x) = x. */
export function linear(): Module {
  return activation('linear', 'linear', (x) => x);
}

/** Heaviside step: 1 for x > 0, else 0 (the perceptron's activation; its gradient is 0). */
export function step(): Module {
  return activation('step', 'step', ops.step);
}

/** The logistic sigmoid 1 / (1 + e⁻ˣ). */
export function sigmoid(): Module {
  return activation('sigmoid', 'sigmoid', ops.sigmoid);
}

/** The hyperbolic tangent. */
export function tanh(): Module {
  return activation('tanh', 'tanh', ops.tanh);
}

/** max(0, x). */
export function relu(): Module {
  return activation('relu', 'relu', ops.relu);
}

/** x for x > 0, αx otherwise; the lecture's max(0.1x, x) is leakyRelu(0.1). Default α = 0.01 as in PyTorch. */
export function leakyRelu(alpha = 0.01): Module {
  return activation('leakyRelu', `leakyRelu(${alpha})`, (x) => ops.leakyRelu(x, alpha), { alpha });
}

/** x for x > 0, α(eˣ − 1) otherwise. */
export function elu(alpha = 1): Module {
  return activation('elu', `elu(${alpha})`, (x) => ops.elu(x, alpha), { alpha });
}

/** exp(x) / Σ exp(x) along `axis` (default: the last, the classes). */
export function softmax(axis = -1): Module {
  return activation('softmax', 'softmax', (x) => ops.softmax(x, axis), { axis });
}

/** GELU, tanh approximation (see `functional.gelu`). */
export function gelu(): Module {
  return activation('gelu', 'gelu', functional.gelu);
}

/** SiLU / swish: x·σ(x). */
export function silu(): Module {
  return activation('silu', 'silu', functional.silu);
}
