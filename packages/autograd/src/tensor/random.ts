import seedrandom from 'seedrandom';
import { GraphError } from '../errors.js';
import { isHiddenRead } from './tracing.js';

/** A seed: every random number in chainrule is derived from one. */
export type Seed = number | string;

/**
 * A seeded stream of random numbers (seedrandom's Alea generator: fast, 32-bit state, reproducible across
 * platforms). Same seed, same numbers, bit for bit.
 */
export class Rng {
  private readonly next: () => number;
  private spare: number | null = null;

  constructor(seed: Seed) {
    // Inside an op's forward function (a keyed mask) the draw is replayed at every call: only other draws
    // would be frozen.
    if (isHiddenRead()) {
      throw new GraphError(
        'jit',
        `random numbers drawn while tracing (seed ${String(seed)}) would be the same at every call`,
        'draw them outside the compiled function and pass them in, or use keyedDropoutMask with a key argument',
      );
    }
    this.next = seedrandom.alea(String(seed));
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    return this.next();
  }

  /**
   * Standard normal via the Box–Muller transform: two uniforms u1 ∈ (0, 1], u2 give
   * √(−2 ln u1)·cos(2πu2) and √(−2 ln u1)·sin(2πu2); the second is kept for the next call.
   */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u1 = 1 - this.next();
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A Fisher–Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** Derives a child seed for a named purpose ("layer0.weight", "epoch3"), so streams do not overlap. */
export function deriveSeed(seed: Seed, purpose: string | number): string {
  return `${seed}/${purpose}`;
}
