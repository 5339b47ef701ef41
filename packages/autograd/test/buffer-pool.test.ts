import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GraphError,
  POOL_MIN_LENGTH,
  add,
  allOps,
  allocate,
  apply,
  bufferPoolStats,
  gradients,
  mul,
  recycle,
  sum,
  tensor,
  tidy,
  variable,
} from '../src/index.js';
import type { OpDef, Tensor } from '../src/index.js';
import { inDomainOf, tensor as tensorArb } from '../src/testing/index.js';
import { compiled } from '../src/kernels/wasm/runtime.js';

/** Where an array starts in the kernels' WebAssembly memory, or -1 for an ordinary array. */
const heapPointerOf = (array: ArrayBufferView) => compiled()!.heap.pointerOf(array);

const n = POOL_MIN_LENGTH * 3 + 1; // an unusual length, so no other test's arrays are in the pool for it

describe('tidy and recycle (buffer reuse)', () => {
  it('gives the arrays of intermediates back and hands the same arrays out again, zero-filled', () => {
    const x = tensor(new Float64Array(n).fill(2));
    let intermediate: Tensor | undefined;
    const result = tidy(
      () => {
        intermediate = mul(x, 3);
        return add(intermediate, 1);
      },
      (r) => [r],
    );
    expect(result.data[0]).toBe(7);
    expect(intermediate!.released).toBe(true);
    const before = bufferPoolStats();
    const again = allocate('float64', n);
    expect(bufferPoolStats().reusedArrays).toBe(before.reusedArrays + 1);
    expect(Array.from(again).every((v) => v === 0)).toBe(true);
    // It was the intermediate's array: the released tensor can no longer be read.
    expect(() => intermediate!.data).toThrow(GraphError);
    expect(String(intermediate)).toBe(`Tensor(released, shape=[${n}], dtype=float64)`);
    expect(() => add(intermediate!, 1)).toThrow(/was released/);
  });

  it("never reuses a caller's own array, and keeps what the result holds", () => {
    const own = new Float64Array(n).fill(1);
    const kept = tidy(
      () => {
        const wrapped = tensor(own);
        return { wrapped, doubled: mul(wrapped, 2) };
      },
      (r) => [r.doubled],
    );
    expect(kept.wrapped.released).toBe(false);
    expect(kept.doubled.data[5]).toBe(2);
    const next = allocate('float64', n);
    expect(next).not.toBe(own);
    expect(next).not.toBe(kept.doubled.data);
  });

  it('differentiates inside a scope and keeps only the gradients it returns', () => {
    const w = variable(new Float64Array(n).fill(0.5));
    const grads = tidy(
      () => gradients(sum(mul(mul(w, w), 3)), [w]),
      (gs) => gs,
    );
    expect(grads[0].data[0]).toBe(3);
    expect(w.released).toBe(false);
  });

  it('nested scopes leave what the inner one kept to the outer one', () => {
    const x = tensor(new Float64Array(n).fill(1));
    let inner: Tensor | undefined;
    const outer = tidy(
      () => {
        inner = tidy(
          () => add(x, 1),
          (r) => [r],
        );
        expect(inner.released).toBe(false);
        return mul(inner, 2);
      },
      (r) => [r],
    );
    expect(outer.data[0]).toBe(4);
    expect(inner!.released).toBe(true);
  });

  it('releases nothing when the scope throws', () => {
    const x = tensor(new Float64Array(n).fill(1));
    let made: Tensor | undefined;
    expect(() =>
      tidy(
        () => {
          made = add(x, 1);
          throw new Error('boom');
        },
        () => [],
      ),
    ).toThrow('boom');
    expect(made!.released).toBe(false);
  });

  it('recycle donates dead tensors except arrays that live ones share', () => {
    const a = add(tensor(new Float64Array(n)), 1);
    const b = add(tensor(new Float64Array(n)), 2);
    const alias = tensor(b.data, { shape: [n] });
    recycle([a, b], [alias]);
    expect(a.released).toBe(true);
    expect(b.released).toBe(false);
    expect(alias.data[0]).toBe(2);
  });

  it('leaves float arrays made outside any scope to the collector, so scopes keep getting WebAssembly arrays', () => {
    // Made outside a scope (an initial parameter): an ordinary array. Pooled, it would replace a WebAssembly
    // one in the next step and cost a copy into the kernels' memory and back in every kernel call on it.
    const length = n + 2;
    const outside = add(tensor(new Float32Array(length)), 1);
    expect(heapPointerOf(outside.data)).toBe(-1);
    const pooled = bufferPoolStats().pooledBytes;
    recycle([outside]);
    expect(outside.released).toBe(true);
    expect(bufferPoolStats().pooledBytes).toBe(pooled);
    const inside = tidy(
      () => add(tensor(new Float32Array(length)), 1),
      (r) => [r],
    );
    expect(heapPointerOf(inside.data)).toBeGreaterThanOrEqual(0);
    // One from the WebAssembly memory goes back to the pool when it dies.
    recycle([inside]);
    expect(bufferPoolStats().pooledBytes).toBe(pooled + length * 4);
  });
});

