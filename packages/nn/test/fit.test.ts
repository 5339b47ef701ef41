import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Tensor } from '@chainrule/autograd';
import { DataError, ShapeError, bufferPoolStats, concat, randn, tensor } from '@chainrule/autograd';
import type { Params } from '../src/index.js';
import {
  TrainingError,
  adam,
  batchNorm,
  dense,
  dropout,
  evaluate,
  fit,
  l2,
  mse,
  predict,
  relu,
  sequential,
  sgd,
} from '../src/index.js';

/** Three Gaussian blobs in 2-D, 40 points each, labels 0..2. */
function blobs(seed: number) {
  const centres = [
    [0, 3],
    [3, -2],
    [-3, -2],
  ];
  const parts = centres.map((c, k) =>
    randn([40, 2], { seed: `${seed}/${k}` })
      .mul(0.7)
      .add(tensor(c)),
  );
  const x = concat(parts, 0).cast('float32');
  const y = tensor(Int32Array.from({ length: 120 }, (_, i) => Math.floor(i / 40)));
  return { x, y };
}

const classifier = () => sequential([dense(2, 16), relu(), dropout(0.1), batchNorm(16), dense(16, 3)]);

afterEach(() => vi.restoreAllMocks());

describe('fit', () => {
  it('learns three blobs; logs loss, accuracy and their validation twins per epoch', async () => {
    const model = classifier();
    const train = blobs(1);
    const validation = blobs(2);
    const result = await fit(model, train, {
      epochs: 15,
      batchSize: 16,
      optimizer: adam({ lr: 0.02 }),
      metrics: ['accuracy'],
      validation,
      seed: 3,
    });
    expect(Object.keys(result.history).sort()).toEqual(['accuracy', 'loss', 'valAccuracy', 'valLoss']);
    expect(result.history.loss).toHaveLength(15);
    expect(result.history.loss[14]).toBeLessThan(result.history.loss[0]);
    expect(result.history.valAccuracy[14]).toBeGreaterThan(0.9);
    expect(result.epochs).toBe(15);
    expect(result.stoppedEarly).toBe(false);
    // Batch norm's running statistics were folded in during training.
    expect((result.state.get('3.runningMean') as Tensor).toFlatArray().some((v) => v !== 0)).toBe(true);
    const scores = evaluate(model, result, validation, { metrics: ['accuracy'] });
    expect(scores.accuracy).toBe(result.history.valAccuracy[14]);
    expect(scores.loss).toBeCloseTo(result.history.valLoss[14], 6);
    expect(predict(model, result, validation.x, { batchSize: 7 }).shape).toEqual([120, 3]);
    // No graph survives training: parameters and optimizer slots are plain constants.
    expect([...result.params.values()].every((t) => t.kind === 'constant')).toBe(true);
    expect(result.optimizerState.slots.get('m')?.size).toBe(result.params.size);
    expect(
      [...(result.optimizerState.slots.get('m')?.values() ?? [])].every((t) => t.kind === 'constant'),
    ).toBe(true);
  });

  it('seeded runs are bit-identical; another seed differs', async () => {
    const run = (seed: number) =>
      fit(classifier(), blobs(1), {
        epochs: 3,
        batchSize: 16,
        optimizer: adam(),
        seed,
        validationSplit: 0.25,
      });
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    for (const key of a.params.keys()) {
      expect((b.params.get(key) as Tensor).data).toEqual((a.params.get(key) as Tensor).data);
    }
    expect((b.state.get('3.runningVar') as Tensor).data).toEqual(
      (a.state.get('3.runningVar') as Tensor).data,
    );
    expect(b.history).toEqual(a.history);
    expect(c.history.loss).not.toEqual(a.history.loss);
  });

  it('validationSplit holds out the last rows; callbacks see every batch and epoch and can stop', async () => {
    const batches: number[] = [];
    const epochs: number[] = [];
    const result = await fit(classifier(), blobs(1), {
      epochs: 10,
      batchSize: 32,
      validationSplit: 0.2,
      seed: 1,
      callbacks: [
        { onBatchEnd: ({ batch, size }) => void batches.push(batch * 100 + size) },
        {
          onEpochEnd: async ({ epoch, logs, stop }) => {
            epochs.push(epoch);
            expect(logs.valLoss).toBeDefined();
            if (epoch === 2) stop();
          },
        },
      ],
    });
    // 96 training rows in batches of 32, 3 epochs.
    expect(batches).toEqual([32, 132, 232, 32, 132, 232, 32, 132, 232]);
    expect(epochs).toEqual([0, 1, 2]);
    expect(result.epochs).toBe(3);
    expect(result.stoppedEarly).toBe(true);
  });

  it('early stopping with patience restores the best epoch’s weights', async () => {
    // Validation targets are the negated training targets: validation loss rises as training succeeds.
    const x = randn([32, 3], { seed: 1 });
    const y = x.matmul(tensor([[1], [2], [-1]]));
    const model = dense(3, 1, { dtype: 'float64' });
    const seen: Params[] = [];
    const result = await fit(
      model,
      { x, y },
      {
        epochs: 50,
        batchSize: 32,
        optimizer: sgd({ lr: 0.1 }),
        validation: { x, y: y.neg() },
        earlyStopping: { patience: 3, restoreBest: true },
        callbacks: [{ onEpochEnd: ({ params }) => void seen.push(params) }],
      },
    );
    expect(result.bestEpoch).toBe(0);
    expect(result.epochs).toBe(4);
    expect(result.stoppedEarly).toBe(true);
    expect(result.params).toBe(seen[0]);
  });

  it('a NaN loss stops training with a TrainingError giving the epoch and batch', async () => {
    const x = randn([40, 2], { seed: 1 });
    const values = new Float64Array(40);
    values[37] = NaN;
    const y = tensor(values, { shape: [40, 1] });
    const call = fit(
      dense(2, 1, { dtype: 'float64' }),
      { x, y },
      { epochs: 2, batchSize: 10, shuffle: false },
    );
    await expect(call).rejects.toThrow(TrainingError);
    await expect(
      fit(dense(2, 1, { dtype: 'float64' }), { x, y }, { epochs: 2, batchSize: 10, shuffle: false }),
    ).rejects.toThrow(/the loss is NaN at epoch 0, batch 3 \(rows 30–39/);
  });

  it('bad data is a typed error naming the problem', async () => {
    const model = sequential([dense(2, 3), dense(3, 3)]);
    const x = randn([4, 2], { seed: 1 });
    await expect(fit(model, { x, y: tensor(new Int32Array([0, 1, 2])) }, { epochs: 1 })).rejects.toThrow(
      ShapeError,
    );
    await expect(fit(model, { x, y: tensor(new Int32Array([0, 1, 2, 5])) }, { epochs: 1 })).rejects.toThrow(
      DataError,
    );
    await expect(fit(model, { x, y: tensor(new Int32Array([0, 1, 2, 5])) }, { epochs: 1 })).rejects.toThrow(
      /label 5 at row \d is out of range for 3 classes/,
    );
    await expect(
      fit(model, { x: randn([4, 5], { seed: 1 }), y: x }, { epochs: 1, loss: mse }),
    ).rejects.toThrow(/layer 0 dense\(2→3\): input of shape \[\d+,5\]/);
  });

  it('prints nothing when stdout is not a terminal (tests, CI, pipes)', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    await fit(
      dense(2, 1, { dtype: 'float64' }),
      { x: randn([8, 2], { seed: 1 }), y: randn([8, 1], { seed: 2 }) },
      {
        epochs: 2,
      },
    );
    expect(write).not.toHaveBeenCalled();
  });
});

