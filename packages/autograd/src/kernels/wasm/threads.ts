/**
 * A second thread for large kernel calls (GEMMs, Adam's update): one worker that instantiates the same module
 * on the same shared memory and runs a kernel call alongside the calling thread (the GEMM kernel lets any
 * number of threads claim its chunks; Adam's update gives the worker the second half). The calling thread
 * stays synchronous: it wakes the worker, posts the call, does its own part and then either takes the job back
 * (when the worker has not picked it up, so a late worker costs nothing but the caller's doing that part) or
 * waits for the worker. Both sides poll the shared control array for a short while before falling back to
 * Atomics.wait, because waking a sleeping thread costs tens of microseconds, a large part of a 0.2 ms product.
 * Until the worker reports that it is ready, and wherever worker_threads are missing (browsers), every call
 * runs on the calling thread alone.
 */

/** Slots of the shared control array. */
const JOB = 0; // sequence number of the latest job, bumped by the caller
const DONE = 1; // sequence number of the latest job the worker finished
const READY = 2; // 1 once the worker has instantiated the module
const FAILED = 3; // 1 once a job threw on the worker (the helper is then retired)
const CLAIM = 4; // job number while the job is open; the worker negates it to take it, the caller zeroes it
const KERNEL = 5; // index of the job's kernel
const COUNT = 6; // number of arguments of the job
const ARGS = 7; // the job's arguments
const MAX_ARGS = 16;

/**
 * How long either side polls before sleeping (milliseconds): the worker after each job and each wake-up, the
 * caller for the worker's last chunk. Products issued back to back find the worker polling; after a longer gap
 * it sleeps, burns nothing, and the caller pays for waking it (Atomics.notify took 15–25 µs on the 2-core
 * development VM; polling with short timed waits instead avoided that but slowed the caller's copies more).
 */
const SPIN_MS = 0.2;

/**
 * How long the caller waits for the worker's part of one call before declaring the worker dead (milliseconds).
 * A chunk is at most 16 columns of C, and A fits in 2 GiB of memory, so no live worker takes more than a few
 * seconds per chunk; only a worker that died mid-job (it catches kernel errors, so something fatal) gets here.
 */
const STALL_MS = 60_000;

const workerSource = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control } = workerData;
const ctl = new Int32Array(control);
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const kernels = workerData.kernels.map((name) => instance.exports[name]);
Atomics.store(ctl, ${READY}, 1);
let seen = 0;
for (;;) {
  let end = performance.now() + ${SPIN_MS};
  while (Atomics.load(ctl, ${JOB}) === seen) {
    if (performance.now() > end) {
      Atomics.wait(ctl, ${JOB}, seen);
      end = performance.now() + ${SPIN_MS};
    }
  }
  seen = Atomics.load(ctl, ${JOB});
  if (Atomics.compareExchange(ctl, ${CLAIM}, seen, -seen) !== seen) continue;
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
  /** Wakes a sleeping worker so that it is polling by the time the next job is posted. */
  wake(): void;
  /** Posts `kernels[index](...args)` for the worker and returns at once. */
  start(index: number, args: readonly number[]): void;
  /**
   * Takes the posted job back if the worker has not picked it up (`reclaimed`: the caller must do that work
   * itself, unless the kernel shares its work through a counter), otherwise blocks until the worker has
   * finished it (`done`, or `failed` when it threw). Throws (and retires the worker) when the worker has not
   * finished after `stallMs`: it must have died, and waiting longer would hang the caller.
   */
  finish(): 'done' | 'reclaimed' | 'failed';
}

interface OsModule {
  availableParallelism(): number;
}

interface WorkerModule {
  Worker: new (
    source: string,
    options: { eval: true; workerData: unknown; execArgv: readonly string[] },
  ) => { unref(): void; on(event: 'error', fn: () => void): void };
}

/**
 * Starts the helper thread, or returns null on a single core or where worker_threads or shared memory are
 * unavailable. `stallMs` bounds the wait in `finish` (tests shorten it).
 */
