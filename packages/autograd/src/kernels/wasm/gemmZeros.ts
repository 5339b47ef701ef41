/**
 * The zero-skipping pieces of the GEMM (`gemmFunction`'s `skipZeros`), for a mostly-zero A such as a batch of
 * MNIST images (81% zeros; in a block of 4 images 61% of the pixels are zero in all four).
 *
 * During its first chunk a thread packs each k block of op(A) as one list per row block of the columns p whose
 * `mr` elements are not all zero: an entry holds those elements and then the i32 byte offset of B's row p in a
 * panel block. A row block's list sits `tileBytes` after the previous one and starts with its length in bytes.
 * Every column is written, and the list grows past nonzero ones only, so packing has no data-dependent branch.
 * A tile then multiplies by the rows of B its list names, in ascending order.
 *
 * A skipped product is ±0·b, which leaves every partial sum as it is when b is finite (a sum that starts at +0
 * never becomes −0 by adding ±0), so the results have the dense kernel's bits. 0·∞ and 0·NaN are NaN, though:
 * a chunk whose packed B holds an infinity or NaN reads A in place and multiplies everything (`sparse` is 0).
 * (Under a fused multiply-add a partial sum can round to −0 from a product that underflows; the dense kernel's
 * next product of a zero could turn it into +0. The values agree either way.)
 */
import type { Code, ElementIsa, FunctionBuilder } from './instructions.js';
import {
  add,
  and,
  eq,
  i32,
  ifElse,
  le,
  loop,
  lt,
  mul,
  or,
  repeatWhile,
  select,
  shrU,
  sub,
} from './instructions.js';
import { i32Load, i32Store, v128Load, v128Store } from './instructions.js';
import { valType } from './encoding.js';
import type { GemmTiling } from './gemm.js';
import { transpose } from './transpose.js';

const { i32: I32, v128: V128 } = valType;

/** What `gemmFunction` hands over: its builder and the pieces of its dense tile that these reuse. */
export interface GemmParts {
  readonly f: FunctionBuilder;
  readonly isa: ElementIsa;
  readonly tiling: GemmTiling;
  /** Bytes of one packed row of a B panel. */
  readonly panelBytes: number;
  /** The local holding row r's pointer into A, and the code that sets and advances them for row block i at p0. */
  readonly aPtr: (r: number) => string;
  readonly setRowPointers: readonly Code[];
  readonly rowPointersAdvance: readonly Code[];
  /** One step of a tile: the B row at bptr times the column of A whose elements `splat` reads. */
  readonly multiplyAdd: (splat: (r: number) => Code) => Code[];
}

/** The zero-skipping code that `gemmFunction` places beside its dense forms. */
export interface ZeroSkipping {
  /** At the start of each k block (once `kb` is set): the spacing of the row blocks' lists. */
  readonly startBlock: Code;
  /** Packs the k block of op(A) from p0 (in a thread's first chunk). */
  readonly packA: Code[];
  /** After packing B: whether this chunk may skip zeros (`sparse`). */
  readonly checkFinite: Code[];
  /** The tile of row block i, from its list. */
  readonly tile: Code[];
  /** Where the next k block's lists start, once i has passed every row block. */
  readonly nextBlock: Code;
}

/** Bytes of one thread's packed A when it skips zeros: per row block and k block a length, then the entries. */
export function zeroSkippingPackBytes(
  tiling: GemmTiling,
  elementBytes: number,
  m: number,
  k: number,
): number {
  const { mr, kc } = tiling;
  return Math.ceil(m / mr) * (4 * Math.ceil(k / kc) + k * (mr * elementBytes + 4));
}

/**
 * Builds the zero-skipping code on `parts.f`, whose locals it shares (a, aRow, aCol in bytes, m, i, p0, kb, pp,
 * src, dst, ablock, bp, bptr, row*, half*); it declares its own.
 */
