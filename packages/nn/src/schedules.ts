/**
 * Learning-rate schedules: functions from the update index (0 for the first update) to a learning rate.
 * Pass one as an optimizer's `lr`. The formulas are the closed forms of PyTorch's StepLR, ExponentialLR,
 * CosineAnnealingLR and LinearLR.
 */
import { ChainruleError } from '@chainrule/autograd';

/** A learning rate per update index. */
export type Schedule = (step: number) => number;

function positive(where: string, name: string, v: number): void {
  if (!(v > 0))
    throw new ChainruleError(where, `${name} must be positive, got ${v}`, 'check the schedule options');
}

/** initial · γ^⌊step / stepSize⌋: multiply by γ every `stepSize` updates. */
export function stepDecay(initial: number, options: { stepSize: number; gamma?: number }): Schedule {
  positive('stepDecay', 'stepSize', options.stepSize);
  const gamma = options.gamma ?? 0.1;
  return (step) => initial * Math.pow(gamma, Math.floor(step / options.stepSize));
}

/** initial · γ^step. */
export function exponentialDecay(initial: number, gamma: number): Schedule {
  positive('exponentialDecay', 'gamma', gamma);
  return (step) => initial * Math.pow(gamma, step);
}

/** Half a cosine from `initial` down to `min` over `steps` updates, then `min`. */
export function cosineDecay(initial: number, options: { steps: number; min?: number }): Schedule {
  positive('cosineDecay', 'steps', options.steps);
  const min = options.min ?? 0;
  return (step) =>
    min + ((initial - min) * (1 + Math.cos((Math.PI * Math.min(step, options.steps)) / options.steps))) / 2;
}

/**
 * Linear warm-up over `steps` updates from startFactor·lr(0) to lr(0), then `after` (a number or a schedule
 * whose step count starts at the end of the warm-up).
 */
export function linearWarmup(
  after: number | Schedule,
  options: { steps: number; startFactor?: number },
): Schedule {
  positive('linearWarmup', 'steps', options.steps);
  const start = options.startFactor ?? 0;
  const target: Schedule = typeof after === 'number' ? () => after : after;
  return (step) =>
    step < options.steps
      ? target(0) * (start + ((1 - start) * step) / options.steps)
      : target(step - options.steps);
}
