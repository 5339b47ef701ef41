/**
 * The text inside DOT nodes: a tensor's name, op, shape, dtype, value and gradient; a collapsed group's
 * name, ops and parameter count.
 */
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatNumber, summarizeValues } from './format.js';
import type { NodeRole } from './view.js';

/** What a node label shows besides name, op, shape and dtype. */
export interface LabelContent {
  readonly values: boolean;
  /** The gradient drawn on this node, if any. */
  readonly grad: Tensor | undefined;
}

function opTitle(t: Tensor): string {
  const op = t.op;
  if (!op) return '';
  const described = op.describeAttrs?.(t.attrs as never);
  return described ? `${op.name} ${described}` : op.name;
}

/**
 * The lines of a node's label: its name (if any); its op with attributes, or its role, or for an unnamed
 * one-element constant its value; shape and dtype; then value and gradient summaries.
 */
export function nodeLabel(t: Tensor, role: NodeRole, content: LabelContent): string {
  const lines: string[] = [];
  if (t.name !== undefined) lines.push(t.name);
  const literal = role === 'constant' && t.size === 1;
  if (t.op) lines.push(opTitle(t));
  else if (literal) lines.push(formatNumber(t.data[0]));
  else lines.push(role);
  lines.push(`${formatShape(t.shape)} ${t.dtype}`);
  if (content.values && !literal) lines.push(...summarizeValues('value', t));
  if (content.grad) lines.push(...summarizeValues('grad', content.grad));
  return lines.join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Summary label of a collapsed group: its name, its ops, and its variables with their parameter count. */
export function groupLabel(name: string, members: readonly Tensor[]): string {
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
