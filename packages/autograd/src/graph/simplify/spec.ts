/**
 * What a rewrite rule sees and returns. A rule gets one node as a spec — its op, its (already simplified)
 * inputs and attributes, before the node is built — and returns an equivalent tensor built from those
 * inputs with ordinary ops, or null when it does not apply. Rules are small pure functions; the driver in
 * `simplify.ts` takes care of sharing, shapes and repetition.
 */
import type { DType } from '../../tensor/dtype.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { OpDef } from '../../ops/types.js';

/** One node about to be built: op, inputs, attributes. */
export interface NodeSpec {
  readonly op: OpDef;
  readonly inputs: readonly Tensor[];
  readonly attrs: unknown;
}

/** A named rewrite: an equivalent tensor for the node, or null when the rule does not match. */
export interface RewriteRule {
  readonly name: string;
  /** What the rule does, e.g. "x·1 → x". */
  readonly description: string;
  rewrite(node: NodeSpec): Tensor | null;
}

/** The dtype the spec's node would have. */
export function specDtype({ op, inputs, attrs }: NodeSpec): DType {
  const dtypes = inputs.map((t) => t.dtype);
  return op.dtype ? op.dtype(dtypes, attrs) : (dtypes.find(isFloat) ?? 'float64');
}

/** True when `t` was produced by the op named `name`. */
export function isOp(t: Tensor, name: string): boolean {
  return t.op?.name === name;
}

/**
 * The single value of a constant whose entries are all equal (a 0-d constant, `onesLike`, `full`), else
 * undefined. Rules treat such constants as numbers; the driver restores the node's shape by broadcasting.
 */
export function uniformValue(t: Tensor): number | undefined {
  if (t.kind !== 'constant' || t.size === 0) return undefined;
  if (t.size === 1) return t.data[0];
  if (!uniformCache.has(t)) uniformCache.set(t, scanUniform(t));
  return uniformCache.get(t);
}

/** Scans of large constants, remembered: rules ask about the same constant many times. */
const uniformCache = new WeakMap<Tensor, number | undefined>();

function scanUniform(t: Tensor): number | undefined {
  const first = t.data[0];
  for (let i = 1; i < t.size; i++) {
    if (!Object.is(t.data[i], first)) return undefined;
  }
  return first;
}

/** True when `t` is a constant equal to `value` everywhere. */
export function isConstant(t: Tensor, value: number): boolean {
  return uniformValue(t) === value;
}
