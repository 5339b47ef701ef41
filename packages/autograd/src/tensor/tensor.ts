import type { DType, TypedArray } from './dtype.js';
import { allocate } from './dtype.js';
import { noteTensor, releasedError } from './pool.js';
import { isHiddenRead } from './tracing.js';
import type { Shape } from './shape.js';
import { formatShape, sizeOf, stridesOf } from './shape.js';
import { GraphError, ShapeError } from '../errors.js';
import type { OpDef } from '../ops/types.js';

/** How a tensor entered the graph: a folded constant, a differentiable leaf, or the result of a recorded op. */
export type TensorKind = 'constant' | 'variable' | 'op';

/** Nested JS arrays, as returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

let nextId = 0;
/** The inputs of every leaf (one shared empty list instead of one per tensor). */
const noInputs: readonly Tensor[] = Object.freeze([]);

/** The rarer fields of a tensor, in one object (see `Tensor.extras`). */
interface NodeExtras {
  readonly inputList: readonly Tensor[] | undefined;
  readonly attrs: unknown;
  readonly scope: string | undefined;
  readonly name: string | undefined;
  /** True for a variable (see `Tensor.kind`). */
  readonly variable: boolean;
}

/** Fields of a recorded node (the constructor copies them; it keeps no reference to this object). */
export interface NodeFields {
  readonly op: OpDef;
  /** The first input, when the op has at most two. */
  readonly input0: Tensor | undefined;
  /** The second input, when the op has exactly two. */
  readonly input1: Tensor | undefined;
  /** All inputs, when the op has more than two. */
  readonly inputList: readonly Tensor[] | undefined;
  readonly attrs: unknown;
  readonly scope: string | undefined;
}

/**
 * An immutable n-dimensional array and, when it depends on a variable, a node of the computation DAG.
 * Values are computed eagerly; the graph (op, inputs, attributes) is kept for differentiation and rendering.
 */
export class Tensor {
  /** Creation order, unique per process; used to order nodes deterministically. */
  readonly id: number;
  readonly shape: Shape;
  readonly dtype: DType;
  /** The op that produced this tensor, or null for leaves. */
  readonly op: OpDef | null;
  /**
   * @internal The op's inputs, held in the node itself when there are at most two (the first two fields) and
   * as a list otherwise: a scalar graph is mostly binary nodes, and one array per node doubled the memory of
   * a node and the time of building and differentiating such graphs. Read them with `inputs` or `inputAt`.
   */
  readonly input0: Tensor | undefined;
  /** @internal See `input0`. */
  readonly input1: Tensor | undefined;
  /**
   * What most nodes lack (inputs past two, attributes, a name, a scope, being a variable), in one object that
   * only the nodes which have any of it allocate. Every field of a node costs memory in each node of a scalar
   * graph, and below about 112 bytes per node (the HeapNumber of its value included) V8's young generation
   * holds a step of the micrograd workload without copying most of it: the kind therefore has no field of its
   * own either (an op node's kind is 'op', a leaf is a variable or a constant).
   */
  private readonly extras: NodeExtras | undefined;
  /**
   * @internal Scratch of graph passes (traversals, the reverse pass): the mark the latest pass that reached
   * this node gave it (see `NodeSlots`). Not part of the tensor's value.
   */
  visitMark = -1;
  /**
   * The values: their array, or for a 0-d tensor made from a number that number until an array is asked for
   * (`data`); null once the array went back to the buffer pool.
   */
  private values: TypedArray | number | null;

  /**
   * @internal Use the creation functions (`tensor`, `variable`, ...) instead. `data` is the row-major values,
   * or, for a 0-d tensor, its single value as a number (already rounded to `dtype`).
   */
  constructor(
    shape: Shape,
    dtype: DType,
    data: TypedArray | number,
    kind: TensorKind,
    node: NodeFields | null,
    name: string | undefined,
  ) {
    if (typeof data === 'number') {
      if (shape.length !== 0) {
        throw new ShapeError('tensor', `one number cannot fill shape ${formatShape(shape)}`, 'pass an array');
      }
    } else if (data.length !== sizeOf(shape)) {
      throw new ShapeError(
        'tensor',
        `${data.length} values do not fill shape ${formatShape(shape)}`,
        'the number of values must equal the product of the dimensions',
      );
    }
    if ((node !== null) !== (kind === 'op')) {
      throw new GraphError(
        'tensor',
        `a tensor of kind '${kind}' ${node ? 'cannot have' : 'needs'} an op`,
        'use apply',
      );
    }
    this.id = nextId++;
    this.shape = shape;
    this.dtype = dtype;
    this.values = data;
    if (typeof data !== 'number') noteTensor(this);
    this.op = node ? node.op : null;
    this.input0 = node ? node.input0 : undefined;
    this.input1 = node ? node.input1 : undefined;
    const inputList = node ? node.inputList : undefined;
    const attrs = node ? node.attrs : undefined;
    const scope = node ? node.scope : undefined;
    const variable = kind === 'variable';
    this.extras =
      inputList === undefined && attrs === undefined && scope === undefined && name === undefined && !variable
        ? undefined
        : { inputList, attrs, scope, name, variable };
  }

