/**
 * Generates the WebAssembly GEMM for one element type: C += op(A)·op(B) with a register-tiled SIMD micro-kernel.
 *
 * Operands are addressed through strides, so every transpose combination runs the same code without copies:
 * element op(A)[i][p] lives at a + i·aRow + p·aCol, element op(B)[p][j] at b + j·bRow + p·bCol.
 * B is first packed into panels of `nr` columns (`pack_*`), laid out [panel][p][nr] and zero-padded, so the
 * micro-kernel reads it with aligned vector loads. C is a padded scratch matrix (rows a multiple of `mr`, row
 * length npanels·nr) that the caller zero-fills and copies out; rows past m read the last real row of A, so no
 * edge case reaches the inner loop. The k dimension is split into blocks of `kc` so that a B panel block stays
 * in L1 while every row block of A streams past it.
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

/** `pack_<suffix>(b, bRow, bCol, n, k, dst)`: packs op(B) (k×n, strides in elements) into nr-wide panels. */
export function packFunction(isa: ElementIsa, tiling: GemmTiling, suffix: string): FunctionSpec {
  const { nr } = tiling;
  const f = new FunctionBuilder(`pack_${suffix}`, [
    ['b', I32],
    ['bRow', I32],
    ['bCol', I32],
    ['n', I32],
    ['k', I32],
    ['dst', I32],
  ]).locals(I32, 'j0', 'p', 'src', 's', 'contiguous');
  const g = (n: string) => f.get(n);
  const vectors = nr / isa.lanes;
  const copyVectors: Code[] = [];
  for (let v = 0; v < vectors; v++) copyVectors.push(v128Store(g('dst'), v128Load(g('src'), v * 16), v * 16));
  const copyScalars: Code[] = [f.set('s', g('src'))];
  for (let c = 0; c < nr; c++) {
    copyScalars.push(
      ifElse(
        lt(add(g('j0'), i32(c)), g('n')),
        isa.store(g('dst'), isa.load(g('s')), c * isa.bytes),
        isa.store(g('dst'), isa.zero(), c * isa.bytes),
      ),
      f.inc('s', g('bRow')),
    );
  }
  return f.build(
    f.set('bRow', shl(g('bRow'), i32(isa.shift))),
    f.set('bCol', shl(g('bCol'), i32(isa.shift))),
    f.set('j0', i32(0)),
    loop(
      // A full panel of a row-contiguous B is copied with vector moves.
      f.set('contiguous', and(le(add(g('j0'), i32(nr)), g('n')), eq(g('bRow'), i32(isa.bytes)))),
      f.set('src', add(g('b'), mul(g('j0'), g('bRow')))),
      f.set('p', i32(0)),
      loop(
        ifElse(g('contiguous'), [...copyVectors.flat()], [...copyScalars.flat()]),
        f.inc('dst', i32(nr * isa.bytes)),
        f.inc('src', g('bCol')),
        f.inc('p', i32(1)),
        repeatWhile(lt(g('p'), g('k'))),
      ),
      f.inc('j0', i32(nr)),
      repeatWhile(lt(g('j0'), g('n'))),
    ),
  );
}

/**
 * `gemm_<suffix>(a, aRow, aCol, bp, c, m, npanels, k, ldc)`: C += op(A)·B over `npanels` panels of packed B
 * starting at `bp` (from pack_*), with C the padded scratch matrix described above, `ldc` elements per row.
 * A range of panels is a range of C's columns, so two threads can each take a share. Requires m, npanels,
 * k ≥ 1.
 */
export function gemmFunction(isa: ElementIsa, tiling: GemmTiling, suffix: string): FunctionSpec {
  const { mr, nr, kc } = tiling;
  const vectors = nr / isa.lanes;
  const aPtr = (r: number) => `a${r}`;
  const acc = (r: number, v: number) => `acc${r}_${v}`;
  const bv = (v: number) => `b${v}`;
  const f = new FunctionBuilder(`gemm_${suffix}`, [
    ['a', I32],
    ['aRow', I32],
    ['aCol', I32],
    ['bp', I32],
    ['c', I32],
    ['m', I32],
    ['npanels', I32],
    ['k', I32],
    ['ldc', I32],
  ]).locals(I32, 'p0', 'kb', 'jp', 'i', 't', 'bptr', 'cptr', 'lastRow');
  for (let r = 0; r < mr; r++) f.locals(I32, aPtr(r));
  for (let r = 0; r < mr; r++) for (let v = 0; v < vectors; v++) f.locals(V128, acc(r, v));
  for (let v = 0; v < vectors; v++) f.locals(V128, bv(v));
  f.locals(V128, 'splat');
  const g = (n: string) => f.get(n);
  const cRow = (r: number): Code => (r === 0 ? g('cptr') : add(g('cptr'), mul(g('ldc'), i32(r))));

  const setRowPointers: Code[] = [];
  for (let r = 0; r < mr; r++) {
    const row = add(g('i'), i32(r));
    const clamped = select(mul(row, g('aRow')), g('lastRow'), lt(row, g('m')));
    setRowPointers.push(f.set(aPtr(r), add(add(g('a'), clamped), mul(g('p0'), g('aCol')))));
  }
  const loadAcc: Code[] = [];
  const storeAcc: Code[] = [];
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < vectors; v++) {
      loadAcc.push(f.set(acc(r, v), v128Load(cRow(r), v * 16)));
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

  return f.build(
    f.set('aRow', shl(g('aRow'), i32(isa.shift))),
    f.set('aCol', shl(g('aCol'), i32(isa.shift))),
    f.set('ldc', shl(g('ldc'), i32(isa.shift))),
    f.set('lastRow', mul(sub(g('m'), i32(1)), g('aRow'))),
    f.set('p0', i32(0)),
    loop(
      f.set('kb', sub(g('k'), g('p0'))),
      f.set('kb', select(i32(kc), g('kb'), gt(g('kb'), i32(kc)))),
      f.set('jp', i32(0)),
      loop(
        f.set('i', i32(0)),
        loop(
          ...setRowPointers,
          f.set('bptr', add(g('bp'), mul(add(mul(g('jp'), g('k')), g('p0')), i32(nr * isa.bytes)))),
          f.set('cptr', add(add(g('c'), mul(g('i'), g('ldc'))), mul(g('jp'), i32(nr * isa.bytes)))),
          ...loadAcc,
          f.set('t', g('kb')),
          loop(
            ...step,
            f.inc('bptr', i32(nr * isa.bytes)),
            f.set('t', sub(g('t'), i32(1))),
            repeatWhile(g('t')),
          ),
          ...storeAcc,
          f.inc('i', i32(mr)),
          repeatWhile(lt(g('i'), g('m'))),
        ),
        f.inc('jp', i32(1)),
        repeatWhile(lt(g('jp'), g('npanels'))),
      ),
      f.inc('p0', i32(kc)),
      repeatWhile(lt(g('p0'), g('k'))),
    ),
  );
}
