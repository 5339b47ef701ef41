/**
 * Prints a graph as a formula with the fewest parentheses its operators' precedences allow, using each
 * op's `FormulaSpec` from the op table.
 */
import { GraphError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { OpDef } from '../ops/types.js';
import { collectNodes } from './collect.js';
import { uniformValue } from '../graph/simplify/spec.js';
import { formatNumber } from './format.js';

/** Options of `toExpr`. */
export interface ExprOptions {
  /** Significant digits of printed constants (default 6). */
  readonly digits?: number;
  /** Longest formula printed before a GraphError (default 20,000 characters). */
  readonly maxLength?: number;
}

/** A printed subexpression and how tightly it binds. */
interface Printed {
  readonly text: string;
  /** Precedence of its outermost operator; atoms bind tightest. */
  readonly precedence: number;
  /** True when the text starts with a sign (a prefix op or a negative number). */
  readonly signed: boolean;
  /** The outermost op's name, if any. */
  readonly op?: string;
}

const ATOM = Number.POSITIVE_INFINITY;
/** Precedence given to a negative number, as if it were the prefix op − applied to its magnitude. */
const NEGATIVE_NUMBER = 3;
const MINUS = '−';

/** Operators whose right operand may drop its parentheses at equal precedence: a + (b − c) = a + b − c. */
const REASSOCIATES: Readonly<Record<string, readonly string[]>> = {
  add: ['add', 'sub'],
  mul: ['mul', 'div'],
};
/** Right-associative operators: a^b^c means a^(b^c). */
const RIGHT_ASSOCIATIVE = new Set(['pow']);

function printNumber(v: number, digits: number): Printed {
  const text = formatNumber(Math.abs(v), digits).replace('inf', '∞');
  if (v < 0 || Object.is(v, -0)) return { text: MINUS + text, precedence: NEGATIVE_NUMBER, signed: true };
  return { text: Number.isNaN(v) ? 'NaN' : text, precedence: ATOM, signed: false };
}

/** Names the leaves: variables and constants by name; unnamed ones v0, v1, ... and c0, c1, ... in order. */
function leafPrinter(digits: number): (t: Tensor) => Printed {
  const counters = { variable: 0, constant: 0 };
  return (t) => {
    if (t.kind === 'constant') {
      const v = uniformValue(t);
      if (t.name === undefined && v !== undefined) return printNumber(v, digits);
    }
    const kind = t.kind === 'variable' ? 'variable' : 'constant';
    const text = t.name ?? `${kind === 'variable' ? 'v' : 'c'}${counters[kind]++}`;
    return { text, precedence: ATOM, signed: false };
  };
}

function wrap(p: Printed, needed: boolean): string {
  return needed ? `(${p.text})` : p.text;
}

/** Marks a matmul operand used transposed (attrs transA / transB) with ᵀ. */
function transposed(op: OpDef, attrs: unknown, i: number, p: Printed): Printed {
  if (op.name !== 'matmul' || typeof attrs !== 'object' || attrs === null) return p;
  const flag = (attrs as Record<string, unknown>)[i === 0 ? 'transA' : 'transB'];
  return flag ? { text: `${wrap(p, p.precedence < ATOM)}ᵀ`, precedence: ATOM, signed: false } : p;
}

function printOp(op: OpDef, attrs: unknown, args: readonly Printed[]): Printed {
  return { ...printOpText(op, attrs, args), op: op.name };
}

function printOpText(op: OpDef, attrs: unknown, args: readonly Printed[]): Printed {
  const f = op.formula;
  const described = op.describeAttrs?.(attrs as never) ?? '';
  switch (f.kind) {
    case 'infix': {
      const [left, right] = args.map((a, i) => transposed(op, attrs, i, a));
      const rightAssoc = RIGHT_ASSOCIATIVE.has(op.name);
      const leftParens = left.precedence < f.precedence || (rightAssoc && left.precedence === f.precedence);
      const rightParens =
        right.signed ||
        right.precedence < f.precedence ||
        (right.precedence === f.precedence && !rightAssoc && !reassociates(op.name, args[1]));
      const spaced = f.precedence <= 1;
      const symbol = spaced ? ` ${f.symbol} ` : f.symbol;
      return {
        text: `${wrap(left, leftParens)}${symbol}${wrap(right, rightParens)}`,
        precedence: f.precedence,
        signed: left.signed && !leftParens,
      };
    }
    case 'prefix': {
      const [x] = args;
      return {
        text: `${f.symbol}${wrap(x, x.signed || x.precedence < f.precedence)}`,
        precedence: f.precedence,
        signed: true,
      };
    }
    case 'postfix': {
      const [x] = args;
      return {
        text: `${wrap(x, x.signed || x.precedence < f.precedence)}${f.symbol}`,
        precedence: f.precedence,
        signed: false,
      };
    }
    case 'call': {
      const parts = args.map((a) => a.text);
      if (described) parts.push(described);
      return { text: `${f.name}(${parts.join(', ')})`, precedence: ATOM, signed: false };
    }
  }
}

function reassociates(parent: string, right: Printed): boolean {
  return right.op !== undefined && (REASSOCIATES[parent]?.includes(right.op) ?? false);
}

/**
 * Prints `y` as a formula: `toExpr(x.mul(x).add(x.sin()))` is `x·x + sin(x)`. Leaves print by name (unnamed
 * variables as v0, v1, ...; constants filled with one value as that number; other unnamed constants as c0,
 * c1, ...). Parentheses appear only where precedence or left-associativity needs them. Shared subexpressions
 * are printed where they are used; a formula longer than `maxLength` is a GraphError (draw it with toDot).
 */
export function toExpr(y: Tensor, options: ExprOptions = {}): string {
  const digits = options.digits ?? 6;
  const maxLength = options.maxLength ?? 20_000;
  const leaf = leafPrinter(digits);
  const printed = new Map<Tensor, Printed>();
  for (const node of collectNodes([y])) {
    let p: Printed;
    if (node.op) {
      p = printOp(
        node.op,
        node.attrs,
        node.inputs.map((i) => printed.get(i) as Printed),
      );
    } else p = leaf(node);
    if (p.text.length > maxLength) {
      throw new GraphError(
        'toExpr',
        `the formula grows past ${maxLength} characters at a ${node.op?.name ?? node.kind} node`,
        'simplify(y) first, print a smaller part, raise maxLength, or draw the graph with toDot',
      );
    }
    printed.set(node, p);
  }
  return (printed.get(y) as Printed).text;
}
