import { gradients, toDot, toSvg } from '@chainrule/autograd';
import type { Demo } from '../demo.js';
import { lectureForward } from '../lecture/backprop-network.js';
import { fmt } from '../report.js';

const learningRate = 0.5;

export const backprop: Demo = {
  name: 'backprop',
  summary: "the lecture's 2-2-2 worked example: forward values, J, every ∂J/∂w, one update, and its graphs",
  fast: true,
  async run(report) {
    const net = lectureForward();
    report.heading('Forward pass');
    report.table(
      ['quantity', 'value'],
      [
        ['in_h1', net.inH1.item()],
        ['out_h1', net.outH1.item()],
        ['in_h2', net.inH2.item()],
        ['out_h2', net.outH2.item()],
        ['in_o1', net.inO1.item()],
        ['out_o1', net.outO1.item()],
        ['in_o2', net.inO2.item()],
        ['out_o2', net.outO2.item()],
        ['J', net.loss.item()],
      ],
    );
    report.heading(`Backward pass and one gradient-descent step (α = ${learningRate})`);
    const grads = gradients(net.loss, net.weights, { createGraph: true });
    report.table(
      ['weight', 'value', '∂J/∂w', 'updated'],
      net.weights.map((w, i) => [
        w.name ?? `w${i + 1}`,
        w.item(),
        grads[i].item(),
        w.item() - learningRate * grads[i].item(),
      ]),
    );
    const w5 = net.weights[4].item() - learningRate * grads[4].item();
    report.text(
      `∂J/∂w5 = ${fmt(grads[4].item())}, so w5 = 0.4 − ${learningRate} × ${fmt(grads[4].item())} = ${fmt(w5, 5)}`,
    );

    report.heading('The computation graph');
    const gradOf = new Map(net.weights.map((w, i) => [w, grads[i]] as const));
    report.picture(
      'network.svg',
      await toSvg(
        toDot(net.loss, { values: true, grads: gradOf, title: 'J for the 2-2-2 network: values and ∂J/∂w' }),
      ),
      'Forward graph: every node with its value; each weight also shows its gradient after one backward pass.',
    );
    report.picture(
      'gradient-graph.svg',
      await toSvg(
        toDot(net.loss, {
          values: true,
          grads: gradOf,
          gradientGraph: true,
          title: 'Forward graph and gradient graph',
        }),
      ),
      'The gradient is itself a graph of the same ops (red), linked to the weight it is the gradient of (dashed).',
    );
  },
};
