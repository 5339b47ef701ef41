/**
 * Generates the sum over the middle axis of an [outer, reduced, inner] block (a bias gradient: a batch of rows
 * summed into one row): out[o·inner + i] = Σ_r x[(o·reduced + r)·inner + i], adding r in ascending order from
 * zero, one rounding per addition, as the TypeScript loop does (so the two agree bit for bit). A vector of
 * adjacent columns keeps its running sum in a register while it walks down the rows; the last inner % lanes
 * columns go one by one. Pointers are byte addresses; counts are elements; requires reduced ≥ 1.
 */
import type { FunctionSpec } from './encoding.js';
import { valType } from './encoding.js';
import type { Code, ElementIsa } from './instructions.js';
import {
  FunctionBuilder,
  add,
  i32,
  ifElse,
  le,
  loop,
  lt,
  mul,
  repeatWhile,
  shl,
  v128Load,
  v128Store,
} from './instructions.js';

const { i32: I32, v128: V128 } = valType;

/** `sum_rows_<suffix>(x, out, outer, reduced, inner)`. */
export function sumRowsFunction(isa: ElementIsa, suffix: string): FunctionSpec {
  const f = new FunctionBuilder(`sum_rows_${suffix}`, [
    ['x', I32],
    ['out', I32],
    ['outer', I32],
    ['reduced', I32],
    ['inner', I32],
  ])
    .locals(I32, 'rowBytes', 'blockBytes', 'o', 'i', 'p', 'end')
    .locals(V128, 'acc')
    .locals(isa.scalarType, 'accS');
  const g = (n: string) => f.get(n);
  // One column group: its running sum from zero down the `reduced` rows, stored at out + i·bytes.
  const column = (
    acc: string,
    zero: Code,
    load: (p: Code) => Code,
    plus: (a: Code, b: Code) => Code,
    store: (at: Code, v: Code) => Code,
  ): Code[] => [
    f.set('p', add(g('x'), shl(g('i'), i32(isa.shift)))),
    f.set('end', add(g('p'), g('blockBytes'))),
    f.set(acc, zero),
    loop(
      f.set(acc, plus(g(acc), load(g('p')))),
      f.inc('p', g('rowBytes')),
      repeatWhile(lt(g('p'), g('end'))),
    ),
    store(add(g('out'), shl(g('i'), i32(isa.shift))), g(acc)),
  ];
  return f.build(
    f.set('rowBytes', shl(g('inner'), i32(isa.shift))),
    f.set('blockBytes', mul(g('rowBytes'), g('reduced'))),
    f.set('o', i32(0)),
    ifElse(
      lt(g('o'), g('outer')),
      loop(
        f.set('i', i32(0)),
        ifElse(
          le(i32(isa.lanes), g('inner')),
          loop(
            ...column(
              'acc',
              isa.splat(isa.zero()),
              (p) => v128Load(p),
              (a, b) => isa.vector('add', a, b),
              (at, v) => v128Store(at, v),
            ),
            f.inc('i', i32(isa.lanes)),
            repeatWhile(le(add(g('i'), i32(isa.lanes)), g('inner'))),
          ),
        ),
        ifElse(
          lt(g('i'), g('inner')),
          loop(
            ...column(
              'accS',
              isa.zero(),
              (p) => isa.load(p),
              (a, b) => isa.scalar('add', a, b),
              (at, v) => isa.store(at, v),
            ),
            f.inc('i', i32(1)),
            repeatWhile(lt(g('i'), g('inner'))),
          ),
        ),
        f.inc('x', g('blockBytes')),
        f.inc('out', g('rowBytes')),
        f.inc('o', i32(1)),
        repeatWhile(lt(g('o'), g('outer'))),
      ),
    ),
  );
}
