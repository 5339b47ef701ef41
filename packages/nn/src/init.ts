/**
 * Seeded weight initializers. Each one is a small serialisable description (`spec`) plus `create`, which
 * draws a tensor from a seed; the same seed gives bit-identical weights.
 */
import type { DType, Seed, Shape, Tensor } from '@chainrule/autograd';
import { FormatError, full, rand, randn } from '@chainrule/autograd';

/** The JSON form of an initializer, stored in a model's architecture. */
export interface InitializerSpec {
  readonly name: string;
  readonly [option: string]: number | string;
}

/** What an initializer needs besides the shape: a seed, a dtype and the layer's fan-in and fan-out. */
export interface InitContext {
  readonly seed: Seed;
  readonly dtype: DType;
  readonly fanIn: number;
  readonly fanOut: number;
}

/** A way to fill a new parameter tensor. */
export interface Initializer {
  readonly spec: InitializerSpec;
  create(shape: Shape, context: InitContext): Tensor;
}

function uniformBetween(spec: InitializerSpec, bound: (c: InitContext) => [number, number]): Initializer {
  return {
    spec,
    create: (shape, c) => {
      const [low, high] = bound(c);
      return rand(shape, { seed: c.seed, dtype: c.dtype, low, high });
    },
  };
}

function normalWith(spec: InitializerSpec, moments: (c: InitContext) => [number, number]): Initializer {
  return {
    spec,
    create: (shape, c) => {
      const [mean, std] = moments(c);
      return randn(shape, { seed: c.seed, dtype: c.dtype, mean, std });
    },
  };
}

/** All zeros (the default for biases). */
export function zeros(): Initializer {
  return constant(0);
}

/** Every entry equal to `value`. */
export function constant(value: number): Initializer {
  return { spec: { name: 'constant', value }, create: (shape, c) => full(shape, value, { dtype: c.dtype }) };
}

/** Uniform in [low, high); the default [0, 1) is the lecture's `np.random.rand`. */
export function uniform(low = 0, high = 1): Initializer {
  return uniformBetween({ name: 'uniform', low, high }, () => [low, high]);
}

/** Normal with the given mean and standard deviation. */
export function normal(mean = 0, std = 1): Initializer {
  return normalWith({ name: 'normal', mean, std }, () => [mean, std]);
}

/** Xavier/Glorot uniform: U(−l, l) with l = √(6 / (fanIn + fanOut)). */
export function glorotUniform(): Initializer {
  return uniformBetween({ name: 'glorotUniform' }, ({ fanIn, fanOut }) => {
    const l = Math.sqrt(6 / (fanIn + fanOut));
    return [-l, l];
  });
}

/** Xavier/Glorot normal: N(0, 2 / (fanIn + fanOut)), untruncated as in PyTorch. */
export function glorotNormal(): Initializer {
  return normalWith({ name: 'glorotNormal' }, ({ fanIn, fanOut }) => [0, Math.sqrt(2 / (fanIn + fanOut))]);
}

/** He/Kaiming uniform for ReLU layers: U(−l, l) with l = √(6 / fanIn). */
export function heUniform(): Initializer {
  return uniformBetween({ name: 'heUniform' }, ({ fanIn }) => {
    const l = Math.sqrt(6 / fanIn);
    return [-l, l];
  });
}

/** He/Kaiming normal for ReLU layers: N(0, 2 / fanIn). */
export function heNormal(): Initializer {
  return normalWith({ name: 'heNormal' }, ({ fanIn }) => [0, Math.sqrt(2 / fanIn)]);
}

/** LeCun uniform: U(−l, l) with l = √(3 / fanIn). */
export function lecunUniform(): Initializer {
  return uniformBetween({ name: 'lecunUniform' }, ({ fanIn }) => {
    const l = Math.sqrt(3 / fanIn);
    return [-l, l];
  });
}

/** LeCun normal: N(0, 1 / fanIn). */
export function lecunNormal(): Initializer {
  return normalWith({ name: 'lecunNormal' }, ({ fanIn }) => [0, Math.sqrt(1 / fanIn)]);
}

/** Xavier is Glorot's other name. */
export const xavierUniform = glorotUniform;
/** Xavier is Glorot's other name. */
export const xavierNormal = glorotNormal;
/** Kaiming is He's other name. */
export const kaimingUniform = heUniform;
/** Kaiming is He's other name. */
export const kaimingNormal = heNormal;

function numberOption(spec: InitializerSpec, key: string): number {
  const v = spec[key];
  if (typeof v !== 'number') {
    throw new FormatError(
      'initializer',
      `'${spec.name}' needs a numeric '${key}', got ${JSON.stringify(v)}`,
      'the architecture JSON is probably damaged',
    );
  }
  return v;
}

/** Rebuilds an initializer from its spec (as stored in a saved architecture). */
export function fromSpec(spec: InitializerSpec): Initializer {
  switch (spec.name) {
    case 'constant':
      return constant(numberOption(spec, 'value'));
    case 'uniform':
      return uniform(numberOption(spec, 'low'), numberOption(spec, 'high'));
    case 'normal':
      return normal(numberOption(spec, 'mean'), numberOption(spec, 'std'));
    case 'glorotUniform':
      return glorotUniform();
    case 'glorotNormal':
      return glorotNormal();
    case 'heUniform':
      return heUniform();
    case 'heNormal':
      return heNormal();
    case 'lecunUniform':
      return lecunUniform();
    case 'lecunNormal':
      return lecunNormal();
    default:
      throw new FormatError(
        'initializer',
        `unknown initializer '${spec.name}'`,
        'use constant, uniform, normal, glorot*, he* or lecun*',
      );
  }
}
