/**
 * Generates the WebAssembly GEMM for one element type: C = op(A)·op(B) with a register-tiled SIMD micro-kernel.
 *
 * Operands are addressed through strides, so every transpose combination runs the same code without copies:
 * element op(A)[i][p] lives at a + i·aRow + p·aCol, element op(B)[p][j] at b + j·bRow + p·bCol.
 * C's columns are cut into chunks of whole `nr`-wide panels that the calling threads claim one at a time from
 * a shared counter, so two threads split the work however fast each one runs, and every column of C is
 * computed by the same instructions whichever thread takes it (the result is bit-identical). For its chunk, a
 * thread packs B's columns into panels laid out [panel][p][nr] and zero-padded, so the micro-kernel reads
 * them with aligned vector loads, then multiplies. C is a padded scratch matrix (rows a multiple of `mr`, row
 * length npanels·nr) that the caller copies out; rows past m read the last real row of A, so no edge case
 * reaches the inner loop. The k dimension is split into blocks of `kc` so that a B panel block stays in L1
 * while every row block of A streams past it.
 */
import type { Code, ElementIsa } from './instructions.js';
import {
  FunctionBuilder,
  add,
  and,
  eq,
  gt,
  i32,
  ifElse,
  le,
  loop,
  lt,
  mul,
  repeatWhile,
  select,
  shl,
  sub,
} from './instructions.js';
import { v128Load, v128Store } from './instructions.js';
import type { FunctionSpec } from './encoding.js';
import { valType } from './encoding.js';

/** Register tile and k-block of one element type's micro-kernel. */
export interface GemmTiling {
  /** Rows of C per tile. */
  readonly mr: number;
  /** Columns of C per tile (a multiple of the vector lanes). */
  readonly nr: number;
  /** Depth of one k block. */
  readonly kc: number;
}

const { i32: I32, v128: V128 } = valType;

/** i32.atomic.rmw.add: adds `value` to the i32 at `addr` and pushes the old value (threads proposal). */
const atomicAdd = (addr: Code, value: Code): Code => [...addr, ...value, 0xfe, 0x1e, 2, 0];

/**
 * `gemm_<suffix>(a, aRow, aCol, b, bRow, bCol, n, k, m, packed, c, ldc, next, chunk)`: C = op(A)·op(B) for
 * op(A) m×k and op(B) k×n (strides in elements). `packed` has room for the padded panels of all of B, `c` is
 * the padded scratch matrix with `ldc` elements per row, `next` the address of an i32 counter (zero before the
 * first thread starts) from which chunks of `chunk` panels are claimed. Every thread that calls it with the
 * same arguments helps until no chunk is left. Requires m, n, k ≥ 1.
 */
