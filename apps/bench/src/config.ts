/**
 * What each workload runs in the full benchmark and in the smoke run (tiny sizes, so CI checks the harness).
 */

/** One matmul shape: C(m×n) = op(A)·op(B) with op(A) m×k. */
export interface MatmulShape {
  readonly label: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

/** Sizes of every workload. */
export interface BenchConfig {
  readonly smoke: boolean;
  /** Repetitions whose median is reported (matmul; the micrograd run). */
  readonly runs: number;
  readonly mnist: {
    readonly train: number;
    readonly test: number;
    readonly epochs: number;
    readonly batch: number;
  };
  readonly matmul: readonly MatmulShape[];
  /** Minimum seconds each matmul measurement runs. */
  readonly matmulSeconds: number;
  readonly micrograd: { readonly points: number; readonly steps: number };
  readonly california: { readonly rows: number | null; readonly epochs: number; readonly batch: number };
}

/** The MNIST layer's forward product and the two products of its backward pass, plus a square one. */
function matmulShapes(scale: number): MatmulShape[] {
  const b = Math.max(1, Math.round(64 * scale));
  const d = Math.max(1, Math.round(784 * scale));
  const h = Math.max(1, Math.round(128 * scale));
  const s = Math.max(1, Math.round(512 * scale));
  return [
    { label: `${b}×${d}·${d}×${h} (forward)`, m: b, n: h, k: d, transA: false, transB: false },
    { label: `${b}×${d}ᵀ·${b}×${h} (weight grad, Aᵀ·B)`, m: d, n: h, k: b, transA: true, transB: false },
    { label: `${b}×${h}·${d}×${h}ᵀ (input grad, A·Bᵀ)`, m: b, n: d, k: h, transA: false, transB: true },
    { label: `${s}×${s}·${s}×${s}`, m: s, n: s, k: s, transA: false, transB: false },
  ];
}

/** The configuration of a full (`smoke` false) or smoke run. */
export function benchConfig(smoke: boolean, runs?: number): BenchConfig {
  return smoke
    ? {
        smoke,
        runs: runs ?? 1,
        mnist: { train: 256, test: 128, epochs: 1, batch: 64 },
        matmul: matmulShapes(1 / 8),
        matmulSeconds: 0.02,
        micrograd: { points: 20, steps: 3 },
        california: { rows: 256, epochs: 1, batch: 32 },
      }
    : {
        smoke,
        runs: runs ?? 3,
        mnist: { train: 60000, test: 10000, epochs: 5, batch: 64 },
        matmul: matmulShapes(1),
        matmulSeconds: 1,
        micrograd: { points: 100, steps: 100 },
        california: { rows: null, epochs: 100, batch: 32 },
      };
}
