import { gradients, nameScope, randn, simplify, toDot, toExpr, toSvg, variable } from '@chainrule/autograd';
import { dense, relu, sequential } from '@chainrule/nn';
import type { Demo } from '../demo.js';

export const graphDemo: Demo = {
  name: 'graph',
  summary: 'toDot, toSvg, toExpr and simplify on a formula, and an MLP drawn with its layers collapsed',
  fast: true,
  async run(report, settings) {
    report.heading('A derivative is a graph: print it, simplify it, differentiate it again');
    const x = variable(0.5, { name: 'x' });
    const y = x.mul(x).add(x.sin());
    const [dy] = gradients(y, [x], { createGraph: true });
    const [d2y] = gradients(dy, [x], { createGraph: true });
    report.table(
      ['expression', 'as recorded', 'simplified', 'value at x = 0.5'],
      [
        ['y', toExpr(y), toExpr(simplify(y)), y.item()],
        ['dy/dx', toExpr(dy), toExpr(simplify(dy)), dy.item()],
        ['d²y/dx²', toExpr(d2y), toExpr(simplify(d2y)), d2y.item()],
      ],
    );
    report.picture(
      'derivative.svg',
      await toSvg(
        toDot(y, {
          values: true,
          grads: new Map([[x, dy]]),
          gradientGraph: true,
          title: 'y = x·x + sin(x) and dy/dx',
        }),
      ),
      'Forward graph (black) and the graph of dy/dx built from the same ops (red).',
    );
    report.picture(
      'derivative-simplified.svg',
      await toSvg(toDot(simplify(dy), { values: true, title: 'dy/dx after simplify' })),
      'The same derivative after constant folding, identities and common-subexpression elimination.',
    );

    report.heading('An MLP, one box per layer');
    const sizes = settings.quick ? [784, 32, 10] : [784, 128, 10];
    const model = sequential([dense(sizes[0], sizes[1]), relu(), dense(sizes[1], sizes[2])]);
    const params = model.init({ seed: settings.seed });
    const input = randn([4, sizes[0]], { seed: settings.seed, dtype: 'float32', name: 'images' });
    const logits = nameScope('model', () =>
      model.apply(
        params.map((p, key) => variable(p, { name: key })),
        input,
      ),
    );
    report.text(
      `${sizes.join('-')} network: ${logits.shape.join('×')} logits from ${input.shape.join('×')} inputs.`,
    );
    report.picture(
      'mlp-collapsed.svg',
      await toSvg(
        toDot(logits, {
          collapse: 'box',
          collapseDepth: 2,
          title: `MLP ${sizes.join('-')}, layers collapsed`,
        }),
      ),
      'Each layer (name scope) is drawn as a single box, so the picture stays readable however wide the layers are.',
    );
  },
};
