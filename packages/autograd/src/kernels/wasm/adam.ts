/**
 * Generates the fused Adam update, the optimizer step of torch.optim.Adam in one pass:
 *   m' = m + (g − m)·(1 − β₁);  v' = v·β₂ + g·g·(1 − β₂);  p' = p − (m' / (√v' / c₂ + ε))·s
 * where s = lr / (1 − β₁ᵗ) and c₂ = √(1 − β₂ᵗ). Vectors of 128 bits, then a scalar tail; every step rounds to
 * the element type, as PyTorch's float32 kernels do. Pointers are byte addresses; n counts elements.
 */
import type { FunctionSpec } from './encoding.js';
import { valType } from './encoding.js';
import type { Code, ElementIsa } from './instructions.js';
import {
  FunctionBuilder,
  add,
  and,
  i32,
  ifElse,
  join,
  loop,
  lt,
  repeatWhile,
  shl,
  v128Load,
  v128Store,
} from './instructions.js';

const { i32: I32, v128: V128 } = valType;

/** The pointers of one update: four inputs and three outputs of n elements each. */
export const adamPointers = ['p', 'g', 'm', 'v', 'outP', 'outM', 'outV'] as const;
/** The scalar hyper-parameters, in call order. */
export const adamScalars = [
  'oneMinusBeta1',
  'beta2',
  'oneMinusBeta2',
  'epsilon',
  'stepSize',
  'correction2',
] as const;

/**
 * `adam_<suffix>(p, g, m, v, outP, outM, outV, n, 1−β₁, β₂, 1−β₂, ε, s, c₂)`; with `scalarBits` (float32
 * only), `adam_<suffix>_bits` takes the six scalars as the i32 bit patterns of their float32 values, so that the
 * helper thread, whose job arguments are i32, can run it.
 */
export function adamFunction(isa: ElementIsa, suffix: string, scalarBits = false): FunctionSpec {
  const scalar = isa.scalarType;
  const f = new FunctionBuilder(`adam_${suffix}${scalarBits ? '_bits' : ''}`, [
    ...adamPointers.map((n) => [n, I32] as const),
    ['n', I32],
    ...adamScalars.map((n) => [scalarBits ? `${n}Bits` : n, scalarBits ? I32 : scalar] as const),
  ])
    .locals(I32, 'vectorEnd', 'end')
    .locals(V128, ...adamScalars.map((n) => `${n}X`), 'gX', 'mX', 'vX')
    .locals(scalar, 'gS', 'mS', 'vS');
  if (scalarBits) f.locals(scalar, ...adamScalars);
  const g = (n: string) => f.get(n);
  // One element (or one vector of them) of the update, given how to load, splat and compute.
  const body = (
    load: (ptr: string) => Code,
    store: (ptr: string, value: Code) => Code,
    op: (o: 'add' | 'sub' | 'mul' | 'div', a: Code, b: Code) => Code,
    sqrt: (a: Code) => Code,
    k: (name: string) => Code,
    tmp: { g: string; m: string; v: string },
  ): Code[] => [
    f.set(tmp.g, load('g')),
    f.set(tmp.m, op('add', load('m'), op('mul', op('sub', g(tmp.g), load('m')), k('oneMinusBeta1')))),
    f.set(
      tmp.v,
      op(
        'add',
        op('mul', load('v'), k('beta2')),
        op('mul', op('mul', g(tmp.g), g(tmp.g)), k('oneMinusBeta2')),
      ),
    ),
    store('outM', g(tmp.m)),
    store('outV', g(tmp.v)),
    store(
      'outP',
      op(
        'sub',
        load('p'),
        op(
          'mul',
          op('div', g(tmp.m), op('add', op('div', sqrt(g(tmp.v)), k('correction2')), k('epsilon'))),
          k('stepSize'),
        ),
      ),
    ),
  ];
  const advance = (bytes: number): Code[] => adamPointers.map((ptr) => f.inc(ptr, i32(bytes)));
  return f.build(
    ...(scalarBits ? adamScalars.map((n) => f.set(n, join(g(`${n}Bits`), [0xbe]))) : []), // f32.reinterpret_i32
    ...adamScalars.map((n) => f.set(`${n}X`, isa.splat(g(n)))),
    f.set('vectorEnd', add(g('outP'), shl(and(g('n'), i32(-isa.lanes)), i32(isa.shift)))),
    f.set('end', add(g('outP'), shl(g('n'), i32(isa.shift)))),
    ifElse(
      lt(g('outP'), g('vectorEnd')),
      loop(
        ...body(
          (ptr) => v128Load(g(ptr)),
          (ptr, value) => v128Store(g(ptr), value),
          (o, a, b) => isa.vector(o, a, b),
          (a) => isa.vectorUnary('sqrt', a),
          (n) => g(`${n}X`),
          { g: 'gX', m: 'mX', v: 'vX' },
        ),
        ...advance(16),
        repeatWhile(lt(g('outP'), g('vectorEnd'))),
      ),
    ),
    ifElse(
      lt(g('outP'), g('end')),
      loop(
        ...body(
          (ptr) => isa.load(g(ptr)),
          (ptr, value) => isa.store(g(ptr), value),
          (o, a, b) => isa.scalar(o, a, b),
          (a) => isa.scalarUnary('sqrt', a),
          (n) => g(n),
          { g: 'gS', m: 'mS', v: 'vS' },
        ),
        ...advance(isa.bytes),
        repeatWhile(lt(g('outP'), g('end'))),
      ),
    ),
  );
}
