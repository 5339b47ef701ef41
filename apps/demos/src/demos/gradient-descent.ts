import { grad, linspace, scalar } from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';
import type { Demo } from '../demo.js';
import { curveWithPoints, lineChart } from '../charts.js';

const start = 5;
const learningRate = 0.1;
const steps = 30;

/** J(w) = w², the lecture's example 5. */
const J = (w: Tensor) => w.mul(w);

export const gradientDescent: Demo = {
  name: 'gradient-descent',
  summary: 'J(w) = w² from w = 5 with learning rate 0.1: the steps as a table and as a path on the curve',
  fast: true,
  async run(report) {
    report.heading('Gradient descent on J(w) = w²');
    const dJ = grad(J);
    let w = scalar(start);
    const path: [number, number][] = [];
    const rows: (string | number)[][] = [];
    for (let k = 0; k <= steps; k++) {
      const g = dJ(w);
      path.push([w.item(), J(w).item()]);
      if (k < 10 || k === steps) rows.push([String(k), w.item(), J(w).item(), g.item()]);
      w = w.sub(g.mul(learningRate));
    }
    report.table(['step', 'w', 'J(w)', '∂J/∂w'], rows);
    report.text(
      `After one step w = ${path[1][0]} (5 − 0.1 × 10); after ${steps} steps w = ${path[steps][0].toExponential(3)}, heading to the minimum at 0.`,
    );
    const xs = linspace(-5.5, 5.5, 111);
    const curve = { name: 'J(w) = w²', points: xs.toFlatArray().map((x) => [x, x * x] as [number, number]) };
    report.picture(
      'path.svg',
      await curveWithPoints(
        curve,
        { name: 'steps', points: path },
        { title: 'Gradient descent path on J(w) = w²', x: 'w', y: 'J(w)' },
      ),
      'Each red point is one step w ← w − 0.1·∂J/∂w, starting at w = 5.',
    );
    report.picture(
      'loss.svg',
      await lineChart([{ name: 'J(w)', points: path.map(([, j], k) => [k, j]) }], {
        title: 'Loss per step',
        x: 'step',
        y: 'J(w) (log scale)',
        logY: true,
      }),
      'J falls by a factor 0.64 per step: w shrinks by 0.8 each time.',
    );
  },
};
