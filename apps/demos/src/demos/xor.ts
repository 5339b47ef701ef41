import { linspace, tensor } from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';
import { xor } from '@chainrule/datasets';
import { dense, fit, init, mse, predict, sequential, sgd, sigmoid } from '@chainrule/nn';
import type { Demo } from '../demo.js';
import { lineChart, surface } from '../charts.js';

/** The lecture's XOR network: 2-4-1, sigmoid, no biases, weights uniform in [0, 1) like np.random.rand. */
export function lectureXorModel() {
  const layer = (inputs: number, units: number) =>
    dense(inputs, units, { bias: false, dtype: 'float64', weightInit: init.uniform(0, 1) });
  return sequential([layer(2, 4), sigmoid(), layer(4, 1), sigmoid()]);
}

/** Σ(y − ŷ)²: the loss whose gradient the lecture's backprop computes (the factor 2 included). */
const sumOfSquares = (prediction: Tensor, target: Tensor) => mse(prediction, target, { reduction: 'sum' });

export const xorDemo: Demo = {
  name: 'xor',
  summary:
    "the lecture's XOR program: 2-4-1 sigmoid network, 10,000 epochs of gradient descent, loss and decision surface",
  fast: true,
  defaultEpochs: 10_000,
  async run(report, settings) {
    const epochs = settings.quick ? 2_000 : (settings.epochs ?? 10_000);
    const data = xor();
    const model = lectureXorModel();
    report.heading(
      `Training 2-4-1 on XOR: full batch, learning rate 1, ${epochs} epochs, seed ${settings.seed}`,
    );
    const curve: [number, number][] = [];
    const rows: [string, number][] = [];
    const result = await fit(model, data, {
      epochs,
      batchSize: 4,
      shuffle: false,
      optimizer: sgd({ lr: 1 }),
      loss: sumOfSquares,
      seed: settings.seed,
      callbacks: [
        {
          onEpochEnd: ({ epoch, logs }) => {
            // The lecture prints mean((y − output)²) before each update: the sum of squares over 4 samples / 4.
            const meanSquare = logs.loss / 4;
            if (epoch % 100 === 0) curve.push([epoch, meanSquare]);
            if (epoch % 1000 === 0) rows.push([`Epoch ${epoch}`, meanSquare]);
          },
        },
      ],
    });
    report.table(['epoch', 'loss (mean squared error)'], rows);
    const output = predict(model, result, data.x);
    report.heading('Predictions after training');
    const inputs = data.x.toArray() as number[][];
    report.table(
      ['x1', 'x2', 'target', 'output', 'rounded'],
      inputs.map(([a, b], i) => [
        String(a),
        String(b),
        String(data.y.data[i]),
        output.data[i],
        String(Math.round(output.data[i])),
      ]),
    );
    report.picture(
      'loss.svg',
      await lineChart([{ name: 'MSE', points: curve }], {
        title: 'XOR training loss',
        x: 'epoch',
        y: 'mean squared error (log)',
        logY: true,
      }),
      'Mean squared error every 100 epochs.',
    );
    const axis = linspace(-0.25, 1.25, 31).toFlatArray();
    const grid = axis.flatMap((y) => axis.map((x) => [x, y]));
    const gridOut = predict(model, result, tensor(grid));
    report.picture(
      'decision-surface.svg',
      await surface(
        grid.map(([x, y], i) => ({ x, y, v: gridOut.data[i] })),
        inputs.map(([x, y], i) => ({ x, y, label: String(data.y.data[i]) })),
        { title: 'Network output over the input plane', x: 'x1', y: 'x2', cell: 110 },
      ),
      'Red near 0, blue near 1: the hidden layer bends the plane so that (0,1) and (1,0) land on one side.',
    );
  },
};