export function startHelper(
  bytes: Uint8Array,
  memory: object,
  kernels: readonly string[],
  stallMs = STALL_MS,
): Helper | null {
  const node = globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined;
  const threads = node?.getBuiltinModule?.('node:worker_threads') as WorkerModule | undefined;
  const os = node?.getBuiltinModule?.('node:os') as OsModule | undefined;
  if (!threads || !os || os.availableParallelism() < 2 || typeof SharedArrayBuffer === 'undefined')
    return null;
  const control = new SharedArrayBuffer(4 * (ARGS + MAX_ARGS));
  const ctl = new Int32Array(control);
  let alive = true;
  try {
    const worker = new threads.Worker(workerSource, {
      eval: true,
      workerData: { bytes, memory, control, kernels },
      // Not the parent's Node options: a loader such as `--import tsx` would boot in the helper too (hundreds
      // of milliseconds on the other core, slowing the first few hundred training steps ~2x); the helper
      // needs none. V8 flags are per process and still apply.
      execArgv: [],
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
    wake() {
      Atomics.notify(ctl, JOB);
    },
    start(index, args) {
      if (args.length > MAX_ARGS)
        throw new Error(`gemm helper: ${args.length} arguments, at most ${MAX_ARGS}`);
      ctl[KERNEL] = index;
      ctl[COUNT] = args.length;
      ctl.set(args, ARGS);
      job++;
      Atomics.store(ctl, CLAIM, job);
      Atomics.store(ctl, JOB, job);
      Atomics.notify(ctl, JOB);
    },
    finish() {
      if (Atomics.compareExchange(ctl, CLAIM, job, 0) === job) return 'reclaimed';
      const started = performance.now();
      for (;;) {
        const done = Atomics.load(ctl, DONE);
        if (done === job) return Atomics.load(ctl, FAILED) === 0 ? 'done' : 'failed';
        const waited = performance.now() - started;
        if (waited > stallMs) {
          alive = false; // retired: later products run on the calling thread alone
          throw new Error(
            `matmul: the helper thread has not finished its part after ${stallMs / 1000} s; it is retired, ` +
              'and later products run on one thread',
          );
        }
        if (waited > SPIN_MS) Atomics.wait(ctl, DONE, done, Math.min(1000, stallMs));
      }
    },
  };
}

/** The latest counted times (ms) of one product shape in one mode, and how many of its calls ran. */
interface ModeTimes {
  /** Up to RECENT counted times, oldest first. */
  readonly recent: number[];
  /** Calls in this mode, counted or not. */
  runs: number;
}

/** What the chooser knows about one product shape. */
interface ShapeTimes {
  readonly one: ModeTimes;
  readonly two: ModeTimes;
  calls: number;
  /** The mode of the shape's previous call. */
  helped: boolean | null;
  /** The mode that measured faster at the previous call. */
  preferTwo: boolean | null;
  /** The call that starts the next exploration of the other mode, and the calls between explorations. */
  exploreAt: number;
  explorePeriod: number;
}

/**
 * Calls of the other mode per exploration: the first pays for the change of mode and is not counted, the
 * second is.
 */
const EXPLORE_CALLS = 2;
/**
 * After the faster mode changes, the other one is explored again after FIRST_RECHECK calls, then after twice
 * as many each time, up to every EXPLORE_EVERY calls (6% of the calls). A short burst of slow calls (the
 * other core busy for a moment) thus costs a few calls in the slower mode, not a whole period: with a fixed
 * period of 32, the MNIST step's products ran on one thread for 20-30 calls after each such burst.
 */
const FIRST_RECHECK = 4;
const EXPLORE_EVERY = 32;
/** The first calls of each mode are not counted: the helper's and the caller's code is still being optimized. */
const WARM_UP_RUNS = 2;
/**
 * A mode's time is the median of its latest three counted calls. One slow call (a helper thread that the OS
 * scheduled late, a garbage collection) then cannot flip the choice: with a moving average, one such call made
 * the MNIST step's products run on one thread for 30 to 60 calls at a time, a quarter to a third of all calls.
 */
const RECENT = 3; // `typical` takes the median of at most three
/** Shapes remembered at most (a training loop has a handful); past it the memory starts over. */
const MAX_SHAPES = 256;

/** The median of up to three counted times (the mean when there are two). */
function typical(times: readonly number[]): number {
  const [a, b, c] = times;
  if (times.length === 1) return a;
  if (times.length === 2) return (a + b) / 2;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/**
 * Decides per product shape whether the helper thread pays, from the measured times of recent calls: on a
 * machine whose other core is busy with other processes, two threads run slower than one (the helper waits
 * for a core, and the caller for the helper), so a fixed size threshold cannot promise "never slower".
 * The first call after a change of mode is not counted: it pays for the change (waking a helper that has gone
 * to sleep, caches left by the other mode), which the mode's following calls do not; nor are a mode's first
 * calls, which run before V8 has optimized the kernel on that thread.
 */
export class ThreadChooser {
  private readonly shapes = new Map<string, ShapeTimes>();

  /**
   * True when the next call of this shape should use the helper. With `bias` above 1, one thread must
   * measure that many times faster to be chosen (for calls whose split pays beyond their own time).
   */
  useHelper(shape: string, bias = 1): boolean {
    let s = this.shapes.get(shape);
    if (!s) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      s = {
        one: { recent: [], runs: 0 },
        two: { recent: [], runs: 0 },
        calls: 0,
        helped: null,
        preferTwo: null,
        exploreAt: 0,
        explorePeriod: 0,
      };
      this.shapes.set(shape, s);
    }
    s.calls++;
    if (s.two.recent.length === 0) return true;
    if (s.one.recent.length === 0) return false;
    const twoIsFaster = typical(s.two.recent) < bias * typical(s.one.recent);
    if (twoIsFaster !== s.preferTwo) {
      s.preferTwo = twoIsFaster;
      s.explorePeriod = FIRST_RECHECK;
      s.exploreAt = s.calls + FIRST_RECHECK;
    } else if (s.calls >= s.exploreAt + EXPLORE_CALLS) {
      s.explorePeriod = Math.min(2 * s.explorePeriod, EXPLORE_EVERY);
      s.exploreAt += s.explorePeriod;
    }
    const exploring = s.calls >= s.exploreAt && s.calls < s.exploreAt + EXPLORE_CALLS;
    return exploring ? !twoIsFaster : twoIsFaster;
  }

  /** Records the time of a call of this shape made as `useHelper` said. */
  record(shape: string, helped: boolean, ms: number): void {
    const s = this.shapes.get(shape);
    if (!s) return;
    const changed = s.helped !== helped;
    s.helped = helped;
    const mode = helped ? s.two : s.one;
    mode.runs++;
    if (changed || mode.runs <= WARM_UP_RUNS) return;
    if (mode.recent.push(ms) > RECENT) mode.recent.shift();
  }
}
