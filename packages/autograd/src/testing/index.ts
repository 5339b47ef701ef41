/**
 * @chainrule/autograd/testing — gradient checking as a feature: gradcheck up to third order, fast-check
 * arbitraries for shapes, tensors, op inputs and random expression DAGs, and a one-line property wrapper.
 * fast-check is imported here only, never by the core entry point.
 */
/** fast-check itself, so tests can build arbitraries without a separate dependency. */
export { default as fc } from 'fast-check';
export { gradcheck } from './gradcheck.js';
export type { GradcheckOptions, TensorFunction } from './gradcheck.js';
export { GradcheckError } from './report.js';
export type { DerivativeCheck, DerivativeMode, GradcheckReport, WorstElement } from './report.js';
export { broadcastableShapes, distinctTensors, shape, tensor, values } from './arbitraries.js';
export type { ShapeOptions, TensorOptions } from './arbitraries.js';
export { inDomainOf, kinkPoints, opCases, opSamples, opsWithoutSamples } from './samples.js';
export type { OpSample, SampleOptions } from './samples.js';
export { expression, expressionExclusions, expressionOps } from './expression.js';
export type { Expression, ExpressionOptions } from './expression.js';
export { checkGradients, GradientPropertyError } from './checkGradients.js';
export type { CheckGradientsOptions, GradientCase } from './checkGradients.js';
export { unsuitablePoint } from './kinks.js';
export type { PointOptions } from './kinks.js';
export { caseCode, tensorLiteral } from './code.js';
export { DEFAULT_RUN_SEED, runSettings } from './settings.js';
export type { RunSettings } from './settings.js';
