/**
 * The fully connected layer y = x·W + b, with W of shape [inputs, units] (the lecture's and Keras's layout).
 */
import type { DType, Tensor } from '@chainrule/autograd';
import { ChainruleError, DTypeError, ShapeError, addRelu, formatShape, relu } from '@chainrule/autograd';
import type { Initializer } from '../init.js';
import { glorotUniform, zeros } from '../init.js';
import type { LayerContext, Slot } from '../module.js';
import { Module, layerName } from '../module.js';

/** Options of `dense`. */
export interface DenseOptions {
  /** Add a bias vector (default true). */
  readonly bias?: boolean;
  /** Parameter dtype (default float32). */
  readonly dtype?: DType;
  /** Weight initializer (default Glorot uniform). */
  readonly weightInit?: Initializer;
  /** Bias initializer (default zeros). */
  readonly biasInit?: Initializer;
  /**
   * 'relu' applies relu inside the layer, fused with the bias add into one op (`addRelu`): the same numbers
   * as `dense` followed by `relu()`, one pass and one array fewer. Default: none (linear output).
   */
  readonly activation?: 'relu';
}

/** Checks that x is a float tensor of the layer's dtype whose last axis has `width` entries. */
export function checkInput(ctx: LayerContext, label: string, x: Tensor, width: number, dtype: DType): void {
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== width) {
    throw new ShapeError(
      layerName(ctx.path, label),
      `input of shape ${formatShape(x.shape)} does not have ${width} features on its last axis`,
      `pass rows of ${width} values, e.g. shape [batch, ${width}]; flatten images first`,
    );
  }
  if (x.dtype !== dtype) {
    throw new DTypeError(
      layerName(ctx.path, label),
      `input has dtype ${x.dtype} but the layer's parameters are ${dtype}`,
      `cast the input: x.cast('${dtype}'), or build the layer with { dtype: '${x.dtype}' }`,
    );
  }
}

/** Checks a layer width argument. */
export function checkWidth(where: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) {
    throw new ShapeError(
      where,
      `${name} must be a positive integer, got ${n}`,
      'give the number of features',
    );
  }
}

/** A fully connected layer from `inputs` to `units` features. */
export function dense(inputs: number, units: number, options: DenseOptions = {}): Module {
  checkWidth('dense', 'inputs', inputs);
  checkWidth('dense', 'units', units);
  const dtype = options.dtype ?? 'float32';
  const bias = options.bias ?? true;
  const weightInit = options.weightInit ?? glorotUniform();
  const biasInit = options.biasInit ?? zeros();
  const activation = options.activation;
  if (activation !== undefined && activation !== 'relu') {
    throw new ChainruleError(
      'dense',
      `unknown fused activation '${String(activation)}'`,
      "use 'relu', or add an activation layer",
    );
  }
  const label = `dense(${inputs}→${units}${bias ? '' : ', no bias'}${activation ? `, ${activation}` : ''})`;
  const fans = { fanIn: inputs, fanOut: units, dtype };
  const params: Slot[] = [{ key: 'weight', shape: [inputs, units], init: weightInit, ...fans }];
  if (bias) params.push({ key: 'bias', shape: [units], init: biasInit, ...fans });
  return new Module({
    spec: {
      type: 'dense',
      inputs,
      units,
      bias,
      dtype,
      weightInit: weightInit.spec,
      biasInit: biasInit.spec,
      ...(activation ? { activation } : {}),
    },
    label,
    params,
    inputFeatures: inputs,
    outputFeatures: () => units,
    run: (x, ctx) => {
      checkInput(ctx, label, x, inputs, dtype);
      const y = x.matmul(ctx.param('weight'));
      if (activation) return bias ? addRelu(y, ctx.param('bias')) : relu(y);
      return bias ? y.add(ctx.param('bias')) : y;
    },
  });
}