describe('ops that skip zero-filling (writesAll) on a poisoned pool', () => {
  /** Operands of ≥ 64 elements (pooled sizes) for an op that writes its whole output. */
  const bigOperands = (op: OpDef) => {
    const operand = (i: number, shape: number[]) => tensorArb({ shape, domain: op.domain?.[i] });
    if (op.name === 'matmul') {
      // 80 outputs; k = 9 runs the TypeScript loops (720 multiply-adds), k = 40 the SIMD kernel (3,200). Every
      // transpose combination.
      return fc
        .record({ transA: fc.boolean(), transB: fc.boolean(), k: fc.constantFrom(9, 40) })
        .chain(({ transA, transB, k }) =>
          fc
            .tuple(operand(0, transA ? [k, 8] : [8, k]), operand(1, transB ? [10, k] : [k, 10]))
            .map((inputs) => ({ inputs, attrs: { transA, transB } })),
        );
    }
    if (op.name === 'gather') {
      // 12 rows of 20 (long enough to be copied row by row) picked from 30, repeats allowed.
      const rows = fc
        .array(fc.nat({ max: 29 }), { minLength: 12, maxLength: 12 })
        .map((vs) => tensor(Int32Array.from(vs), { shape: [12] }));
      return fc.tuple(operand(0, [30, 20]), rows).map((inputs) => ({ inputs, attrs: { axis: 0 } }));
    }
    if (op.name === 'softmaxCrossEntropy') {
      // 80 rows of 5 logits, one label each.
      const labels = fc
        .array(fc.nat({ max: 4 }), { minLength: 80, maxLength: 80 })
        .map((vs) => tensor(Int32Array.from(vs), { shape: [80] }));
      return fc.tuple(operand(0, [80, 5]), labels).map((inputs) => ({ inputs, attrs: undefined }));
    }
    // Attributes as the op's own samples draw them; operands big enough to come from the pool.
    return inDomainOf(op, { maxRank: 0 }).chain(({ attrs }) =>
      (op.arity === 1
        ? fc.tuple(operand(0, [4, 4, 5]))
        : fc.tuple(operand(0, [4, 4, 5]), operand(1, [4, 1, 5]))
      ).map((inputs) => ({ inputs, attrs })),
    );
  };
  const poison = (dtype: 'float32' | 'float64') =>
    tidy(
      () => {
        for (let length = POOL_MIN_LENGTH; length <= 400; length++) allocate(dtype, length).fill(NaN);
      },
      () => [],
    );

  it('every such op gives the same bits inside a tidy scope, on arrays from a pool full of NaN, as outside', () => {
    const ops = allOps().filter((op) => op.writesAll);
    expect(ops.map((op) => op.name)).toEqual(expect.arrayContaining(['add', 'relu', 'addRelu', 'matmul']));
    fc.assert(
      fc.property(
        fc.constantFrom(...ops).chain((op) => bigOperands(op).map((sample) => ({ op, ...sample }))),
        ({ op, inputs, attrs }) => {
          const outside = apply(op, inputs, attrs);
          expect(outside.size).toBeGreaterThanOrEqual(POOL_MIN_LENGTH);
          poison(outside.dtype === 'float32' ? 'float32' : 'float64');
          const inside = tidy(
            () => apply(op, inputs, attrs),
            (r) => [r],
          );
          expect(Array.from(inside.data)).toEqual(Array.from(outside.data));
        },
      ),
      { numRuns: 80, seed: 23 },
    );
  });
});
