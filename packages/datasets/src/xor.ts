import { tensor } from '@chainrule/autograd';
import type { FloatDType, Samples } from './types.js';

/** Options of `xor()`. */
export interface XorOptions {
  /** Default float64 (the lecture works in NumPy doubles). */
  readonly dtype?: FloatDType;
}

/**
 * The lecture's XOR problem: x = [[0,0],[0,1],[1,0],[1,1]] (shape [4, 2]) and y = [[0],[1],[1],[0]]
 * (shape [4, 1]), the exclusive or of the two inputs.
 */
export function xor(options: XorOptions = {}): Samples {
  const dtype = options.dtype ?? 'float64';
  return {
    x: tensor(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      { dtype },
    ),
    y: tensor([[0], [1], [1], [0]], { dtype }),
  };
}