describe('fit reuses buffers', () => {
  it('allocates no new arrays per step once training is in steady state, and trains the same', async () => {
    const wide = () => sequential([dense(2, 64), relu(), dense(64, 3)]);
    const fresh: number[] = [];
    const result = await fit(wide(), blobs(1), {
      epochs: 2,
      batchSize: 16,
      seed: 3,
      progress: false,
      callbacks: [{ onBatchEnd: () => void fresh.push(bufferPoolStats().freshArrays) }],
    });
    const perEpoch = fresh.length / 2;
    // The first steps fill the pool; from the third step of each epoch on, every array comes from it.
    for (let i = 3; i < perEpoch; i++) expect(fresh[i]).toBe(fresh[2]);
    for (let i = perEpoch + 2; i < fresh.length; i++) expect(fresh[i]).toBe(fresh[perEpoch + 1]);
    // The final weights were never recycled and are readable.
    for (const p of result.params.values()) expect(Number.isFinite(p.data[0])).toBe(true);
    expect(result.history.loss[1]).toBeLessThan(result.history.loss[0]);
  });
});

describe('fit never reuses weights that user code has seen', () => {
  it('the weights callbacks and early stopping kept stay readable and unchanged after later steps', async () => {
    const x = randn([64, 8], { seed: 1 });
    const y = x.matmul(randn([8, 1], { seed: 2 }));
    const model = sequential([dense(8, 16), relu(), dense(16, 1)]);
    const snapshots: number[][] = [];
    const kept: Params[] = [];
    const result = await fit(
      model,
      { x, y },
      {
        epochs: 6,
        batchSize: 8, // 8 steps per epoch: the steps after the first of each epoch recycle their inputs
        optimizer: sgd({ lr: 0.05 }),
        validation: { x, y: y.neg() },
        earlyStopping: { patience: 3, restoreBest: true },
        progress: false,
        callbacks: [
          {
            onEpochEnd: ({ params }) => {
              kept.push(params);
              snapshots.push(Array.from(params.get('0.weight')!.data));
            },
          },
        ],
      },
    );
    // Every epoch's weights (128 values: pooled sizes) still read as they were when the callback saw them.
    kept.forEach((params, epoch) =>
      expect(Array.from(params.get('0.weight')!.data)).toEqual(snapshots[epoch]),
    );
    expect(Array.from(result.params.get('0.weight')!.data)).toEqual(snapshots[result.bestEpoch!]);
  });
});

