/** Transposing a square block of vectors with byte shuffles, for the GEMM's packing of B and of a plain A. */
import type { Code, FunctionBuilder } from './instructions.js';

/** i8x16.shuffle: the bytes of `a` (0–15) and `b` (16–31) picked by `lanes`, given as 32-bit or 64-bit lanes. */
function shuffle(a: Code, b: Code, laneBytes: number, lanes: readonly number[]): Code {
  const bytes = lanes.flatMap((l) => Array.from({ length: laneBytes }, (_, i) => l * laneBytes + i));
  return [...a, ...b, 0xfd, 0x0d, ...bytes];
}

/**
 * Transposes a lanes × lanes block held in `lanes` vectors (`row(c)` is row c) through the scratch locals
 * `scratch(c)`; returns the code and the expressions of the transposed rows.
 */
export function transpose(
  lanes: number,
  row: (c: number) => Code,
  scratch: (c: number) => string,
  f: FunctionBuilder,
): { code: Code[]; out: Code[] } {
  if (lanes === 2) {
    return { code: [], out: [shuffle(row(0), row(1), 8, [0, 2]), shuffle(row(0), row(1), 8, [1, 3])] };
  }
  // 4 × 4: interleave rows pairwise, then pairs of pairs.
  const code = [
    f.set(scratch(0), shuffle(row(0), row(1), 4, [0, 4, 1, 5])),
    f.set(scratch(1), shuffle(row(0), row(1), 4, [2, 6, 3, 7])),
    f.set(scratch(2), shuffle(row(2), row(3), 4, [0, 4, 1, 5])),
    f.set(scratch(3), shuffle(row(2), row(3), 4, [2, 6, 3, 7])),
  ];
  const h = (c: number) => f.get(scratch(c));
  return {
    code,
    out: [
      shuffle(h(0), h(2), 4, [0, 1, 4, 5]),
      shuffle(h(0), h(2), 4, [2, 3, 6, 7]),
      shuffle(h(1), h(3), 4, [0, 1, 4, 5]),
      shuffle(h(1), h(3), 4, [2, 3, 6, 7]),
    ],
  };
}
