/**
 * simplify: rebuilds a graph bottom-up through hash-consing (shared equal subexpressions) and named rewrite
 * rules, repeating until nothing changes. Leaves stay the same objects, so the result can be differentiated
 * with respect to the same variables, and every node keeps its shape and dtype.
 */
import { GraphError } from '../../errors.js';
import { sameShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { nameScope, withRecording } from '../../ops/apply.js';
import { broadcastTo, cast } from '../../ops/functions.js';
import { topologicalOrder } from '../topo.js';
import { HashCons } from './hash-cons.js';
import { defaultRules } from './rules/index.js';
import type { NodeSpec, RewriteRule } from './spec.js';

/** Options of `simplify`. */
export interface SimplifyOptions {
  /** The rules to apply, tried in order on each node (default: `defaultRules`). */
  readonly rules?: readonly RewriteRule[];
  /** Upper bound on whole-graph passes (default 20); passes stop as soon as one changes nothing. */
  readonly maxPasses?: number;
}

/** Rewrites tried on one node before moving on; the next pass continues where this stops. */
const STEPS_PER_NODE = 16;

/** Runs `fn` inside the name scope `scope` ("a/b" nests a then b), so rebuilt nodes keep their scope. */
function inScope<T>(scope: string | undefined, fn: () => T): T {
  if (scope === undefined) return fn();
  return scope.split('/').reduceRight<() => T>((inner, part) => () => nameScope(part, inner), fn)();
}

/** A rule's result with the node's dtype and shape (rules may return a scalar for a broadcast node). */
function conform(t: Tensor, like: Tensor): Tensor {
  const typed = t.dtype === like.dtype ? t : cast(t, like.dtype);
  return sameShape(typed.shape, like.shape) ? typed : broadcastTo(typed, like.shape);
}

function firstRewrite(spec: NodeSpec, rules: readonly RewriteRule[]): Tensor | null {
  for (const rule of rules) {
    const out = rule.rewrite(spec);
    if (out) return out;
  }
  return null;
}

/** The simplified, canonical node for `node` whose inputs have been simplified to `inputs`. */
function rewriteNode(node: Tensor, inputs: readonly Tensor[], rules: readonly RewriteRule[], cons: HashCons) {
  let spec: NodeSpec = { op: node.op as NodeSpec['op'], inputs, attrs: node.attrs };
  let current = node;
  for (let step = 0; step < STEPS_PER_NODE; step++) {
    const rewritten = firstRewrite(spec, rules);
    if (!rewritten) return cons.build(spec, current);
    current = cons.intern(conform(rewritten, node));
    if (!current.op) return current;
    spec = { op: current.op, inputs: current.inputs, attrs: current.attrs };
  }
  return current;
}

function pass(roots: readonly Tensor[], rules: readonly RewriteRule[], cons: HashCons): Tensor[] {
  const done = new Map<Tensor, Tensor>();
  for (const node of topologicalOrder(roots)) {
    if (!node.op) {
      done.set(node, cons.intern(node));
      continue;
    }
    const inputs = node.inputs.map((i) => done.get(i) ?? cons.intern(i));
    done.set(
      node,
      inScope(node.scope, () => rewriteNode(node, inputs, rules, cons)),
    );
  }
  return roots.map((r) => done.get(r) ?? cons.intern(r));
}

/**
 * Simplified equivalents of several outputs, sharing one table (a subexpression common to two outputs
 * becomes one node).
 */
export function simplifyAll(roots: readonly Tensor[], options: SimplifyOptions = {}): Tensor[] {
  const maxPasses = options.maxPasses ?? 20;
  if (!(Number.isInteger(maxPasses) && maxPasses >= 1)) {
    throw new GraphError(
      'simplify',
      `maxPasses must be a positive integer, got ${maxPasses}`,
      'e.g. maxPasses: 20',
    );
  }
  const rules = options.rules ?? defaultRules;
  const cons = new HashCons();
  return withRecording(true, () => {
    let current = [...roots];
    for (let i = 0; i < maxPasses; i++) {
      const next = pass(current, rules, cons);
      if (next.every((t, k) => t === current[k])) return next;
      current = next;
    }
    return current;
  });
}

/**
 * An equivalent graph for `y` after constant folding, identities (x·1, x+0, x·0, x−x, x/1, −(−x)), like-term
 * collection, common-subexpression elimination by hash-consing and numerical stabilisation
 * (log∘softmax → logSoftmax, log∘σ → −softplus(−x)); see `defaultRules`. Values are unchanged up to rounding
 * (rules like x·0 → 0 assume finite values); the variables are the same objects, so the result can be
 * differentiated and printed: `toExpr(simplify(dydx))`.
 */
export function simplify(y: Tensor, options: SimplifyOptions = {}): Tensor {
  return simplifyAll([y], options)[0];
}
