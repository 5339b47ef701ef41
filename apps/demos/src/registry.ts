/**
 * Every demo, in the order of the lecture.
 */
import type { Demo } from './demo.js';
import { activations } from './demos/activations.js';
import { backprop } from './demos/backprop.js';
import { californiaDemo } from './demos/california.js';
import { gradientDescent } from './demos/gradient-descent.js';
import { graphDemo } from './demos/graph.js';
import { mseDemo } from './demos/mse.js';
import { neuronDemo } from './demos/neuron.js';
import { regularizationDemo } from './demos/regularization.js';
import { xorDemo } from './demos/xor.js';
import { mnistDemo } from './demos/mnist.js';

export const demos: readonly Demo[] = [
  neuronDemo,
  activations,
  mseDemo,
  gradientDescent,
  backprop,
  xorDemo,
  regularizationDemo,
  mnistDemo,
  californiaDemo,
  graphDemo,
];

/** The demo called `name`, or undefined. */
export function findDemo(name: string): Demo | undefined {
  return demos.find((d) => d.name === name);
}
