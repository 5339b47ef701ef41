import { ShapeError } from '../errors.js';

/** A tensor's dimensions, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** Number of elements of a shape. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** `[2,3]` style text of a shape. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** True when two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of several shapes; throws a ShapeError naming `op` and the shapes. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): Shape {
  let equal = true;
  for (let i = 1; i < shapes.length && equal; i++) equal = sameShape(shapes[0], shapes[i]);
  if (equal) return shapes[0];
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = ndim - s.length + i;
      const d = s[i];
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) {
        throw new ShapeError(
          op,
          `shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together (dimension ${o - ndim}: ${out[o]} vs ${d})`,
          'trailing dimensions must be equal or 1; reshape or transpose one operand',
        );
      }
    }
  }
  return out;
}

/** Strides that read `shape` as if it were broadcast to `target` (0 on broadcast dimensions). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const o = target.length - shape.length + i;
    out[o] = shape[i] === 1 && target[o] !== 1 ? 0 : own[i];
  }
  return out;
}

/** Resolves a possibly negative axis against `ndim`; throws a ShapeError when out of range. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= ndim) {
    throw new ShapeError(
      op,
      `axis ${axis} is out of range for a tensor of rank ${ndim}`,
      `use an axis in [${-ndim}, ${ndim - 1}]`,
    );
  }
  return a;
}

/** Resolves `axis` (one, several, or all when undefined) into sorted unique axes. */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, ndim)))].sort((x, y) => x - y);
  if (out.length !== list.length)
    throw new ShapeError(op, `repeated axis in [${list.join(', ')}]`, 'name each axis once');
  return out;
}

/** Checks that every dimension is a non-negative integer. */
export function checkShape(op: string, shape: Shape): Shape {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `invalid shape ${formatShape(shape)}`, 'dimensions are non-negative integers');
    }
  }
  return shape;
}
