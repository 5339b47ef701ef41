import { DTypeError, DataError, ShapeError, tensor } from '@chainrule/autograd';
import { MinMaxScaler, StandardScaler, californiaHousing, trainTestSplit } from '@chainrule/datasets';
import { describe, expect, it } from 'vitest';
import { calHousingPath } from './helpers.js';

const { features } = await californiaHousing({ path: calHousingPath });

/** Largest |a − b| / max(1, |b|) over all entries. */
function maxRelativeGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++)
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}

describe('scalers on California Housing', () => {
  const split = trainTestSplit(features, features, { seed: 7, testSize: 0.2 });

  it('transform then inverseTransform is the identity within 1e-12 (float64)', () => {
    for (const scaler of [
      StandardScaler.fit(split.xTrain),
      MinMaxScaler.fit(split.xTrain, { range: [-1, 1] }),
    ]) {
      for (const part of [split.xTrain, split.xTest]) {
        const back = scaler.inverseTransform(scaler.transform(part));
        expect(back.shape).toEqual(part.shape);
        // Relative to max(1, |x|): Population reaches 35,682, where one float64 ulp is already 7e-12.
        expect(maxRelativeGap(back.data, part.data)).toBeLessThan(1e-12);
      }
    }
  });

  it('learns from the training rows only: test rows change nothing', () => {
    const scaler = StandardScaler.fit(split.xTrain);
    const train = split.xTrain.toArray() as number[][];
    const all = features.toArray() as number[][];
    const meanOf = (rows: number[][], j: number): number => rows.reduce((s, r) => s + r[j], 0) / rows.length;
    for (let j = 0; j < 8; j++) {
      // Same sum in another order: 1e-12 relative.
      expect(Math.abs(scaler.mean[j] - meanOf(train, j))).toBeLessThan(1e-12 * Math.abs(meanOf(train, j)));
      expect(scaler.mean[j]).not.toBe(meanOf(all, j));
    }
    const before = Float64Array.from(scaler.mean);
    const z = scaler.transform(split.xTest);
    expect(Array.from(scaler.mean)).toEqual(Array.from(before));
    // The transformed training rows are standardised; the test rows only approximately.
    const zTrain = scaler.transform(split.xTrain).toArray() as number[][];
    const zTest = z.toArray() as number[][];
    for (let j = 0; j < 8; j++) {
      expect(Math.abs(meanOf(zTrain, j))).toBeLessThan(1e-12);
      expect(meanOf(zTest, j)).not.toBe(0);
    }
  });

  it('maps the training minimum and maximum onto the range', () => {
    const scaler = MinMaxScaler.fit(split.xTrain, { range: [-1, 1] });
    const scaled = scaler.transform(split.xTrain).toArray() as number[][];
    for (let j = 0; j < 8; j++) {
      const column = scaled.map((r) => r[j]);
      // (max − min)/(max − min) can be one ulp off 1.
      expect(Math.abs(Math.min(...column) + 1)).toBeLessThan(1e-15);
      expect(Math.abs(Math.max(...column) - 1)).toBeLessThan(1e-15);
    }
  });
});

describe('scaler edge cases', () => {
  it('keeps the dtype, scales a 1-D target, and leaves constant columns unscaled', () => {
    const x = tensor(Float32Array.from([1, 5, 3, 5]), { shape: [2, 2] });
    const scaled = StandardScaler.fit(x).transform(x);
    expect(scaled.dtype).toBe('float32');
    expect(Array.from(scaled.data)).toEqual([-1, 0, 1, 0]);
    const y = tensor([2, 4, 6]);
    expect(Array.from(MinMaxScaler.fit(y).transform(y).data)).toEqual([0, 0.5, 1]);
  });

  it('rejects int32 data, non-finite values, empty input and a column mismatch', () => {
    expect(() => StandardScaler.fit(tensor(Int32Array.from([1, 2])))).toThrow(DTypeError);
    expect(() => StandardScaler.fit(tensor([[1, NaN]]))).toThrow(/row 0, column 1 is not finite/);
    expect(() => MinMaxScaler.fit(tensor(new Float64Array(0), { shape: [0, 2] }))).toThrow(DataError);
    expect(() => MinMaxScaler.fit(tensor([1, 2]), { range: [1, 0] })).toThrow(DataError);
    const scaler = StandardScaler.fit(
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(() => scaler.transform(tensor([[1, 2, 3]]))).toThrow(ShapeError);
  });
});
