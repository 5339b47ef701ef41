import { elu, grad, leakyRelu, linspace, maximum, relu, sigmoid, step, tanh } from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';
import type { Demo } from '../demo.js';
import { facetedLines } from '../charts.js';

/** Maxout with two linear pieces of a scalar input: max(w1·x + b1, w2·x + b2) with w = (0.5, −1), b = (0.5, −0.5). */
const maxout = (x: Tensor) => maximum(x.mul(0.5).add(0.5), x.mul(-1).sub(0.5));

/** The lecture's activation functions, each applied elementwise. */
export const activationFunctions: readonly { readonly name: string; readonly fn: (x: Tensor) => Tensor }[] = [
  { name: 'linear', fn: (x) => x },
  { name: 'step', fn: step },
  { name: 'sigmoid', fn: sigmoid },
  { name: 'tanh', fn: tanh },
  { name: 'ReLU', fn: relu },
  { name: 'leaky ReLU max(0.1x, x)', fn: (x) => leakyRelu(x, 0.1) },
  { name: 'ELU (α = 1)', fn: (x) => elu(x, 1) },
  { name: 'maxout max(0.5x+0.5, −x−0.5)', fn: maxout },
];

export const activations: Demo = {
  name: 'activations',
  summary:
    'linear, step, sigmoid, tanh, ReLU, leaky ReLU, ELU and maxout with derivatives computed by the engine',
  fast: true,
  async run(report) {
    report.heading('Activation functions and their derivatives');
    report.text(
      'Each derivative is the gradient of Σ f(x) with respect to x: f acts elementwise, so entry i is f′(x_i).',
    );
    const x = linspace(-4, 4, 161);
    const xs = x.toFlatArray();
    const rows: (string | number)[][] = [];
    const panels = activationFunctions.map(({ name, fn }) => {
      const y = fn(x).toFlatArray();
      const dy = grad((v: Tensor) => fn(v).sum())(x).toFlatArray();
      const at = (value: number) => xs.findIndex((v) => Math.abs(v - value) < 1e-9);
      rows.push([name, y[at(-1)], dy[at(-1)], y[at(1)], dy[at(1)]]);
      return {
        panel: name,
        series: [
          { name: 'f(x)', points: xs.map((v, i) => [v, y[i]] as [number, number]) },
          { name: "f'(x)", points: xs.map((v, i) => [v, dy[i]] as [number, number]) },
        ],
      };
    });
    report.table(['activation', 'f(−1)', "f'(−1)", 'f(1)', "f'(1)"], rows);
    report.picture(
      'activations.svg',
      await facetedLines(panels, {
        title: 'Activation functions (blue) and their derivatives (orange)',
        x: 'x',
        y: '',
      }),
      'Derivatives come from reverse-mode differentiation of the same ops, not from hand-written formulas.',
    );
  },
};
