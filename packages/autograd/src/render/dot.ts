/**
 * Deterministic Graphviz DOT of forward and gradient graphs: nodes numbered by a counter in walk order,
 * labels escaped so any tensor name is shown literally, roles drawn distinctly, gradients linked to their
 * variables, and name scopes collapsible into clusters or single boxes.
 */
import { GraphError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { quoteDot } from './format.js';
import { groupLabel, nodeLabel } from './labels.js';
import { operandLabel } from './operands.js';
import type { DotAttrs } from './styles.js';
import { GRADIENT_COLOR, GROUP_BOX_STYLE, GROUP_COLOR, formatAttrs, nodeStyle } from './styles.js';
import type { GraphView } from './view.js';
import { GRADIENT_GROUP, buildView } from './view.js';

/** Options of `toDot`. */
export interface DotOptions {
  /** Show each node's value: the number for scalars, first entries and min/mean/max for tensors. */
  readonly values?: boolean;
  /**
   * Gradients of the output with respect to nodes (e.g. `new Map([[w, gw]])` from `gradients`), shown on
   * those nodes as "grad …".
   */
  readonly grads?: Iterable<readonly [Tensor, Tensor]>;
  /**
   * Also draw the graphs of `grads` (computed with `{ createGraph: true }`): nodes that only the gradient
   * computation uses are red and grouped in a "gradient graph" cluster, and each gradient is linked to its
   * variable by a dashed edge.
   */
  readonly gradientGraph?: boolean;
  /** Constants to mark as inputs (named constants are inputs already). */
  readonly inputs?: readonly Tensor[];
  /** Group nodes by name scope (`nameScope`): into a labelled cluster, or into one box per scope. */
  readonly collapse?: 'cluster' | 'box';
  /** How many levels of a nested scope ("model/dense0/...") make a group (default: all). */
  readonly collapseDepth?: number;
  /** Layout direction (default LR: inputs on the left). */
  readonly rankdir?: 'LR' | 'TB' | 'RL' | 'BT';
  /** A title drawn above the graph. */
  readonly title?: string;
}

function checkOptions(roots: readonly Tensor[], options: DotOptions): void {
  if (roots.length === 0) {
    throw new GraphError('toDot', 'no roots given', 'pass the output tensor, or an array of outputs');
  }
  const { collapse, collapseDepth } = options;
  if (collapse !== undefined && collapse !== 'cluster' && collapse !== 'box') {
    throw new GraphError(
      'toDot',
      `unknown collapse mode ${JSON.stringify(collapse)}`,
      "use 'cluster' or 'box'",
    );
  }
  if (collapseDepth !== undefined && !(Number.isInteger(collapseDepth) && collapseDepth >= 1)) {
    throw new GraphError(
      'toDot',
      `collapseDepth must be a positive integer, got ${collapseDepth}`,
      'e.g. collapseDepth: 1 groups "model/dense0/..." by "model"',
    );
  }
}

function statement(id: string, label: string, attrs: DotAttrs): string {
  return `${id} [label=${quoteDot(label)}, ${formatAttrs(attrs)}];`;
}

/** Groups in order of first appearance, with their members in print order. */
function groupMembers(view: GraphView): Map<string, Tensor[]> {
  const groups = new Map<string, Tensor[]>();
  for (const node of view.nodes) {
    const key = view.groups.get(node);
    if (key === undefined) continue;
    const list = groups.get(key);
    if (list) list.push(node);
    else groups.set(key, [node]);
  }
  return groups;
}

/** How the DOT of one call is drawn: the view, and where each tensor ends up (its node or its group's box). */
interface Drawing {
  readonly view: GraphView;
  readonly options: DotOptions;
  readonly grads: ReadonlyMap<Tensor, Tensor>;
  readonly gradientRoots: ReadonlySet<Tensor>;
  /** The DOT id of each group: g<k> in order of first appearance. */
  readonly groupIds: ReadonlyMap<string, string>;
  /** The group box that stands for `t` in box mode. */
  boxOf(t: Tensor): string | undefined;
  /** The DOT id `t` is drawn as: n<k>, or its group box g<k>. */
  idOf(t: Tensor): string;
}

function makeDrawing(roots: readonly Tensor[], options: DotOptions): Drawing {
  const gradPairs = [...(options.grads ?? [])];
  const gradientRoots = new Set(options.gradientGraph ? gradPairs.map(([, g]) => g) : []);
  const view = buildView(roots, {
    gradientRoots: [...gradientRoots],
    inputs: new Set(options.inputs ?? []),
    scopeDepth: options.collapse ? (options.collapseDepth ?? Number.POSITIVE_INFINITY) : undefined,
  });
  const groupIds = new Map([...new Set(view.groups.values())].map((k, i) => [k, `g${i}`] as const));
  const boxOf = (t: Tensor) => (options.collapse === 'box' ? view.groups.get(t) : undefined);
  return {
    view,
    options,
    grads: new Map(gradPairs),
    gradientRoots,
    groupIds,
    boxOf,
    idOf: (t) => {
      const box = boxOf(t);
      return box !== undefined ? (groupIds.get(box) as string) : `n${view.index.get(t)}`;
    },
  };
}

function nodeStatement(d: Drawing, t: Tensor): string {
  const role = d.view.roles.get(t) ?? 'op';
  const label = nodeLabel(t, role, { values: d.options.values ?? false, grad: d.grads.get(t) });
  const output = d.view.roots.has(t) || d.gradientRoots.has(t);
  return statement(d.idOf(t), label, nodeStyle(role, output, d.view.gradientOnly.has(t)));
}

/** Each group as one box (box mode) or as a framed cluster of its nodes. */
function groupStatements(d: Drawing): string[] {
  const out: string[] = [];
  for (const [key, members] of groupMembers(d.view)) {
    const id = d.groupIds.get(key) as string;
    if (d.options.collapse === 'box') {
      out.push(`  ${statement(id, groupLabel(key, members), GROUP_BOX_STYLE)}`);
      continue;
    }
    const gradient = key === GRADIENT_GROUP;
    const frame = `style=${gradient ? 'dashed' : 'rounded'}; color=${gradient ? GRADIENT_COLOR : GROUP_COLOR};`;
    out.push(`  subgraph cluster_${id} {`, `    label=${quoteDot(key)}; ${frame}`);
    for (const m of members) out.push(`    ${nodeStatement(d, m)}`);
    out.push('  }');
  }
  return out;
}

/** Dashed links from each drawn gradient to its variable (one per pair of boxes in box mode). */
function gradientLinks(d: Drawing): string[] {
  if (!d.options.gradientGraph) return [];
  const out: string[] = [];
  const links = new Set<string>();
  for (const [variable, g] of d.grads) {
    if (!d.view.index.has(variable)) continue; // a gradient for a tensor the picture does not contain
    const link = `${d.idOf(g)} -> ${d.idOf(variable)}`;
    if (links.has(link)) continue;
    links.add(link);
    const named = variable.name !== undefined && d.boxOf(variable) === undefined;
    const label = named ? `gradient of ${variable.name}` : 'gradient';
    const attrs = `style=dashed, color=${GRADIENT_COLOR}, fontcolor=${GRADIENT_COLOR}, constraint=false`;
    out.push(`  ${link} [label=${quoteDot(label)}, ${attrs}];`);
  }
  return out;
}

/**
 * Deterministic DOT text of the graph of `roots`. Node ids come from a counter over a left-to-right walk
 * (n0, n1, ...), so the same graph always gives the same text; every label is escaped. Each node shows its
 * op (with attributes), shape and dtype, and on request its value and gradient. Variables, inputs, constants,
 * ops and outputs are drawn distinctly; edges into multi-input ops name the operand (lhs/rhs, cond/then/else,
 * arg0...). See `DotOptions` for gradient graphs and collapsing name scopes.
 */
export function toDot(roots: Tensor | readonly Tensor[], options: DotOptions = {}): string {
  const rootList: readonly Tensor[] = Array.isArray(roots) ? roots : [roots as Tensor];
  checkOptions(rootList, options);
  const d = makeDrawing(rootList, options);
  const graphAttrs = [`rankdir=${options.rankdir ?? 'LR'}`, 'fontname="Helvetica"'];
  if (options.title !== undefined) graphAttrs.push(`label=${quoteDot(options.title)}`, 'labelloc=t');
  const out = [
    'digraph chainrule {',
    `  graph [${graphAttrs.join(', ')}];`,
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
    ...d.view.nodes.filter((n) => !d.view.groups.has(n)).map((n) => `  ${nodeStatement(d, n)}`),
    ...groupStatements(d),
    ...edgeStatements(d),
    ...gradientLinks(d),
    '}',
  ];
  return `${out.join('\n')}\n`;
}

/** Edges input → user. Edges inside a collapsed box vanish; edges into or out of a box carry the shape. */
function edgeStatements({ view, idOf, boxOf }: Drawing): string[] {
  const out: string[] = [];
  const drawn = new Set<string>();
  for (const node of view.nodes) {
    const to = idOf(node);
    node.inputs.forEach((input, i) => {
      const from = idOf(input);
      if (from === to) return;
      const touchesBox = boxOf(node) !== undefined || boxOf(input) !== undefined;
      const label = touchesBox
        ? formatShape(input.shape)
        : node.op && operandLabel(node.op, i, node.inputs.length);
      if (touchesBox) {
        const key = `${from}->${to}`;
        if (drawn.has(key)) return;
        drawn.add(key);
      }
      out.push(`  ${from} -> ${to}${label ? ` [label=${quoteDot(label)}]` : ''};`);
    });
  }
  return out;
}
