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
 * while every row block of A streams past it. A transposed A (aRow = 1) has a tile's rows adjacent in each
 * column, so its full tiles read them through one pointer; a thread with enough panels of C to repay it copies
 * such an A into that layout while it computes its first chunk and reuses the copy for its later chunks. A
 * mostly-zero A (a batch of images) is packed instead as lists of the columns that hold a nonzero, row block
 * by row block, and its tiles multiply by those only. The order of the additions is the same in every form,
 * hence so are the bits.
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
import { zeroSkipping } from './gemmZeros.js';
import { transpose } from './transpose.js';

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

/**
 * Panels of C per thread from which the threads pack a transposed A: the copy is read once per panel, and at
 * 4 panels it measured even with reading A in place on one thread, above that faster. On two threads (16
 * panels, each thread packing its own copy) Aᵀ·B 784×64ᵀ·64×128 ran 1.07–1.09x in paired runs. A plain A
 * (rows contiguous) is read in place through one pointer per tile row: copying it measured 2–10% slower on
 * two threads (64×784·784×128 144–150 µs against 150–156, 64×128·128×784ᵀ, 512³, 256×300·300×64 100–102
 * against 112–115) and alike or slower on one.
 */
export const PACK_A_MIN_PANELS = 4;

/** i32.atomic.rmw.add: adds `value` to the i32 at `addr` and pushes the old value (threads proposal). */
const atomicAdd = (addr: Code, value: Code): Code => [...addr, ...value, 0xfe, 0x1e, 2, 0];

/**
 * `gemm_<suffix>(a, aRow, aCol, b, bRow, bCol, n, k, m, packed, c, ldc, next, chunk, skipZeros, apack)`:
 * C = op(A)·op(B) for op(A) m×k and op(B) k×n (strides in elements). `packed` has room for the padded panels
 * of all of B; `c` is the padded scratch matrix with `ldc` elements per row, `next` the address of an i32
 * counter (zero before the first thread starts) from which chunks of `chunk` panels are claimed. `apack` is 0,
 * or this thread's own room for a packed copy of A (m rounded up to `mr`, times k; k blocks one after the
 * other); it is meant for a transposed A, whose full tiles copy a vector per step (any other A would be copied
 * element by element). With `apack`, a nonzero `skipZeros` packs A as lists of the columns of each row block
 * that hold a nonzero and multiplies by those only (`gemmZeros.ts`; room: `zeroSkippingPackBytes`); it pays
 * where A is mostly zeros.
 * Every thread that calls it with the same arguments but its own `apack` helps until no chunk is left.
 * Requires m, n, k ≥ 1.
 * `fusedMultiplyAdd` accumulates with relaxed SIMD's madd (the module then needs a runtime with relaxed SIMD).
 */