export function zeroSkipping(parts: GemmParts): ZeroSkipping {
  const { f, isa, panelBytes, aPtr, setRowPointers, rowPointersAdvance, multiplyAdd } = parts;
  const { mr } = parts.tiling;
  const g = (n: string) => f.get(n);
  f.locals(I32, 'sparse', 'tile', 'tileBytes', 'e', 'eend', 'kept', 'bbase');
  f.locals(isa.scalarType, 'x');
  f.locals(V128, 'check');
  const entryBytes = mr * isa.bytes + 4;
  const lanes = isa.lanes;
  const columnVectors = (mr * isa.bytes) / 16;
  for (let v = 0; v < columnVectors; v++) f.locals(V128, `col${v}`);
  const keepEntry: Code[] = [
    i32Store(g('dst'), mul(g('pp'), i32(panelBytes)), mr * isa.bytes),
    f.inc('dst', select(i32(entryBytes), i32(0), g('kept'))),
    f.inc('pp', i32(1)),
  ];
  // A transposed A's full row block: its mr elements of column p are adjacent, read as whole vectors.
  const sparseColumns = loop(
    ...Array.from({ length: columnVectors }, (_, v) => [
      f.set(`col${v}`, v128Load(g(aPtr(0)), v * 16)),
      v128Store(g('dst'), g(`col${v}`), v * 16),
    ]).flat(),
    f.set(
      'kept',
      Array.from({ length: columnVectors }, (_, v) => isa.vectorNonZero(g(`col${v}`))).reduce((x, y) =>
        or(x, y),
      ),
    ),
    f.inc(aPtr(0), g('aCol')),
    ...keepEntry,
    repeatWhile(lt(g('pp'), g('kb'))),
  );
  // Any strides (a partial last row block; the columns a plain A leaves after whole vectors): one by one.
  const sparseRows = loop(
    f.set('kept', i32(0)),
    ...Array.from({ length: mr }, (_, r) => [
      f.set('x', isa.load(g(aPtr(r)))),
      isa.store(g('dst'), g('x'), r * isa.bytes),
      f.set('kept', or(g('kept'), isa.scalarNonZero(g('x')))),
    ]).flat(),
    ...rowPointersAdvance,
    ...keepEntry,
    repeatWhile(lt(g('pp'), g('kb'))),
  );
  // A plain A (rows contiguous) is read `lanes` columns at a time: a vector from each row, transposed by
  // groups of `lanes` rows into the columns' vectors (`t<column>_<group>`).
  const groups = mr / lanes;
  for (let q = 0; q < lanes; q++) for (let gr = 0; gr < groups; gr++) f.locals(V128, `t${q}_${gr}`);
  const sparseRowBlocks = loop(
    ...Array.from({ length: groups }, (_, gr) => {
      const rows = transpose(
        lanes,
        (c) => g(`row${c}`),
        (c) => `half${c}`,
        f,
      );
      return [
        ...Array.from({ length: lanes }, (_, c) => f.set(`row${c}`, v128Load(g(aPtr(gr * lanes + c))))),
        ...rows.code,
        ...rows.out.map((column, q) => f.set(`t${q}_${gr}`, column)),
      ];
    }).flat(),
    ...Array.from({ length: mr }, (_, r) => f.inc(aPtr(r), i32(16))),
    ...Array.from({ length: lanes }, (_, q) => [
      ...Array.from({ length: groups }, (_, gr) => v128Store(g('dst'), g(`t${q}_${gr}`), gr * 16)),
      f.set(
        'kept',
        Array.from({ length: groups }, (_, gr) => isa.vectorNonZero(g(`t${q}_${gr}`))).reduce((x, y) =>
          or(x, y),
        ),
      ),
      ...keepEntry,
    ]).flat(),
    repeatWhile(le(add(g('pp'), i32(lanes)), g('kb'))),
  );
  const tileOfBlock = add(g('ablock'), mul(shrU(g('i'), i32(Math.log2(mr))), g('tileBytes')));
  const sparsePackA: Code[] = [
    f.set('i', i32(0)),
    loop(
      ...setRowPointers,
      f.set('tile', tileOfBlock),
      f.set('dst', add(g('tile'), i32(4))),
      f.set('pp', i32(0)),
      ifElse(and(eq(g('aRow'), i32(isa.bytes)), le(add(g('i'), i32(mr)), g('m'))), sparseColumns, [
        ...ifElse(and(eq(g('aCol'), i32(isa.bytes)), le(i32(lanes), g('kb'))), sparseRowBlocks),
        ...ifElse(lt(g('pp'), g('kb')), sparseRows),
      ]),
      i32Store(g('tile'), sub(g('dst'), add(g('tile'), i32(4)))),
      f.inc('i', i32(mr)),
      repeatWhile(lt(g('i'), g('m'))),
    ),
  ];
  const sparseTile: Code[] = [
    f.set('tile', tileOfBlock),
    f.set('e', add(g('tile'), i32(4))),
    f.set('eend', add(g('e'), i32Load(g('tile')))),
    f.set('bbase', g('bptr')),
    ifElse(
      lt(g('e'), g('eend')),
      loop(
        f.set('bptr', add(g('bbase'), i32Load(g('e'), mr * isa.bytes))),
        ...multiplyAdd((r) => isa.loadSplat(g('e'), r * isa.bytes)),
        f.inc('e', i32(entryBytes)),
        repeatWhile(lt(g('e'), g('eend'))),
      ),
    ),
  ];
  // Whether this chunk's packed B (bp up to dst, where packing stopped) is finite: v·0 is ±0 for finite v and
  // NaN otherwise, and a sum of zeros stays a zero.
  const checkFinite: Code[] = [
    f.set('check', isa.splat(isa.zero())),
    f.set('src', g('bp')),
    loop(
      f.set(
        'check',
        isa.vector('add', g('check'), isa.vector('mul', v128Load(g('src')), isa.splat(isa.zero()))),
      ),
      f.inc('src', i32(16)),
      repeatWhile(lt(g('src'), g('dst'))),
    ),
    f.set('sparse', isa.vectorOrdered(g('check'))),
  ];

  return {
    startBlock: f.set('tileBytes', add(i32(4), mul(g('kb'), i32(entryBytes)))),
    packA: sparsePackA,
    checkFinite,
    tile: sparseTile,
    nextBlock: tileOfBlock,
  };
}
