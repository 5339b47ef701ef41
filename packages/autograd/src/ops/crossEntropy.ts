/**
 * Softmax cross-entropy with integer class labels, fused into one op: the loss of each row of logits against
 * its label, −log softmax(x)[label] = log Σ exp(x) − x[label], computed in one pass without a one-hot matrix
 * or a log-probability tensor (PyTorch's cross_entropy with class indices, optax's
 * softmax_cross_entropy_with_integer_labels).
 */
import { DataError, ShapeError } from '../errors.js';
import { formatShape, sameShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { crossEntropyAlongRows } from '../kernels/softmax.js';
import type { OpDef } from './types.js';
import { expandDims, mul, oneHot, softmax, sub, sum } from './functions.js';

const NAME = 'softmaxCrossEntropy';

/** Throws unless every label is a class index below `classes`. */
function checkLabels(labels: Tensor, classes: number): void {
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    const label = data[i];
    if (label < 0 || label >= classes) {
      throw new DataError(
        NAME,
        `label ${label} at position ${i} is out of range for ${classes} classes`,
        `labels must be class indices in [0, ${classes - 1}]`,
      );
    }
  }
}

/** ∂loss/∂logits of every row: softmax(x) − onehot(label). */
const softmaxMinusOneHot = (logits: Tensor, labels: Tensor): Tensor =>
  sub(softmax(logits, -1), oneHot(labels, logits.shape[logits.ndim - 1], logits.dtype));

export const softmaxCrossEntropyOp: OpDef<undefined> = {
  name: NAME,
  arity: 2,
  operands: ['float', 'int'],
  formula: { kind: 'call', name: NAME },
  writesAll: true,
  shape: ([logits, labels]) => {
    if (logits.length === 0 || !sameShape(labels, logits.slice(0, -1))) {
      throw new ShapeError(
        NAME,
        `logits ${formatShape(logits)} do not fit labels ${formatShape(labels)}`,
        'logits are [...batch, classes] and labels [...batch]: one int32 class index per row of logits',
      );
    }
    if (logits[logits.length - 1] === 0 && sizeOf(labels) > 0) {
      throw new ShapeError(
        NAME,
        `logits ${formatShape(logits)} have no classes`,
        'the last axis must not be empty',
      );
    }
    return labels;
  },
  forward: ([logits, labels], _attrs, out) => {
    checkLabels(labels, logits.shape[logits.ndim - 1]);
    return crossEntropyAlongRows(logits.data, logits.shape, labels.data as Int32Array, out);
  },
  vjp: ({ g, inputs: [logits, labels] }) => [
    mul(expandDims(g, -1), softmaxMinusOneHot(logits, labels)),
    null,
  ],
  jvp: ({ tangents: [t], inputs: [logits, labels] }) =>
    t ? sum(mul(t, softmaxMinusOneHot(logits, labels)), [logits.ndim - 1]) : null,
};