export function gemmFunction(
  isa: ElementIsa,
  tiling: GemmTiling,
  suffix: string,
  fusedMultiplyAdd = false,
): FunctionSpec {
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
    ['skipZeros', I32],
    ['apack', I32],
  ]).locals(I32, 'j0', 'cols', 'bp', 'cp');
  f.locals(I32, 'pj', 'pp', 'src', 's', 'dst');
  f.locals(I32, 'p0', 'kb', 'jp', 'i', 'bend', 'bptr', 'cptr', 'lastRow', 'ablock', 'fresh');
  for (let r = 0; r < mr; r++) f.locals(I32, aPtr(r));
  for (let r = 0; r < mr; r++) for (let v = 0; v < vectors; v++) f.locals(V128, acc(r, v));
  for (let v = 0; v < vectors; v++) f.locals(V128, bv(v));
  f.locals(V128, 'splat');
  f.locals(I32, 'densePack');
  const g = (n: string) => f.get(n);

  // Packing: columns [j0, j0 + cols) of op(B) into panels at bp. A full panel is copied with vector moves
  // when op(B)'s rows are contiguous, and transposed block by block (lanes × lanes, with shuffles) when its
  // columns are (a transposed B); partial panels and the last k % lanes rows go element by element.
  const lanes = isa.lanes;
  for (let c = 0; c < lanes; c++) f.locals(V128, `row${c}`, `half${c}`);
  const copyVectors: Code[] = [];
  for (let v = 0; v < vectors; v++) copyVectors.push(v128Store(g('dst'), v128Load(g('src'), v * 16), v * 16));
  const transposeBlocks: Code[] = [];
  for (let v = 0; v < vectors; v++) {
    // Columns v·lanes … v·lanes + lanes − 1 of the panel are rows of the stored B, contiguous along p.
    for (let c = 0; c < lanes; c++) {
      transposeBlocks.push(f.set(`row${c}`, v128Load(add(g('src'), mul(g('bRow'), i32(v * lanes + c))))));
    }
    const rows = transpose(
      lanes,
      (c) => g(`row${c}`),
      (c) => `half${c}`,
      f,
    );
    transposeBlocks.push(...rows.code);
    for (let q = 0; q < lanes; q++)
      transposeBlocks.push(v128Store(g('dst'), rows.out[q], q * panelBytes + v * 16));
  }
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
  const copyRows = (copy: Code[]): Code =>
    loop(
      ...copy,
      f.inc('dst', i32(panelBytes)),
      f.inc('src', g('bCol')),
      f.inc('pp', i32(1)),
      repeatWhile(lt(g('pp'), g('k'))),
    );
  const pack: Code[] = [
    f.set('dst', g('bp')),
    f.set('pj', i32(0)),
    loop(
      f.set('src', add(g('b'), mul(add(g('j0'), g('pj')), g('bRow')))),
      f.set('pp', i32(0)),
      ifElse(
        and(le(add(g('pj'), i32(nr)), g('cols')), eq(g('bRow'), i32(isa.bytes))),
        copyRows(copyVectors),
        [
          ...ifElse(and(le(add(g('pj'), i32(nr)), g('cols')), eq(g('bCol'), i32(isa.bytes))), [
            ...ifElse(le(i32(lanes), g('k')), [
              ...loop(
                ...transposeBlocks,
                f.inc('dst', i32(lanes * panelBytes)),
                f.inc('src', i32(lanes * isa.bytes)),
                f.inc('pp', i32(lanes)),
                repeatWhile(le(add(g('pp'), i32(lanes)), g('k'))),
              ),
            ]),
          ]),
          ...ifElse(lt(g('pp'), g('k')), copyRows(copyScalars)),
        ],
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
  // The k loop of one tile, in one of two forms that run, for every element of C, the same additions in the
  // same order (p ascending, one product at a time), so they give bit-identical results (each product and sum
  // rounded twice, or once in a fused multiply-add where the runtime has relaxed SIMD and the CPU has FMA):
  // - contiguous columns of op(A) (aRow = one element: a transposed A) in a full tile: the tile's mr elements
  //   of column p are adjacent, so one pointer read at constant offsets replaces the mr row pointers;
  // - any strides (a plain A, and the last, partial tile of a transposed A): a pointer per row.
  const columnSplat = (r: number) => isa.loadSplat(g(aPtr(0)), r * isa.bytes);
  const rowSplat = (r: number) => isa.loadSplat(g(aPtr(r)));
  const rowPointersAdvance = Array.from({ length: mr }, (_, r) => f.inc(aPtr(r), g('aCol')));
  // One step of a tile: the row of the B panel at bptr times the column of A whose elements `splat` reads.
  const multiplyAdd = (splat: (r: number) => Code): Code[] => {
    const step: Code[] = [];
    for (let v = 0; v < vectors; v++) step.push(f.set(bv(v), v128Load(g('bptr'), v * 16)));
    for (let r = 0; r < mr; r++) {
      step.push(f.set('splat', splat(r)));
      for (let v = 0; v < vectors; v++) {
        const sum = fusedMultiplyAdd
          ? isa.relaxedMadd(g('splat'), g(bv(v)), g(acc(r, v)))
          : isa.vector('add', g(acc(r, v)), isa.vector('mul', g('splat'), g(bv(v))));
        step.push(f.set(acc(r, v), sum));
      }
    }
    return step;
  };
  const kLoop = (splat: (r: number) => Code, advance: Code[]): Code =>
    loop(
      ...multiplyAdd(splat),
      ...advance,
      f.inc('bptr', i32(panelBytes)),
      repeatWhile(lt(g('bptr'), g('bend'))),
    );
  const tileLoop: Code = ifElse(
    and(eq(g('aRow'), i32(isa.bytes)), le(add(g('i'), i32(mr)), g('m'))),
    kLoop(columnSplat, [f.inc(aPtr(0), g('aCol'))]),
    kLoop(rowSplat, rowPointersAdvance),
  );
  // A packed A: given `apack`, a thread copies each k block of op(A) during its first chunk, row block after
  // row block, into `ablock` (that block's place in `apack`) laid out [i/mr][p][mr]; in that chunk and the
  // later ones every tile reads its column of A through one pointer (the column form above, on the copy).
  const rowBlockOfPackedA = add(g('ablock'), mul(mul(g('i'), g('kb')), i32(isa.bytes)));
  // Copying a row block of a transposed A (its columns contiguous): a vector copy per step for full tiles,
  // element by element for the last, partial one.
  const packedStep = mr * isa.bytes;
  const copyColumn = Array.from({ length: packedStep / 16 }, (_, v) =>
    v128Store(g('dst'), v128Load(g(aPtr(0)), v * 16), v * 16),
  );
  const packSteps = (body: Code[], advance: Code[], steps: number): Code =>
    loop(
      ...body,
      ...advance,
      f.inc('dst', i32(steps * packedStep)),
      f.set('pp', sub(g('pp'), i32(steps))),
      repeatWhile(le(i32(steps), g('pp'))),
    );
  const packA: Code[] = [
    f.set('i', i32(0)),
    loop(
      ...setRowPointers,
      f.set('dst', rowBlockOfPackedA),
      f.set('pp', g('kb')),
      ifElse(
        and(eq(g('aRow'), i32(isa.bytes)), le(add(g('i'), i32(mr)), g('m'))),
        packSteps(copyColumn, [f.inc(aPtr(0), g('aCol'))], 1),
      ),
      ifElse(
        g('pp'),
        packSteps(
          Array.from({ length: mr }, (_, r) => isa.store(g('dst'), isa.load(g(aPtr(r))), r * isa.bytes)),
          rowPointersAdvance,
          1,
        ),
      ),
      f.inc('i', i32(mr)),
      repeatWhile(lt(g('i'), g('m'))),
    ),
  ];
  const tileOfPackedA: Code[] = [
    f.set(aPtr(0), rowBlockOfPackedA),
    kLoop(columnSplat, [f.inc(aPtr(0), i32(mr * isa.bytes))]),
  ];
  const zeros = zeroSkipping({
    f,
    isa,
    tiling,
    panelBytes,
    aPtr,
    setRowPointers,
    rowPointersAdvance,
    multiplyAdd,
  });
  const multiply: Code[] = [
    f.set('p0', i32(0)),
    loop(
      f.set('kb', sub(g('k'), g('p0'))),
      f.set('kb', select(i32(kc), g('kb'), gt(g('kb'), i32(kc)))),
      zeros.startBlock,
      ifElse(g('fresh'), ifElse(g('skipZeros'), [...zeros.packA.flat()], [...packA.flat()])),
      f.set('jp', i32(0)),
      loop(
        f.set('i', i32(0)),
        loop(
          f.set('bptr', add(g('bp'), mul(add(mul(g('jp'), g('k')), g('p0')), i32(panelBytes)))),
          f.set('cptr', add(add(g('cp'), mul(g('i'), g('ldc'))), mul(g('jp'), i32(panelBytes)))),
          // The first k block starts from zero (C is never cleared), later ones from the partial sums.
          ifElse(g('p0'), [...loadAcc.flat()], [...zeroAcc.flat()]),
          f.set('bend', add(g('bptr'), mul(g('kb'), i32(panelBytes)))),
          ifElse(
            g('sparse'),
            [...zeros.tile.flat()],
            ifElse(g('densePack'), [...tileOfPackedA.flat()], [...setRowPointers.flat(), ...tileLoop]),
          ),
          ...storeAcc,
          f.inc('i', i32(mr)),
          repeatWhile(lt(g('i'), g('m'))),
        ),
        f.inc('jp', i32(1)),
        repeatWhile(lt(mul(g('jp'), i32(nr)), g('cols'))),
      ),
      // The next k block of packed A follows this one, whose row blocks end where i stopped (m rounded up).
      f.set('ablock', select(zeros.nextBlock, rowBlockOfPackedA, g('skipZeros'))),
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
    f.set('fresh', g('apack')), // nonzero during the first chunk of a thread that packs A
    f.set('skipZeros', select(g('skipZeros'), i32(0), g('apack'))),
    f.set('densePack', select(i32(0), g('apack'), g('skipZeros'))),
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
        ...f.set('ablock', g('apack')),
        ...pack.flat(),
        ...ifElse(g('skipZeros'), [...zeros.checkFinite.flat()]),
        ...multiply.flat(),
        ...f.set('fresh', i32(0)),
      ]),
      repeatWhile(lt(g('j0'), g('n'))),
    ),
  );
}
