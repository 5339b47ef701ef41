/**
 * How each kind of node looks in DOT: variables are blue rounded boxes, inputs yellow boxes, constants grey
 * dashed boxes, ops white ellipses, outputs green with a double border, and everything that belongs only
 * to the gradient computation red.
 */
import type { NodeRole } from './view.js';

/** DOT attributes (name → unquoted value or quoted string) in print order. */
export type DotAttrs = readonly (readonly [string, string])[];

const ROLE_STYLES: Readonly<Record<NodeRole, DotAttrs>> = {
  variable: [
    ['shape', 'box'],
    ['style', '"rounded,filled"'],
    ['fillcolor', '"#dbeafe"'],
    ['color', '"#1d4ed8"'],
  ],
  input: [
    ['shape', 'box'],
    ['style', 'filled'],
    ['fillcolor', '"#fef9c3"'],
    ['color', '"#a16207"'],
  ],
  constant: [
    ['shape', 'box'],
    ['style', 'dashed'],
    ['color', '"#9ca3af"'],
    ['fontcolor', '"#4b5563"'],
  ],
  op: [
    ['shape', 'ellipse'],
    ['style', 'filled'],
    ['fillcolor', '"#ffffff"'],
    ['color', '"#374151"'],
  ],
};

const OUTPUT_FILL = '"#dcfce7"';
const GRADIENT_FILL = '"#fee2e2"';
/** Colour of gradient nodes, the gradient cluster and the links from a gradient to its variable. */
export const GRADIENT_COLOR = '"#b91c1c"';
/** Colour of collapsed groups (clusters and boxes). */
export const GROUP_COLOR = '"#6d28d9"';

/** The DOT attributes of a node with this role; `output` and `gradient` recolour op nodes. */
export function nodeStyle(role: NodeRole, output: boolean, gradient: boolean): DotAttrs {
  let attrs = ROLE_STYLES[role];
  if (role === 'op' && (output || gradient)) {
    attrs = attrs.map(([k, v]) =>
      k === 'fillcolor'
        ? [k, gradient ? GRADIENT_FILL : OUTPUT_FILL]
        : k === 'color' && gradient
          ? [k, GRADIENT_COLOR]
          : [k, v],
    );
  }
  return output ? [...attrs, ['peripheries', '2']] : attrs;
}

/** The attributes of a collapsed group drawn as one box. */
export const GROUP_BOX_STYLE: DotAttrs = [
  ['shape', 'box3d'],
  ['style', 'filled'],
  ['fillcolor', '"#ede9fe"'],
  ['color', GROUP_COLOR],
];

/** Formats attributes as `a=b, c="d"`. */
export function formatAttrs(attrs: DotAttrs): string {
  return attrs.map(([k, v]) => `${k}=${v}`).join(', ');
}