export function gemmFunction(isa: ElementIsa, tiling: GemmTiling, suffix: string): FunctionSpec {
  const { mr, nr, kc } = tiling;
  const vectors = nr / isa.lanes;
  const panelBytes = nr * isa.bytes;
  const aPtr = (r: number) => `a${r}`;
  const acc = (r: number, v: number) => `acc${r}_${v}`;
  const bv = (v: number) => `b${v}`;
  const f = new FunctionBuilder(`gemm_${suffix}`, [
    ['a', I32],
    ['aRow', I32],
    ['aCol', I32],
    ['b', I32],
    ['bRow', I32],
    ['bCol', I32],
    ['n', I32],
    ['k', I32],
    ['m', I32],
    ['packed', I32],
    ['c', I32],
    ['ldc', I32],
    ['next', I32],
    ['chunk', I32],
  ]).locals(I32, 'j0', 'cols', 'bp', 'cp');
  f.locals(I32, 'pj', 'pp', 'src', 's', 'dst', 'contiguous');
  f.locals(I32, 'p0', 'kb', 'jp', 'i', 't', 'bptr', 'cptr', 'lastRow');
  for (let r = 0; r < mr; r++) f.locals(I32, aPtr(r));
  for (let r = 0; r < mr; r++) for (let v = 0; v < vectors; v++) f.locals(V128, acc(r, v));
  for (let v = 0; v < vectors; v++) f.locals(V128, bv(v));
  f.locals(V128, 'splat');
  const g = (n: string) => f.get(n);

  // Packing: columns [j0, j0 + cols) of op(B) into panels at bp; a full panel of a row-contiguous B is copied
  // with vector moves, any other panel element by element.
  const copyVectors: Code[] = [];
  for (let v = 0; v < vectors; v++) copyVectors.push(v128Store(g('dst'), v128Load(g('src'), v * 16), v * 16));
  const copyScalars: Code[] = [f.set('s', g('src'))];
  for (let c = 0; c < nr; c++) {
    copyScalars.push(
      ifElse(
        lt(add(g('pj'), i32(c)), g('cols')),
        isa.store(g('dst'), isa.load(g('s')), c * isa.bytes),
        isa.store(g('dst'), isa.zero(), c * isa.bytes),
      ),
      f.inc('s', g('bRow')),
    );
  }
  const pack: Code[] = [
    f.set('dst', g('bp')),
    f.set('pj', i32(0)),
    loop(
      f.set('contiguous', and(le(add(g('pj'), i32(nr)), g('cols')), eq(g('bRow'), i32(isa.bytes)))),
      f.set('src', add(g('b'), mul(add(g('j0'), g('pj')), g('bRow')))),
      f.set('pp', i32(0)),
      loop(
        ifElse(g('contiguous'), [...copyVectors.flat()], [...copyScalars.flat()]),
        f.inc('dst', i32(panelBytes)),
        f.inc('src', g('bCol')),
        f.inc('pp', i32(1)),
        repeatWhile(lt(g('pp'), g('k'))),
      ),
      f.inc('pj', i32(nr)),
      repeatWhile(lt(g('pj'), g('cols'))),
    ),
  ];

  // Multiplying: the chunk's panels at bp into C's columns starting at cp.
  const cRow = (r: number): Code => (r === 0 ? g('cptr') : add(g('cptr'), mul(g('ldc'), i32(r))));
  const setRowPointers: Code[] = [];
  for (let r = 0; r < mr; r++) {
    const row = add(g('i'), i32(r));
    const clamped = select(mul(row, g('aRow')), g('lastRow'), lt(row, g('m')));
    setRowPointers.push(f.set(aPtr(r), add(add(g('a'), clamped), mul(g('p0'), g('aCol')))));
  }
  const loadAcc: Code[] = [];
  const zeroAcc: Code[] = [];
  const storeAcc: Code[] = [];
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < vectors; v++) {
      loadAcc.push(f.set(acc(r, v), v128Load(cRow(r), v * 16)));
      zeroAcc.push(f.set(acc(r, v), isa.splat(isa.zero())));
      storeAcc.push(v128Store(cRow(r), g(acc(r, v)), v * 16));
    }
  }
  const step: Code[] = [];
  for (let v = 0; v < vectors; v++) step.push(f.set(bv(v), v128Load(g('bptr'), v * 16)));
  for (let r = 0; r < mr; r++) {
    step.push(f.set('splat', isa.loadSplat(g(aPtr(r)))), f.inc(aPtr(r), g('aCol')));
    for (let v = 0; v < vectors; v++) {
      step.push(f.set(acc(r, v), isa.vector('add', g(acc(r, v)), isa.vector('mul', g('splat'), g(bv(v))))));
    }
  }
  const multiply: Code[] = [
    f.set('p0', i32(0)),
    loop(
      f.set('kb', sub(g('k'), g('p0'))),
      f.set('kb', select(i32(kc), g('kb'), gt(g('kb'), i32(kc)))),
      f.set('jp', i32(0)),
      loop(
        f.set('i', i32(0)),
        loop(
          ...setRowPointers,
          f.set('bptr', add(g('bp'), mul(add(mul(g('jp'), g('k')), g('p0')), i32(panelBytes)))),
          f.set('cptr', add(add(g('cp'), mul(g('i'), g('ldc'))), mul(g('jp'), i32(panelBytes)))),
          // The first k block starts from zero (C is never cleared), later ones from the partial sums.
          ifElse(g('p0'), [...loadAcc.flat()], [...zeroAcc.flat()]),
          f.set('t', g('kb')),
          loop(...step, f.inc('bptr', i32(panelBytes)), f.set('t', sub(g('t'), i32(1))), repeatWhile(g('t'))),
          ...storeAcc,
          f.inc('i', i32(mr)),
          repeatWhile(lt(g('i'), g('m'))),
        ),
        f.inc('jp', i32(1)),
        repeatWhile(lt(mul(g('jp'), i32(nr)), g('cols'))),
      ),
      f.inc('p0', i32(kc)),
      repeatWhile(lt(g('p0'), g('k'))),
    ),
  ];

  const bytes = (n: string) => f.set(n, shl(g(n), i32(isa.shift)));
  return f.build(
    bytes('aRow'),
    bytes('aCol'),
    bytes('bRow'),
    bytes('bCol'),
    bytes('ldc'),
    f.set('lastRow', mul(sub(g('m'), i32(1)), g('aRow'))),
    loop(
      f.set('j0', mul(atomicAdd(g('next'), i32(1)), mul(g('chunk'), i32(nr)))),
      ifElse(lt(g('j0'), g('n')), [
        ...f.set('cols', sub(g('n'), g('j0'))),
        ...f.set(
          'cols',
          select(mul(g('chunk'), i32(nr)), g('cols'), gt(g('cols'), mul(g('chunk'), i32(nr)))),
        ),
        ...f.set('bp', add(g('packed'), mul(mul(g('j0'), g('k')), i32(isa.bytes)))),
        ...f.set('cp', add(g('c'), shl(g('j0'), i32(isa.shift)))),
        ...pack.flat(),
        ...multiply.flat(),
      ]),
      repeatWhile(lt(g('j0'), g('n'))),
    ),
  );
}
