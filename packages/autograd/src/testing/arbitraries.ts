/**
 * fast-check arbitraries for shapes and tensors. Every one shrinks towards small cases: shapes towards
 * scalars, values towards 0 (or the nearest allowed value), so a failing property ends on a tiny example.
 */
import fc from 'fast-check';
import { ChainruleError, sizeOf, tensor as makeTensor } from '../index.js';
import type { DType, Domain, Shape, Tensor } from '../index.js';

/** Bounds of the shapes drawn. */
export interface ShapeOptions {
  readonly minRank?: number;
  /** Default 3. */
  readonly maxRank?: number;
  /** Default 1 (no empty tensors). */
  readonly minDim?: number;
  /** Default 3. */
  readonly maxDim?: number;
}

/** A shape: rank in [minRank, maxRank], dimensions in [minDim, maxDim]. */
export function shape(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: options.minDim ?? 1, max: options.maxDim ?? 3 }), {
    minLength: options.minRank ?? 0,
    maxLength: options.maxRank ?? 3,
  });
}

/**
 * `n` shapes that broadcast together (NumPy rules): each is a common shape with some leading axes dropped
 * and some dimensions set to 1.
 */
export function broadcastableShapes(n: number, options: ShapeOptions = {}): fc.Arbitrary<number[][]> {
  const maxRank = options.maxRank ?? 3;
  const operand = fc.record({
    drop: fc.nat({ max: maxRank }),
    ones: fc.array(fc.boolean(), { minLength: maxRank, maxLength: maxRank }),
  });
  return fc
    .tuple(shape(options), fc.array(operand, { minLength: n, maxLength: n }))
    .map(([common, operands]) =>
      operands.map(({ drop, ones }) =>
        common.slice(Math.min(drop, common.length)).map((d, i) => (ones[i] ? 1 : d)),
      ),
    );
}

/** What `tensor()` draws. */
export interface TensorOptions {
  /** A fixed shape or an arbitrary of shapes (default `shape()`). */
  readonly shape?: Shape | fc.Arbitrary<Shape>;
  /** Default float64. */
  readonly dtype?: DType;
  /** Open interval of the values; a missing side defaults to ±2. */
  readonly domain?: Domain;
  /** Points to keep away from (kinks), by `margin`. */
  readonly avoid?: readonly number[];
  /** Distance kept from the domain's ends and from `avoid` (default 1e-3). */
  readonly margin?: number;
}

/** The closed range values are drawn from: the domain (default (−2, 2)) shrunk by the margin. */
export function valueRange(domain: Domain = {}, margin = 1e-3): { min: number; max: number } {
  const min = (domain.min ?? -2) + margin;
  const max = (domain.max ?? 2) - margin;
  if (!(min < max)) {
    throw new ChainruleError(
      'tensor arbitrary',
      `domain (${domain.min}, ${domain.max}) is empty after keeping a margin of ${margin}`,
      'widen the domain or lower the margin',
    );
  }
  return { min, max };
}

/** Grid points per half of a value range: values are spread evenly, not clustered at tiny magnitudes. */
const GRID = 1 << 20;

/**
 * Values spread evenly over the domain (a fine grid from its middle outwards, so they shrink towards the
 * middle — 0 for the default domain), pushed `margin` away from each point of `avoid`.
 */
export function values(
  domain: Domain = {},
  avoid: readonly number[] = [],
  margin = 1e-3,
): fc.Arbitrary<number> {
  const { min, max } = valueRange(domain, margin);
  const mid = (min + max) / 2;
  const half = (max - min) / 2;
  return fc.integer({ min: -GRID, max: GRID }).map((k) => {
    const v = mid + (half * k) / GRID;
    for (const p of avoid) if (Math.abs(v - p) < margin) return v >= p ? p + margin : p - margin;
    return v;
  });
}

function fill(shape: Shape, dtype: DType, value: fc.Arbitrary<number>): fc.Arbitrary<Tensor> {
  const size = sizeOf(shape);
  return fc
    .array(value, { minLength: size, maxLength: size })
    .map((vs) => makeTensor(Float64Array.from(vs), { shape: [...shape], dtype }));
}

/** A constant tensor with values in `domain`, kept away from `avoid`. */
export function tensor(options: TensorOptions = {}): fc.Arbitrary<Tensor> {
  const dtype = options.dtype ?? 'float64';
  const margin = options.margin ?? 1e-3;
  const value =
    dtype === 'int32'
      ? fc.integer({ min: Math.ceil(options.domain?.min ?? -2), max: Math.floor(options.domain?.max ?? 2) })
      : values(options.domain, options.avoid, margin);
  const s = options.shape ?? shape();
  return s instanceof fc.Arbitrary ? s.chain((fixed) => fill(fixed, dtype, value)) : fill(s, dtype, value);
}

/**
 * Tensors of the given shapes whose values are all distinct, at least (max − min) / 80 apart (and
 * never 0 when the domain is symmetric about 0):
 * inputs for ops whose derivative jumps at ties (maximum, max, comparisons).
 */
export function distinctTensors(shapes: readonly Shape[], domain: Domain = {}): fc.Arbitrary<Tensor[]> {
  const { min, max } = valueRange(domain, 0);
  const slots = 80;
  const sizes = shapes.map(sizeOf);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > slots) {
    throw new ChainruleError(
      'distinctTensors',
      `${total} values requested`,
      `keep the shapes under ${slots} elements`,
    );
  }
  return fc.uniqueArray(fc.nat({ max: slots - 1 }), { minLength: total, maxLength: total }).map((ks) => {
    let offset = 0;
    return shapes.map((s, i) => {
      const data = Float64Array.from(
        ks.slice(offset, offset + sizes[i]),
        (k) => min + ((k + 0.5) * (max - min)) / slots,
      );
      offset += sizes[i];
      return makeTensor(data, { shape: [...s] });
    });
  });
}
