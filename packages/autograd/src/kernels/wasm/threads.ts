/**
 * A second thread for large GEMMs: one worker that instantiates the same module on the same shared memory
 * and computes a range of C's column panels while the calling thread computes the rest. The calling thread
 * stays synchronous: it hands the job over through a shared control array, does its share, then waits with
 * Atomics. Until the worker reports that it is ready, and wherever worker_threads are missing (browsers),
 * every GEMM runs on the calling thread.
 */

/** Slots of the shared control array. */
const JOB = 0; // sequence number of the latest job, bumped by the caller
const DONE = 1; // sequence number of the latest finished job, set by the worker
const READY = 2; // 1 once the worker has instantiated the module
const FAILED = 3; // 1 once a job threw on the worker (the helper is then retired)
const COUNT = 4; // number of arguments of the job
const KERNEL = 5; // index of the job's kernel
const ARGS = 6; // the job's arguments

const workerSource = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control } = workerData;
const ctl = new Int32Array(control);
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const kernels = workerData.kernels.map((name) => instance.exports[name]);
Atomics.store(ctl, ${READY}, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${JOB}, seen);
  seen = Atomics.load(ctl, ${JOB});
  try {
    kernels[ctl[${KERNEL}]](...ctl.subarray(${ARGS}, ${ARGS} + ctl[${COUNT}]));
  } catch {
    Atomics.store(ctl, ${FAILED}, 1);
  }
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

/** Runs kernel calls on the helper thread. */
export interface Helper {
  /** True once the worker can take jobs. */
  ready(): boolean;
  /** Starts `kernels[index](...args)` on the worker; returns at once. */
  start(index: number, args: readonly number[]): void;
  /** Blocks until the job started last has finished; false when it threw. */
  join(): boolean;
}

interface OsModule {
  availableParallelism(): number;
}

interface WorkerModule {
  Worker: new (
    source: string,
    options: { eval: true; workerData: unknown },
  ) => { unref(): void; on(event: 'error', fn: () => void): void };
}

/**
 * Starts the helper thread, or returns null on a single core or where worker_threads or shared memory are
 * unavailable.
 */
export function startHelper(bytes: Uint8Array, memory: object, kernels: readonly string[]): Helper | null {
  const node = globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined;
  const threads = node?.getBuiltinModule?.('node:worker_threads') as WorkerModule | undefined;
  const os = node?.getBuiltinModule?.('node:os') as OsModule | undefined;
  if (!threads || !os || os.availableParallelism() < 2 || typeof SharedArrayBuffer === 'undefined')
    return null;
  const control = new SharedArrayBuffer(4 * 32);
  const ctl = new Int32Array(control);
  let alive = true;
  try {
    const worker = new threads.Worker(workerSource, {
      eval: true,
      workerData: { bytes, memory, control, kernels },
    });
    worker.on('error', () => {
      alive = false;
    });
    worker.unref(); // an idle helper never keeps the process alive
  } catch {
    return null;
  }
  let job = 0;
  return {
    ready: () => alive && Atomics.load(ctl, READY) === 1 && Atomics.load(ctl, FAILED) === 0,
    start(index, args) {
      ctl[COUNT] = args.length;
      ctl[KERNEL] = index;
      ctl.set(args, ARGS);
      job++;
      Atomics.store(ctl, JOB, job);
      Atomics.notify(ctl, JOB);
    },
    join() {
      for (;;) {
        const done = Atomics.load(ctl, DONE);
        if (done === job) return Atomics.load(ctl, FAILED) === 0;
        Atomics.wait(ctl, DONE, done);
      }
    },
  };
}
