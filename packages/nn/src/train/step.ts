/**
 * The differentiated half of a training step — the batch loss, the model's output, the gradients and the
 * model's next state — run eagerly or as one compiled function (`jit`). Updating the weights stays outside.
 */
import type { Seed, Tensor } from '@chainrule/autograd';
import { deriveSeed, jit, tensor, valueAndGrad } from '@chainrule/autograd';
import type { Loss } from '../losses.js';
import type { Module } from '../module.js';
import type { KeyedSeed, Params, State } from '../types.js';

/** What one batch gives: the loss (with the regularizer), the output, the gradients and the next state. */
export interface StepResult {
  readonly value: Tensor;
  readonly output: Tensor;
  readonly grads: Params;
  readonly state: State;
}

/** A StepResult as the compiled function returns it: loss, output, gradients, next state. */
type StepTrees = readonly [Tensor, Tensor, Params, State];

/** Computes a batch's StepResult for the given weights; `seed` seeds the batch's dropout masks. */
export type LossAndGradients = (
  params: Params,
  state: State,
  xb: Tensor,
  yb: Tensor,
  seed: Seed | KeyedSeed,
) => StepResult;

/** Which batch a step trains: its dropout masks come from the seed `base/epoch/batch`. */
export interface StepSeed {
  readonly base: Seed;
  readonly epoch: number;
  readonly batch: number;
}

/** The seed of a step's dropout masks, written out. */
export const seedOfStep = ({ base, epoch, batch }: StepSeed): Seed => deriveSeed(base, `${epoch}/${batch}`);

/** The step run eagerly: the forward pass in training mode, the loss, and valueAndGrad over the parameters. */
export function eagerStep(
  model: Module,
  loss: Loss,
  regularizer: ((params: Params) => Tensor) | undefined,
): LossAndGradients {
  return (params, state, xb, yb, seed) => {
    let output: Tensor | undefined;
    let nextState = state;
    const lossOf = (p: Params) => {
      const result = model.forward(p, xb, { training: true, seed, state });
      output = result.output;
      nextState = result.state;
      const value = loss(result.output, yb);
      return regularizer ? value.add(regularizer(p)) : value;
    };
    const { value, grads } = valueAndGrad<Params>(lossOf)(params);
    return { value, output: output as Tensor, grads, state: nextState };
  };
}

/** A training step by batch (its dropout masks from `at`), and whether its calls ran compiled. */
export type CompiledStep = ((
  params: Params,
  state: State,
  xb: Tensor,
  yb: Tensor,
  at: StepSeed,
) => StepResult) & {
  compiled(): boolean;
};

/**
 * The step compiled with `jit` (one trace per batch shape and tree structure, the eager bits), or the eager
 * step where the model cannot be compiled. The first time a compiled call throws (a layer that draws random
 * numbers other than through ctx.dropoutMask, or code that reads traced values), the step runs eagerly from
 * then on, and the eager call repeats any error that was the data's or the model's own.
 */
export function compiledStep(eager: LossAndGradients): CompiledStep {
  let failed = false;
  let compiled:
    ((xb: Tensor, yb: Tensor, key: Tensor, params: Params, state: State) => StepTrees) | undefined;
  // The masks' seed is base/epoch/batch/layer: the key [epoch, batch] is an argument, so each call draws its own.
  const compileFor = (base: Seed) =>
    jit((xb: Tensor, yb: Tensor, key: Tensor, params: Params, state: State): StepTrees => {
      const r = eager(params, state, xb, yb, { base, key });
      return [r.value, r.output, r.grads, r.state];
    });
  const step = (params: Params, state: State, xb: Tensor, yb: Tensor, at: StepSeed): StepResult => {
    if (!failed) {
      try {
        compiled ??= compileFor(at.base);
        const key = tensor(Int32Array.of(at.epoch, at.batch));
        const [value, output, grads, nextState] = compiled(xb, yb, key, params, state);
        return { value, output, grads, state: nextState };
      } catch {
        failed = true;
      }
    }
    return eager(params, state, xb, yb, seedOfStep(at));
  };
  return Object.assign(step, { compiled: () => !failed && compiled !== undefined });
}
