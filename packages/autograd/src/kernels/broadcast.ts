/**
 * Reduces a NumPy broadcast to the fewest loops: axes of size 1 are dropped and neighbouring axes that every
 * operand walks contiguously (or not at all) are merged. A bias add [64,128] + [128] becomes 64 rows of a
 * 128-long inner loop with the bias stride 0 across rows; equal shapes become one flat loop.
 */
import type { Shape } from '../tensor/shape.js';
import { broadcastStrides } from '../tensor/shape.js';

/** The merged loop nest: `shape` (outermost first) and, per operand, its element strides along it. */
export interface LoopNest {
  readonly shape: number[];
  readonly strides: number[][];
}

/** Plans the loops that walk `outShape` while reading each operand of shape `shapes[i]` broadcast to it. */
export function planBroadcast(shapes: readonly Shape[], outShape: Shape): LoopNest {
  const full = shapes.map((s) => broadcastStrides(s, outShape));
  const shape: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const size = outShape[d];
    if (size === 1) continue;
    const last = shape.length - 1;
    const mergeable = last >= 0 && full.every((s, i) => strides[i][last] === s[d] * size);
    if (mergeable) {
      shape[last] *= size;
      for (let i = 0; i < full.length; i++) strides[i][last] = full[i][d];
    } else {
      shape.push(size);
      for (let i = 0; i < full.length; i++) strides[i].push(full[i][d]);
    }
  }
  return { shape, strides };
}
