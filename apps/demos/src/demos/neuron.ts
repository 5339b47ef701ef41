import { gradients, scalar, sigmoid, toDot, toExpr, toSvg, variable } from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';
import type { Demo } from '../demo.js';

/** Logistic regression as a one-neuron network: ŷ = σ(w0 + w1·x1 + w2·x2), optionally without the bias w0. */
function neuron(withBias: boolean) {
  const x1 = scalar(1.5, { name: 'x1' });
  const x2 = scalar(-0.5, { name: 'x2' });
  const w0 = variable(0.1, { name: 'w0 (bias)' });
  const w1 = variable(0.8, { name: 'w1' });
  const w2 = variable(-0.4, { name: 'w2' });
  let z: Tensor = w1.mul(x1).add(w2.mul(x2));
  if (withBias) z = w0.add(z);
  const yHat = sigmoid(z);
  const weights = withBias ? [w0, w1, w2] : [w1, w2];
  return { yHat, weights };
}

export const neuronDemo: Demo = {
  name: 'neuron',
  summary:
    'logistic regression as the simplest network, ŷ = σ(w0 + w1·x1 + w2·x2), drawn with and without the bias',
  fast: true,
  async run(report) {
    report.heading('One neuron: a weighted sum, then the sigmoid');
    for (const withBias of [true, false]) {
      const { yHat, weights } = neuron(withBias);
      const grads = gradients(yHat, weights);
      report.text(
        `${withBias ? 'With' : 'Without'} the bias: ŷ = ${toExpr(yHat)} = ${yHat.item().toFixed(6)}`,
      );
      report.table(
        ['weight', 'value', '∂ŷ/∂w'],
        weights.map((w, i) => [w.name ?? '', w.item(), grads[i].item()]),
      );
      report.picture(
        withBias ? 'neuron.svg' : 'neuron-no-bias.svg',
        await toSvg(
          toDot(yHat, {
            values: true,
            grads: new Map(weights.map((w, i) => [w, grads[i]] as const)),
            title: withBias ? 'ŷ = σ(w0 + w1·x1 + w2·x2)' : 'ŷ = σ(w1·x1 + w2·x2), no bias',
          }),
        ),
        withBias
          ? 'The bias w0 shifts the weighted sum, so the decision boundary need not pass through the origin.'
          : 'Without w0, z = 0 exactly when w1·x1 + w2·x2 = 0: the boundary is forced through the origin.',
      );
    }
  },
};