  /** How the tensor entered the graph: a folded constant, a differentiable leaf, or a recorded op's result. */
  get kind(): TensorKind {
    return this.op !== null ? 'op' : this.extras?.variable === true ? 'variable' : 'constant';
  }

  /** @internal The inputs of an op with more than two, else undefined (see `input0`). */
  get inputList(): readonly Tensor[] | undefined {
    return this.extras?.inputList;
  }

  /** The op's attributes (axes, shapes, ...), or undefined. */
  get attrs(): unknown {
    return this.extras?.attrs;
  }

  /** A user-facing name (variables and named results). */
  get name(): string | undefined {
    return this.extras?.name;
  }

  /** The name scope (e.g. a layer) the tensor was created in. */
  get scope(): string | undefined {
    return this.extras?.scope;
  }

  /**
   * The inputs of the op that produced this tensor (empty for leaves), in the op's order; for an op with one or
   * two inputs, a new list at each read (the node keeps them in fields of its own).
   */
  get inputs(): readonly Tensor[] {
    const list = this.inputList;
    if (list) return list;
    if (this.input1) return [this.input0!, this.input1];
    return this.input0 ? [this.input0] : noInputs;
  }

  /** @internal Input `i` of the op that produced this tensor, or undefined past the last. */
  inputAt(i: number): Tensor | undefined {
    const list = this.inputList;
    if (list) return list[i];
    return i === 0 ? this.input0 : i === 1 ? this.input1 : undefined;
  }

  /** Row-major values. Treat as read-only: tensors share buffers. */
  get data(): TypedArray {
    this.checkReadable('data');
    const values = this.values;
    if (values === null) throw releasedError(this.id, formatShape(this.shape));
    if (typeof values !== 'number') return values;
    const data = allocate(this.dtype, 1);
    data[0] = values;
    this.values = data;
    return data;
  }

  /** @internal The value of a 0-d tensor, without creating its array. */
  scalarValue(): number {
    const values = this.values;
    if (values === null) throw releasedError(this.id, formatShape(this.shape));
    return typeof values === 'number' ? values : values[0];
  }

  /** @internal The array the buffer pool may reuse (see `tidy`), if any. */
  poolArray(): TypedArray | undefined {
    const values = this.values;
    return values === null || typeof values === 'number' ? undefined : values;
  }

  /** @internal Gives up the array: the tensor can no longer be read. */
  release(): void {
    this.values = null;
  }

  /** True once the tensor's array went back to the buffer pool (see `tidy` and `recycle`). */
  get released(): boolean {
    return this.values === null;
  }

  /** True when the tensor depends on a variable, i.e. gradients can flow through it. */
  get tracked(): boolean {
    return this.op !== null || this.extras?.variable === true;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    const values = this.values;
    return values === null || typeof values === 'number' ? sizeOf(this.shape) : values.length;
  }

  /**
   * Throws while `jit` traces a value: reading it gives the first call's numbers, which later calls would
   * silently reuse (in an `if`, or folded back into an op as a constant).
   */
  private checkReadable(where: string): void {
    if (isHiddenRead() && this.tracked) {
      throw new GraphError(
        where,
        `tensor #${this.id} ${formatShape(this.shape)} is traced by jit: its values now are only the first call's`,
        'return it from the compiled function and read it there, or compute with ops instead of JS numbers',
      );
    }
  }

  /** The single value of a one-element tensor. */
  item(): number {
    this.checkReadable('item');
    if (this.size !== 1) {
      throw new ShapeError(
        'item',
        `tensor of shape ${formatShape(this.shape)} has ${this.size} elements`,
        'item() needs exactly one element; reduce first (e.g. sum or mean)',
      );
    }
    return this.scalarValue();
  }

  /** The values as nested JS arrays (a number for a scalar). */
  toArray(): NestedArray {
    this.checkReadable('toArray');
    const strides = stridesOf(this.shape);
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset];
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[dim]; i++) out.push(build(dim + 1, offset + i * strides[dim]));
      return out;
    };
    return build(0, 0);
  }

  /** A copy of the values as a flat JS array. */
  toFlatArray(): number[] {
    this.checkReadable('toFlatArray');
    return Array.from(this.data);
  }

  /** Readable text: values (abbreviated when large), shape and dtype. */
  toString(): string {
    const label = this.name ? ` '${this.name}'` : '';
    // While jit traces, a traced value's numbers are only the first call's: print what it is instead.
    const values = this.released
      ? 'released'
      : this.tracked && isHiddenRead()
        ? 'traced'
        : formatValues(this);
    return `Tensor${label}(${values}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

function formatNumber(v: number, dtype: DType): string {
  if (dtype === 'int32' || Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(dtype === 'float32' ? 6 : 8)).toString();
}

function formatValues(t: Tensor): string {
  const edge = 3;
  const strides = stridesOf(t.shape);
  const fmt = (dim: number, offset: number): string => {
    if (dim === t.shape.length) return formatNumber(t.data[offset], t.dtype);
    const n = t.shape[dim];
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (n > 2 * edge && i === edge) {
        parts.push('...');
        i = n - edge - 1;
        continue;
      }
      parts.push(fmt(dim + 1, offset + i * strides[dim]));
    }
    return `[${parts.join(', ')}]`;
  };
  return fmt(0, 0);
}
