import { gradients, tensor, toDot, toExpr, toSvg, variable } from '@chainrule/autograd';
import { mse } from '@chainrule/nn';
import type { Demo } from '../demo.js';

export const mseDemo: Demo = {
  name: 'mse',
  summary:
    "the lecture's example 4: MSE of prediction [0.2, 0.7] against truth [0, 1] is 0.065, with its graph",
  fast: true,
  async run(report) {
    report.heading('Mean squared error (example 4)');
    const prediction = variable([0.2, 0.7], { name: 'prediction' });
    const truth = tensor([0, 1], { name: 'truth' });
    const loss = mse(prediction, truth);
    report.text('MSE = (1/n) Σ (y_true − y_pred)² = ½ × [(0 − 0.2)² + (1 − 0.7)²] = ½ × [0.04 + 0.09]');
    report.table(['quantity', 'value'], [['MSE', loss.item()]]);
    const [g] = gradients(loss, [prediction], { createGraph: true });
    const [g0, g1] = g.toFlatArray();
    report.text(`∂MSE/∂prediction = (2/n)(prediction − truth) = [${g0.toFixed(4)}, ${g1.toFixed(4)}]`);
    report.text(`As a formula: MSE = ${toExpr(loss)}`);
    report.picture(
      'mse-graph.svg',
      await toSvg(
        toDot(loss, {
          values: true,
          grads: new Map([[prediction, g]]),
          gradientGraph: true,
          title: 'MSE and its gradient',
        }),
      ),
      'The loss graph (values on each node) and the graph of its gradient with respect to the prediction.',
    );
  },
};
