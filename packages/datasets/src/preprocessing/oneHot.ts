import type { Tensor } from '@chainrule/autograd';
import { DTypeError, DataError, ShapeError, allocate, formatShape, tensor } from '@chainrule/autograd';
import type { FloatDType } from '../types.js';
import { checkInteger } from '../validate.js';

/** Options of `oneHot()`. */
export interface OneHotOptions {
  /** Number of classes (default: the largest label + 1). */
  readonly numClasses?: number;
  /** Default float32 (what a softmax cross-entropy over float32 logits wants). */
  readonly dtype?: FloatDType;
}

/** One-hot rows [N, numClasses] from int32 class labels [N]: row i has a 1 in column labels[i]. */
export function oneHot(labels: Tensor, options: OneHotOptions = {}): Tensor {
  if (labels.dtype !== 'int32') {
    throw new DTypeError(
      'oneHot',
      `labels are ${labels.dtype}`,
      "class labels must be int32: labels.cast('int32')",
    );
  }
  if (labels.ndim !== 1) {
    throw new ShapeError(
      'oneHot',
      `labels have shape ${formatShape(labels.shape)}`,
      'pass a 1-D tensor [N] of labels',
    );
  }
  const n = labels.size;
  let largest = -1;
  for (const v of labels.data) largest = Math.max(largest, v);
  const classes = checkInteger('oneHot', 'numClasses', options.numClasses ?? largest + 1);
  const out = allocate(options.dtype ?? 'float32', n * classes);
  for (let i = 0; i < n; i++) {
    const c = labels.data[i];
    if (c < 0 || c >= classes) {
      throw new DataError(
        'oneHot',
        `label ${c} at index ${i} is outside 0..${classes - 1}`,
        'labels must be class numbers 0..numClasses−1; check numClasses',
      );
    }
    out[i * classes + c] = 1;
  }
  return tensor(out, { shape: [n, classes] });
}
