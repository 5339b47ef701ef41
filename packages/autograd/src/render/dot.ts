/**
 * Deterministic Graphviz DOT of forward and gradient graphs: nodes numbered by a counter in walk order,
 * labels escaped so any tensor name is shown literally, roles drawn distinctly, gradients linked to their
 * variables, and name scopes collapsible into clusters or single boxes.
 */
import { GraphError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatNumber, quoteDot, summarizeValues } from './format.js';
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

function opTitle(t: Tensor): string {
  const op = t.op;
  if (!op) return '';
  const described = op.describeAttrs?.(t.attrs as never);
  return described ? `${op.name} ${described}` : op.name;
}

function nodeLines(
  t: Tensor,
  view: GraphView,
  options: DotOptions,
  grads: ReadonlyMap<Tensor, Tensor>,
): string[] {
  const lines: string[] = [];
  if (t.name !== undefined) lines.push(t.name);
  const role = view.roles.get(t);
  const literal = role === 'constant' && t.size === 1;
  if (t.op) lines.push(opTitle(t));
  else if (literal) lines.push(formatNumber(t.data[0]));
  else lines.push(role ?? t.kind);
  lines.push(`${formatShape(t.shape)} ${t.dtype}`);
  if (options.values && !literal) lines.push(...summarizeValues('value', t));
  const g = grads.get(t);
  if (g) lines.push(...summarizeValues('grad', g));
  return lines;
}

function statement(id: string, label: string, attrs: DotAttrs): string {
  return `${id} [label=${quoteDot(label)}, ${formatAttrs(attrs)}];`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Summary label of a collapsed group: its name, its ops, and its variables with their parameter count. */
function groupLabel(name: string, members: readonly Tensor[]): string {
  const ops = members.filter((m) => m.op);
  const names = [...new Set(ops.map((m) => m.op?.name))];
  const shown = names.length > 4 ? [...names.slice(0, 4), '...'] : names;
  const lines = [name, `${count(ops.length, 'op')}: ${shown.join(', ')}`];
  const vars = members.filter((m) => m.kind === 'variable');
  if (vars.length) {
    const params = vars.reduce((n, v) => n + v.size, 0);
    lines.push(`${count(vars.length, 'variable')}, ${count(params, 'parameter')}`);
  }
  return lines.join('\n');
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
  const gradPairs = [...(options.grads ?? [])];
  const grads = new Map(gradPairs);
  const view = buildView(rootList, {
    gradientRoots: options.gradientGraph ? gradPairs.map(([, g]) => g) : [],
    inputs: new Set(options.inputs ?? []),
    scopeDepth: options.collapse ? (options.collapseDepth ?? Number.POSITIVE_INFINITY) : undefined,
  });
  const gradientRoots = new Set(options.gradientGraph ? gradPairs.map(([, g]) => g) : []);
  const groups = groupMembers(view);
  const boxed = options.collapse === 'box';
  const groupIds = new Map([...groups.keys()].map((k, i) => [k, `g${i}`] as const));
  // In box mode every grouped node is drawn as its group's box.
  const boxedGroup = (t: Tensor): string | undefined => (boxed ? view.groups.get(t) : undefined);
  const displayId = (t: Tensor): string => {
    const key = boxedGroup(t);
    return key !== undefined ? (groupIds.get(key) as string) : `n${view.index.get(t)}`;
  };
  const nodeStatement = (t: Tensor): string =>
    statement(
      displayId(t),
      nodeLines(t, view, options, grads).join('\n'),
      nodeStyle(
        view.roles.get(t) ?? 'op',
        view.roots.has(t) || gradientRoots.has(t),
        view.gradientOnly.has(t),
      ),
    );

  const graphAttrs = [`rankdir=${options.rankdir ?? 'LR'}`, 'fontname="Helvetica"'];
  if (options.title !== undefined) graphAttrs.push(`label=${quoteDot(options.title)}`, 'labelloc=t');
  const out = [
    'digraph chainrule {',
    `  graph [${graphAttrs.join(', ')}];`,
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const node of view.nodes) if (!view.groups.has(node)) out.push(`  ${nodeStatement(node)}`);
  for (const [key, members] of groups) {
    const id = groupIds.get(key) as string;
    if (boxed) {
      out.push(`  ${statement(id, groupLabel(key, members), GROUP_BOX_STYLE)}`);
      continue;
    }
    const color = key === GRADIENT_GROUP ? GRADIENT_COLOR : GROUP_COLOR;
    const style = key === GRADIENT_GROUP ? 'dashed' : 'rounded';
    out.push(`  subgraph cluster_${id} {`, `    label=${quoteDot(key)}; style=${style}; color=${color};`);
    for (const m of members) out.push(`    ${nodeStatement(m)}`);
    out.push('  }');
  }
  out.push(...edgeStatements(view, displayId, boxedGroup));
  const links = new Set<string>();
  for (const [variable, g] of options.gradientGraph ? gradPairs : []) {
    const link = `${displayId(g)} -> ${displayId(variable)}`;
    if (links.has(link)) continue;
    links.add(link);
    const attrs = `style=dashed, color=${GRADIENT_COLOR}, fontcolor=${GRADIENT_COLOR}, constraint=false`;
    const named = variable.name !== undefined && boxedGroup(variable) === undefined;
    const label = named ? `gradient of ${variable.name}` : 'gradient';
    out.push(`  ${link} [label=${quoteDot(label)}, ${attrs}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Edges input → user. Edges inside a collapsed box vanish; edges into or out of a box carry the shape. */
function edgeStatements(
  view: GraphView,
  displayId: (t: Tensor) => string,
  boxedGroup: (t: Tensor) => string | undefined,
): string[] {
  const out: string[] = [];
  const drawn = new Set<string>();
  for (const node of view.nodes) {
    const to = displayId(node);
    node.inputs.forEach((input, i) => {
      const from = displayId(input);
      if (from === to) return;
      const touchesBox = boxedGroup(node) !== undefined || boxedGroup(input) !== undefined;
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
