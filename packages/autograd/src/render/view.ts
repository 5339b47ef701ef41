/**
 * What the DOT printer draws, decided before any text is written: the nodes in print order, each node's
 * role (variable, input, constant, op), which nodes belong only to the gradient computation, and which
 * collapse group (name scope) each node falls in.
 */
import type { Tensor } from '../tensor/tensor.js';
import { collectNodes, consumersOf } from './collect.js';

/** How a node is drawn. */
export type NodeRole = 'variable' | 'input' | 'constant' | 'op';

/** The name of the group that holds the nodes of the gradient computation. */
export const GRADIENT_GROUP = 'gradient graph';

/** A graph ready to print. */
export interface GraphView {
  /** Forward nodes, then gradient-only nodes; a node's DOT id is `n` + its index here. */
  readonly nodes: readonly Tensor[];
  readonly index: ReadonlyMap<Tensor, number>;
  readonly roles: ReadonlyMap<Tensor, NodeRole>;
  readonly roots: ReadonlySet<Tensor>;
  /** Nodes reachable from the drawn gradients but not from the forward roots. */
  readonly gradientOnly: ReadonlySet<Tensor>;
  /** Collapse group of each grouped node (absent: drawn on its own). */
  readonly groups: ReadonlyMap<Tensor, string>;
}

/** What the view needs from the options of toDot. */
export interface ViewOptions {
  readonly gradientRoots: readonly Tensor[];
  readonly inputs: ReadonlySet<Tensor>;
  /** Group forward nodes by name scope, keeping this many scope levels (undefined: no grouping). */
  readonly scopeDepth: number | undefined;
}

function roleOf(t: Tensor, inputs: ReadonlySet<Tensor>): NodeRole {
  if (t.kind === 'variable') return 'variable';
  if (t.kind === 'constant') return t.name !== undefined || inputs.has(t) ? 'input' : 'constant';
  return 'op';
}

function scopeKey(scope: string | undefined, depth: number): string | undefined {
  return scope === undefined ? undefined : scope.split('/').slice(0, depth).join('/');
}

/**
 * Groups nodes: gradient-only nodes into the gradient group; forward ops by scope (to `depth` levels); a
 * variable or scalar constant joins the group of its users when they all share one (a layer's weights
 * belong to the layer). Inputs and data constants stay outside, as the things that flow in.
 */
function groupNodes(
  nodes: readonly Tensor[],
  roles: ReadonlyMap<Tensor, NodeRole>,
  gradientOnly: ReadonlySet<Tensor>,
  depth: number | undefined,
): Map<Tensor, string> {
  const groups = new Map<Tensor, string>();
  for (const node of nodes) {
    if (gradientOnly.has(node)) groups.set(node, GRADIENT_GROUP);
    else if (depth !== undefined && node.op) {
      const key = scopeKey(node.scope, depth);
      if (key !== undefined) groups.set(node, key);
    }
  }
  if (depth === undefined) return groups;
  const forward = nodes.filter((n) => !gradientOnly.has(n));
  const users = consumersOf(forward);
  for (const node of forward) {
    const role = roles.get(node);
    const adoptable = role === 'variable' || (role === 'constant' && node.size === 1);
    if (!adoptable) continue;
    const keys = new Set((users.get(node) ?? []).map((u) => groups.get(u)));
    const [only] = keys;
    if (keys.size === 1 && only !== undefined) groups.set(node, only);
  }
  return groups;
}

/** Builds the view of `roots` (and, when given, the graphs of the gradients drawn with them). */
export function buildView(roots: readonly Tensor[], options: ViewOptions): GraphView {
  const seen = new Set<Tensor>();
  const forward = collectNodes(roots, seen);
  const extra = collectNodes(options.gradientRoots, seen);
  const nodes = [...forward, ...extra];
  const roles = new Map(nodes.map((n) => [n, roleOf(n, options.inputs)] as const));
  const gradientOnly = new Set(extra);
  return {
    nodes,
    index: new Map(nodes.map((n, i) => [n, i] as const)),
    roles,
    roots: new Set(roots),
    gradientOnly,
    groups: groupNodes(nodes, roles, gradientOnly, options.scopeDepth),
  };
}