describe('fit on data that is not { x, y }', () => {
  it('is a DataError naming what it got, not a TypeError from inside', async () => {
    const model = sequential([dense(2, 3)]);
    const call = (data: unknown) => fit(model, data as Parameters<typeof fit>[1], { epochs: 1 });
    await expect(call(undefined)).rejects.toThrow(DataError);
    await expect(call(undefined)).rejects.toThrow(/fit: the data is undefined, not \{ x, y \} tensors/);
    await expect(call({ x: tensor([[1, 2]]) })).rejects.toThrow(/fit: the data is missing x or y/);
  });
});

describe('fit compiled with jit', () => {
  const run = (model: ReturnType<typeof sequential>, compile: boolean) =>
    fit(model, blobs(1), {
      epochs: 3,
      batchSize: 16, // 120 rows: seven batches of 16 and one of 8, two signatures to trace
      optimizer: adam({ lr: 0.02 }),
      metrics: ['accuracy'],
      regularizer: (p) => l2(p, 1e-3),
      seed: 3,
      compile,
    });
  const valuesOf = (tree: Params) => [...tree].map(([key, t]) => [key, Array.from(t.data)]);

  it('gives the eager bits: weights, batch-norm state and history, with a regularizer and metrics', async () => {
    const model = () => sequential([dense(2, 16), relu(), batchNorm(16), dense(16, 3)]);
    const compiled = await run(model(), true);
    const eager = await run(model(), false);
    expect(compiled.compiled).toBe(true);
    expect(eager.compiled).toBe(false);
    expect(compiled.history).toEqual(eager.history);
    expect(valuesOf(compiled.params)).toEqual(valuesOf(eager.params));
    expect(valuesOf(compiled.state)).toEqual(valuesOf(eager.state));
    expect(compiled.state.size).toBeGreaterThan(0);
  });

  it('compiles a model with dropout too: each step draws its masks from its key, as the eager step does', async () => {
    const withDropout = await run(classifier(), true);
    expect(withDropout.compiled).toBe(true);
    const eager = await run(classifier(), false);
    expect(valuesOf(withDropout.params)).toEqual(valuesOf(eager.params));
    expect(withDropout.history).toEqual(eager.history);
  });
});
