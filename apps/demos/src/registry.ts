/**
 * Every demo, in the order of the lecture.
 */
import type { Demo } from './demo.js';
import { activations } from './demos/activations.js';
import { backprop } from './demos/backprop.js';
import { gradientDescent } from './demos/gradient-descent.js';

export const demos: readonly Demo[] = [activations, gradientDescent, backprop];

/** The demo called `name`, or undefined. */
export function findDemo(name: string): Demo | undefined {
  return demos.find((d) => d.name === name);
}
