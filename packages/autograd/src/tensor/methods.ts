/**
 * The fluent method form of the ops (`scalar(2).mul(x).tanh()`), attached to Tensor's prototype here so that
 * the Tensor class itself does not depend on the op layer.
 */
import type { DType } from './dtype.js';
import type { Shape } from './shape.js';
import { Tensor } from './tensor.js';
import type { Axes } from '../ops/functions.js';
import * as F from '../ops/functions.js';
import type { TensorLike } from '../ops/apply.js';
import { stopGradient } from '../graph/transforms.js';

declare module './tensor.js' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    greater(other: TensorLike): Tensor;
    greaterEqual(other: TensorLike): Tensor;
    less(other: TensorLike): Tensor;
    lessEqual(other: TensorLike): Tensor;
    equal(other: TensorLike): Tensor;
    neg(): Tensor;
    square(): Tensor;
    sqrt(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    softplus(): Tensor;
    relu(): Tensor;
    leakyRelu(alpha?: number): Tensor;
    elu(alpha?: number): Tensor;
    step(): Tensor;
    clip(min: number, max: number): Tensor;
    cast(dtype: DType): Tensor;
    sum(axis?: Axes, keepDims?: boolean): Tensor;
    mean(axis?: Axes, keepDims?: boolean): Tensor;
    max(axis?: Axes, keepDims?: boolean): Tensor;
    min(axis?: Axes, keepDims?: boolean): Tensor;
    logSumExp(axis?: Axes, keepDims?: boolean): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    matmul(other: Tensor): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    permute(perm: readonly number[]): Tensor;
    reshape(shape: Shape): Tensor;
    broadcastTo(shape: Shape): Tensor;
    slice(begin: readonly number[], size?: readonly number[]): Tensor;
    gather(indices: Tensor, axis?: number): Tensor;
    expandDims(axis: number): Tensor;
    squeeze(axis?: Axes): Tensor;
    stopGradient(): Tensor;
  }
}

type Methods = { [K in keyof Tensor]?: Tensor[K] };

const methods: Methods = {
  add(this: Tensor, o) {
    return F.add(this, o);
  },
  sub(this: Tensor, o) {
    return F.sub(this, o);
  },
  mul(this: Tensor, o) {
    return F.mul(this, o);
  },
  div(this: Tensor, o) {
    return F.div(this, o);
  },
  pow(this: Tensor, o) {
    return F.pow(this, o);
  },
  maximum(this: Tensor, o) {
    return F.maximum(this, o);
  },
  minimum(this: Tensor, o) {
    return F.minimum(this, o);
  },
  greater(this: Tensor, o) {
    return F.greater(this, o);
  },
  greaterEqual(this: Tensor, o) {
    return F.greaterEqual(this, o);
  },
  less(this: Tensor, o) {
    return F.less(this, o);
  },
  lessEqual(this: Tensor, o) {
    return F.lessEqual(this, o);
  },
  equal(this: Tensor, o) {
    return F.equal(this, o);
  },
  neg(this: Tensor) {
    return F.neg(this);
  },
  square(this: Tensor) {
    return F.square(this);
  },
  sqrt(this: Tensor) {
    return F.sqrt(this);
  },
  exp(this: Tensor) {
    return F.exp(this);
  },
  log(this: Tensor) {
    return F.log(this);
  },
  abs(this: Tensor) {
    return F.abs(this);
  },
  sign(this: Tensor) {
    return F.sign(this);
  },
  sin(this: Tensor) {
    return F.sin(this);
  },
  cos(this: Tensor) {
    return F.cos(this);
  },
  tanh(this: Tensor) {
    return F.tanh(this);
  },
  sigmoid(this: Tensor) {
    return F.sigmoid(this);
  },
  softplus(this: Tensor) {
    return F.softplus(this);
  },
  relu(this: Tensor) {
    return F.relu(this);
  },
  leakyRelu(this: Tensor, alpha) {
    return F.leakyRelu(this, alpha);
  },
  elu(this: Tensor, alpha) {
    return F.elu(this, alpha);
  },
  step(this: Tensor) {
    return F.step(this);
  },
  clip(this: Tensor, lo, hi) {
    return F.clip(this, lo, hi);
  },
  cast(this: Tensor, dtype) {
    return F.cast(this, dtype);
  },
  sum(this: Tensor, axis, keepDims) {
    return F.sum(this, axis, keepDims);
  },
  mean(this: Tensor, axis, keepDims) {
    return F.mean(this, axis, keepDims);
  },
  max(this: Tensor, axis, keepDims) {
    return F.max(this, axis, keepDims);
  },
  min(this: Tensor, axis, keepDims) {
    return F.min(this, axis, keepDims);
  },
  logSumExp(this: Tensor, axis, keepDims) {
    return F.logSumExp(this, axis, keepDims);
  },
  softmax(this: Tensor, axis) {
    return F.softmax(this, axis);
  },
  logSoftmax(this: Tensor, axis) {
    return F.logSoftmax(this, axis);
  },
  matmul(this: Tensor, o) {
    return F.matmul(this, o);
  },
  transpose(this: Tensor, perm) {
    return F.transpose(this, perm);
  },
  permute(this: Tensor, perm) {
    return F.permute(this, perm);
  },
  reshape(this: Tensor, shape) {
    return F.reshape(this, shape);
  },
  broadcastTo(this: Tensor, shape) {
    return F.broadcastTo(this, shape);
  },
  slice(this: Tensor, begin, size) {
    return F.slice(this, begin, size);
  },
  gather(this: Tensor, indices, axis) {
    return F.gather(this, indices, axis);
  },
  expandDims(this: Tensor, axis) {
    return F.expandDims(this, axis);
  },
  squeeze(this: Tensor, axis) {
    return F.squeeze(this, axis);
  },
  stopGradient(this: Tensor) {
    return stopGradient(this);
  },
};

Object.assign(Tensor.prototype, methods);
