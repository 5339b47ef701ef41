/**
 * The helper thread must never hang its caller: a worker that does not finish its part in time is retired
 * with an error, and later products run on the calling thread.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { encodeModule, valType } from '../src/kernels/wasm/encoding.js';
import { FunctionBuilder, gt, i32, loop, repeatWhile, sub } from '../src/kernels/wasm/instructions.js';
import type { Helper } from '../src/kernels/wasm/threads.js';
import { startHelper } from '../src/kernels/wasm/threads.js';

/** A shared memory of one page (the project's lib settings do not declare WebAssembly). */
function sharedPage(): object {
  const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => object } }).WebAssembly;
  return new wasm.Memory({ initial: 1, maximum: 1, shared: true });
}

/** Sleeps the calling thread (Atomics.wait on a private cell). */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** A module with one function that counts `n` down to zero: a job that takes as long as we like. */
function spinModule(): Uint8Array {
  const f = new FunctionBuilder('spin', [['n', valType.i32]]);
  return encodeModule(
    [f.build(loop(f.set('n', sub(f.get('n'), i32(1))), repeatWhile(gt(f.get('n'), i32(0)))))],
    1,
  );
}

/**
 * A helper running `spinModule` with the given stall limit, or null on a single core (where none is started,
 * so nothing can stall: the test then has nothing more to check).
 */
function spinHelper(stallMs: number): Helper | null {
  const helper = startHelper(spinModule(), sharedPage(), ['spin'], stallMs);
  if (!helper) expect(availableParallelism()).toBeLessThan(2);
  return helper;
}

describe('the helper thread', () => {
  it('a worker stuck in a job is retired with an error instead of hanging the caller', () => {
    const helper = spinHelper(100);
    if (!helper) return;
    for (let waited = 0; !helper.ready() && waited < 10_000; waited += 10) sleep(10);
    expect(helper.ready()).toBe(true);
    // About a second of counting: far longer than the stall limit.
    helper.start(0, [1_500_000_000]);
    sleep(50); // let the worker take the job, so that finish() cannot simply take it back
    const t0 = performance.now();
    expect(() => helper.finish()).toThrow(/has not finished its part after 0.1 s; it is retired/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(helper.ready()).toBe(false);
  });

  it('a job the worker finishes in time is joined normally', () => {
    const helper = spinHelper(10_000);
    if (!helper) return;
    for (let waited = 0; !helper.ready() && waited < 10_000; waited += 10) sleep(10);
    helper.start(0, [1000]);
    sleep(20);
    expect(helper.finish()).toBe('done');
    expect(helper.ready()).toBe(true);
  });

  it('a job the worker has not picked up is handed back to the caller', () => {
    const helper = spinHelper(10_000);
    if (!helper) return;
    // The worker thread is still booting (tens of milliseconds): it cannot have claimed the job yet.
    helper.start(0, [1000]);
    expect(helper.finish()).toBe('reclaimed');
  });
});
