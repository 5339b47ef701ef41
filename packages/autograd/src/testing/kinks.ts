/**
 * Finds points where finite differences cannot confirm a derivative: an op evaluated within `margin` of one of
 * its declared kinks (or ties), or values so large that rounding swamps the difference quotient.
 */
import { abs, add, apply, less, noGrad, sub, sum, topologicalOrder } from '../index.js';
import type { Kink, OpDef, Tensor } from '../index.js';

/** Options of `unsuitablePoint`. */
export interface PointOptions {
  /** Distance to a kink below which a point is rejected (default 1e-3). */
  readonly margin?: number;
  /** Largest magnitude accepted in any recorded value (default 1e6). */
  readonly maxMagnitude?: number;
}

const anyBelow = (t: Tensor, bound: number): boolean => t.data.some((v) => v < bound);

/** True when some reduced group of `x` has two extreme entries within `margin` (max/min ties). */
function reductionTie(op: OpDef, x: Tensor, attrs: unknown, margin: number): boolean {
  const axes = (attrs as { axes?: unknown }).axes;
  if (!Array.isArray(axes)) return false;
  const counts = noGrad(() => {
    const extreme = apply(op, [x], { ...(attrs as object), keepDims: true });
    return sum(less(abs(sub(x, extreme)), margin), axes as number[]);
  });
  return counts.data.some((count) => count > 1);
}

function nearKink(node: Tensor, kink: Kink, margin: number): boolean {
  const op = node.op as OpDef;
  const x = node.inputs[kink.input];
  if (kink.at === 'sum') {
    const [a, b] = node.inputs;
    return anyBelow(
      noGrad(() => abs(add(a, b))),
      margin,
    );
  }
  if (kink.at === 'tie') {
    if (node.inputs.length === 2) {
      const [a, b] = node.inputs;
      // The same node on both sides moves with itself: the tie never breaks, so it is no kink.
      if (a === b) return false;
      return anyBelow(
        noGrad(() => abs(sub(a, b))),
        margin,
      );
    }
    return reductionTie(op, x, node.attrs, margin);
  }
  const at =
    typeof kink.at === 'number' ? kink.at : Number((node.attrs as Record<string, unknown>)[kink.at.attr]);
  return anyBelow(
    noGrad(() => abs(sub(x, at))),
    margin,
  );
}

/**
 * Why `y`'s graph is a bad place for finite differences (a description naming the op), or null when it is
 * fine: some op evaluated within `margin` of a declared kink or tie, or a value beyond `maxMagnitude`.
 */
export function unsuitablePoint(y: Tensor, options: PointOptions = {}): string | null {
  const margin = options.margin ?? 1e-3;
  const maxMagnitude = options.maxMagnitude ?? 1e6;
  for (const node of topologicalOrder([y])) {
    if (node.data.some((v) => !(Math.abs(v) <= maxMagnitude))) {
      return `${node.op?.name ?? 'an input'} produced a value beyond ±${maxMagnitude}`;
    }
    const kinks = node.op?.kinks ?? [];
    const hit = kinks.find((k) => nearKink(node, k, margin));
    if (hit) return `${node.op?.name} is evaluated within ${margin} of its kink (${hit.convention})`;
  }
  return null;
}
