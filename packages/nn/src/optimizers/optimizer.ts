/**
 * Optimizers as pure updates over parameter trees: `update(params, grads, state)` returns new parameters and
 * a new state and changes nothing it was given. All arithmetic runs inside `noGrad`, so no graph is recorded.
 */
import { Map as ImmutableMap } from 'immutable';
import type { Tensor } from '@chainrule/autograd';
import { ChainruleError, ShapeError, formatShape, full, noGrad } from '@chainrule/autograd';
import type { Schedule } from '../schedules.js';
import type { Params } from '../types.js';
import { clipByGlobalNorm } from './clip.js';

/** A fixed learning rate or a schedule of the update index. */
export type LearningRate = number | Schedule;

/** Options every optimizer accepts. */
export interface BaseOptions {
  /** Learning rate or schedule. */
  readonly lr?: LearningRate;
  /** Rescale the gradients first so their global L2 norm is at most this (as torch's clip_grad_norm_). */
  readonly clipNorm?: number;
}

/** An optimizer's state: the number of updates done and one tensor tree per slot (e.g. "m", "v"). */
export interface OptimizerState {
  readonly step: number;
  readonly slots: ImmutableMap<string, Params>;
}

/** The result of an update. */
export interface Update {
  readonly params: Params;
  readonly state: OptimizerState;
}

/** A pure optimizer. */
export interface Optimizer {
  readonly name: string;
  /** The learning rate used by update number `step` (0-based). */
  learningRate(step: number): number;
  /** Fresh state for `params` (zeros in every slot, or the slot's initial value). */
  init(params: Params): OptimizerState;
  /** One step: new parameters and state from the old ones and the gradients (state defaults to `init`). */
  update(params: Params, grads: Params, state?: OptimizerState): Update;
}

/** What a rule receives for one parameter tensor. */
export interface RuleInput {
  readonly param: Tensor;
  readonly grad: Tensor;
  readonly slots: Readonly<Record<string, Tensor>>;
  readonly lr: number;
  /** 1 for the first update. */
  readonly step: number;
}

/** What a rule returns: the new parameter and new slot values. */
export interface RuleOutput {
  readonly param: Tensor;
  readonly slots?: Readonly<Record<string, Tensor>>;
}

/** A named slot with its initial fill value. */
export interface SlotDef {
  readonly name: string;
  readonly initial?: number;
}

function checkGrad(where: string, key: string, p: Tensor, g: Tensor | undefined): Tensor {
  if (!g) {
    throw new ChainruleError(
      where,
      `no gradient for parameter '${key}'`,
      'grads must have the keys of params',
    );
  }
  if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i]) || g.dtype !== p.dtype) {
    throw new ShapeError(
      where,
      `gradient of '${key}' is ${formatShape(g.shape)} ${g.dtype}, parameter is ${formatShape(p.shape)} ${p.dtype}`,
      'pass the gradients of these parameters',
    );
  }
  return g;
}

/** Builds an optimizer from a per-tensor rule; handles state, schedules, clipping and validation. */
export function makeOptimizer(
  name: string,
  options: BaseOptions,
  defaultLr: number,
  slotDefs: readonly SlotDef[],
  rule: (input: RuleInput) => RuleOutput,
): Optimizer {
  const lr = options.lr ?? defaultLr;
  const learningRate = (step: number) => (typeof lr === 'number' ? lr : lr(step));
  if (typeof lr === 'number' && !(lr > 0)) {
    throw new ChainruleError(name, `learning rate must be positive, got ${lr}`, 'e.g. { lr: 1e-3 }');
  }
  const init = (params: Params): OptimizerState =>
    Object.freeze({
      step: 0,
      slots: ImmutableMap(
        slotDefs.map((s) => [
          s.name,
          params.map((p) => full(p.shape, s.initial ?? 0, { dtype: p.dtype })) as Params,
        ]),
      ),
    });
  return {
    name,
    learningRate,
    init,
    update: (params, rawGrads, state = init(params)) =>
      noGrad(() => {
        const grads =
          options.clipNorm === undefined ? rawGrads : clipByGlobalNorm(rawGrads, options.clipNorm).grads;
        const rate = learningRate(state.step);
        const step = state.step + 1;
        const newSlots = new Map(slotDefs.map((s) => [s.name, new Map<string, Tensor>()]));
        const newParams = params.map((param, key) => {
          const slots: Record<string, Tensor> = {};
          for (const s of slotDefs) slots[s.name] = state.slots.get(s.name)?.get(key) as Tensor;
          const grad = checkGrad(`${name}.update`, key, param, grads.get(key));
          const out = rule({ param, grad, slots, lr: rate, step });
          for (const s of slotDefs) newSlots.get(s.name)?.set(key, out.slots?.[s.name] ?? slots[s.name]);
          return out.param;
        });
        return {
          params: newParams,
          state: Object.freeze({
            step,
            slots: ImmutableMap([...newSlots].map(([k, m]) => [k, ImmutableMap(m)])),
          }),
        };
      }),
  };
}

/** Adds weight decay to a gradient: g + λ·p (the coupled "L2" form of SGD, Adam, RMSprop, Adagrad). */
export function decayed(grad: Tensor, param: Tensor, weightDecay: number): Tensor {
  return weightDecay ? grad.add(param.mul(weightDecay)) : grad;
}
