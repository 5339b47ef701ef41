/**
 * Generates elementwise arithmetic over contiguous runs: out[i] = a[i] ∘ b[i] (the four operations, and
 * relu(a + b)), with either operand optionally a single element repeated (`mode` 'vs': b is one element, 'sv':
 * a is one element), and out[i] = op(a[i]) for the unary operations. Vectors of 128 bits, then a scalar tail.
 * Pointers are byte addresses; n counts elements.
 */
import type { FunctionSpec } from './encoding.js';
import { valType } from './encoding.js';
import type { BinaryArithmetic, Code, ElementIsa, UnaryArithmetic } from './instructions.js';
import {
  FunctionBuilder,
  add,
  and,
  i32,
  ifElse,
  loop,
  lt,
  repeatWhile,
  shl,
  v128Load,
  v128Store,
} from './instructions.js';

/** Which operands are contiguous runs (v) and which are one repeated element (s). */
export type ArithmeticMode = 'vv' | 'vs' | 'sv';

const { i32: I32, v128: V128 } = valType;

/** `<op>_<mode>_<suffix>(a, b, out, n)`. */
export function arithmeticFunction(
  isa: ElementIsa,
  op: BinaryArithmetic,
  mode: ArithmeticMode,
  suffix: string,
): FunctionSpec {
  const f = new FunctionBuilder(`${op}_${mode}_${suffix}`, [
    ['a', I32],
    ['b', I32],
    ['out', I32],
    ['n', I32],
  ])
    .locals(I32, 'vectorEnd', 'end')
    .locals(V128, 'va', 'vb', 'sum')
    .locals(isa.scalarType, 'sumS');
  const g = (n: string) => f.get(n);
  // relu(a + b) rounds the sum once, as add does, then masks it.
  const vector = (a: Code, b: Code): Code =>
    op === 'addRelu'
      ? [...f.set('sum', isa.vector('add', a, b)), ...isa.vectorUnary('relu', g('sum'))]
      : isa.vector(op, a, b);
  const scalar = (a: Code, b: Code): Code =>
    op === 'addRelu'
      ? [...f.set('sumS', isa.scalar('add', a, b)), ...isa.scalarUnary('relu', g('sumS'))]
      : isa.scalar(op, a, b);
  const aVector = mode !== 'sv';
  const bVector = mode !== 'vs';
  const step = (vector: boolean, ptr: string, size: number): Code => (vector ? f.inc(ptr, i32(size)) : []);
  return f.build(
    f.set('vectorEnd', add(g('out'), shl(and(g('n'), i32(-isa.lanes)), i32(isa.shift)))),
    f.set('end', add(g('out'), shl(g('n'), i32(isa.shift)))),
    aVector ? [] : f.set('va', isa.loadSplat(g('a'))),
    bVector ? [] : f.set('vb', isa.loadSplat(g('b'))),
    ifElse(
      lt(g('out'), g('vectorEnd')),
      loop(
        v128Store(
          g('out'),
          vector(aVector ? v128Load(g('a')) : g('va'), bVector ? v128Load(g('b')) : g('vb')),
        ),
        step(aVector, 'a', 16),
        step(bVector, 'b', 16),
        f.inc('out', i32(16)),
        repeatWhile(lt(g('out'), g('vectorEnd'))),
      ),
    ),
    ifElse(
      lt(g('out'), g('end')),
      loop(
        isa.store(g('out'), scalar(isa.load(g('a')), isa.load(g('b')))),
        step(aVector, 'a', isa.bytes),
        step(bVector, 'b', isa.bytes),
        f.inc('out', i32(isa.bytes)),
        repeatWhile(lt(g('out'), g('end'))),
      ),
    ),
  );
}

/** `<op>_<suffix>(a, out, n)`: out[i] = op(a[i]) over n contiguous elements. */
export function unaryArithmeticFunction(isa: ElementIsa, op: UnaryArithmetic, suffix: string): FunctionSpec {
  const f = new FunctionBuilder(`${op}_${suffix}`, [
    ['a', I32],
    ['out', I32],
    ['n', I32],
  ])
    .locals(I32, 'vectorEnd', 'end')
    .locals(V128, 'x')
    .locals(isa.scalarType, 'xS');
  const g = (n: string) => f.get(n);
  return f.build(
    f.set('vectorEnd', add(g('out'), shl(and(g('n'), i32(-isa.lanes)), i32(isa.shift)))),
    f.set('end', add(g('out'), shl(g('n'), i32(isa.shift)))),
    ifElse(
      lt(g('out'), g('vectorEnd')),
      loop(
        f.set('x', v128Load(g('a'))),
        v128Store(g('out'), isa.vectorUnary(op, g('x'))),
        f.inc('a', i32(16)),
        f.inc('out', i32(16)),
        repeatWhile(lt(g('out'), g('vectorEnd'))),
      ),
    ),
    ifElse(
      lt(g('out'), g('end')),
      loop(
        f.set('xS', isa.load(g('a'))),
        isa.store(g('out'), isa.scalarUnary(op, g('xS'))),
        f.inc('a', i32(isa.bytes)),
        f.inc('out', i32(isa.bytes)),
        repeatWhile(lt(g('out'), g('end'))),
      ),
    ),
  );
}
