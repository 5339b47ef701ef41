/**
 * @chainrule/autograd — tensors whose every operation records an immutable DAG; gradients are graphs too.
 */
import './tensor/methods.js';

export * from './errors.js';
export type { DType, TypedArray } from './tensor/dtype.js';
export { allocate } from './tensor/dtype.js';
export { adamUpdate } from './kernels/adam.js';
export type { AdamArrays, AdamScalars } from './kernels/adam.js';
export { kernelFeatures } from './kernels/features.js';
export { setKernelThreads } from './kernels/wasm/threadUse.js';
export type { KernelThreadMode } from './kernels/wasm/threadUse.js';
export type { KernelFeatures } from './kernels/features.js';
export type { Shape } from './tensor/shape.js';
export { broadcastShapes, formatShape, sizeOf } from './tensor/shape.js';
export { Tensor } from './tensor/tensor.js';
export { POOL_MIN_LENGTH, bufferPoolStats, recycle, tidy } from './tensor/pool.js';
export type { BufferPoolStats, Releasable } from './tensor/pool.js';
export type { NestedArray, TensorKind } from './tensor/tensor.js';
export { Rng, deriveSeed } from './tensor/random.js';
export type { Seed } from './tensor/random.js';
export {
  arange,
  eye,
  full,
  linspace,
  ones,
  rand,
  randn,
  scalar,
  tensor,
  variable,
  zeros,
} from './tensor/create.js';
export type { CreateOptions, RandomOptions, TensorInput } from './tensor/create.js';
export type { TensorLike } from './ops/apply.js';
export { apply, isRecording, nameScope } from './ops/apply.js';
export * from './ops/functions.js';
export { allOps, opTable } from './ops/table.js';
export type { OpName } from './ops/table.js';
export type { Domain, FormulaSpec, JvpContext, Kink, OpDef, OperandKind, VjpContext } from './ops/types.js';
export { gradients } from './graph/gradients.js';
export type { GradientsOptions } from './graph/gradients.js';
export { topologicalOrder } from './graph/topo.js';
export { grad, hessian, jacobian, jvp, noGrad, stopGradient, valueAndGrad, vjp } from './graph/transforms.js';
export type { GradOptions, ValueAndGrad } from './graph/transforms.js';
export { jit } from './graph/jit.js';
export { fillDropoutMask, keyedDropoutMask } from './ops/dropoutMask.js';
export type { Compiled } from './graph/jit.js';
export { mapTree, treeLeaves, unflatten } from './graph/tree.js';
export type { Tree, TreeInput } from './graph/tree.js';
export { toDot } from './render/dot.js';
export type { DotOptions } from './render/dot.js';
export { toSvg } from './render/svg.js';
export type { GraphvizEngine, SvgOptions } from './render/svg.js';
export { toExpr } from './render/expr.js';
export type { ExprOptions } from './render/expr.js';
export { simplify, simplifyAll } from './graph/simplify/simplify.js';
export type { SimplifyOptions } from './graph/simplify/simplify.js';
export type { NodeSpec, RewriteRule } from './graph/simplify/spec.js';
export { defaultRules } from './graph/simplify/rules/index.js';
export * as simplifyRules from './graph/simplify/rules/index.js';
