import { evaluate } from '@chainrule/nn';
import type { Demo } from '../demo.js';
import { lineChart, linesWithPoints } from '../charts.js';
import type { Series } from '../charts.js';
import type { VariantResult } from '../lab/regularization-study.js';
import {
  compareRegularizers,
  grid,
  studyData,
  studySettings,
  variants,
} from '../lab/regularization-study.js';
import { sineTarget } from '../lab/noisy-sine.js';
import { weightStats } from '../lab/weight-stats.js';
import { fmt } from '../report.js';

const defaultEpochs = 500;
const quickEpochs = 80;

/** Every k-th epoch of a per-epoch curve, so that a chart has about `points` points per line. */
function thinned(curve: readonly number[], points = 100): [number, number][] {
  const step = Math.max(1, Math.floor(curve.length / points));
  const out: [number, number][] = [];
  for (let epoch = 0; epoch < curve.length; epoch += step) out.push([epoch + 1, curve[epoch]]);
  if ((curve.length - 1) % step !== 0) out.push([curve.length, curve[curve.length - 1]]);
  return out;
}

/** A difference with its sign: +0.1234 or −0.0123. */
function signed(value: number): string {
  return `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(4)}`;
}

function curves(results: readonly VariantResult[], pick: (r: VariantResult) => readonly number[]): Series[] {
  return results.map((r) => ({ name: r.name, points: thinned(pick(r)) }));
}

export const regularizationDemo: Demo = {
  name: 'regularization',
  summary:
    'one over-sized network trained with no regularization, L1, L2, dropout and batch norm on a noisy sine: losses and weight norms',
  fast: true,
  defaultEpochs,
  async run(report, settings) {
    const epochs = settings.quick ? quickEpochs : (settings.epochs ?? defaultEpochs);
    const s = studySettings;
    const { train } = studyData(settings.seed);
    const plain = variants()[0].model;
    const initialParams = plain.init({ seed: settings.seed });
    const initial = weightStats(initialParams);
    const initialLoss = evaluate(plain, { params: initialParams }, train).loss;
    report.heading('The task and the network');
    report.text(
      `${s.trainSamples} training samples of y = sin(2.5x) + ${s.noise}·ε on [−1, 1] and ${s.validationSamples} validation samples of the same kind; ` +
        `a 1-${Array(s.hiddenLayers).fill(s.width).join('-')}-1 ReLU network (${initial.count} weights for ${s.trainSamples} points) ` +
        `trained full-batch with Adam (learning rate ${s.learningRate}) for ${epochs} epochs, every variant from seed ${settings.seed}. ` +
        `The best possible validation MSE is the noise variance, ${(s.noise ** 2).toFixed(2)}.`,
    );
    report.text(
      `The strengths are chosen so that each penalty starts about as large as the data loss: at initialization ` +
        `λ·Σ|w| = ${fmt(s.l1Lambda * initial.l1, 2)} for L1 and λ·Σw² = ${fmt(s.l2Lambda * initial.l2 ** 2, 2)} for L2, ` +
        `against an initial MSE of ${fmt(initialLoss, 2)}; dropout silences ${100 * s.dropoutRate}% of the hidden units at every step.`,
    );
    const results = await compareRegularizers(settings.seed, epochs);

    report.heading('After training');
    report.table(
      [
        'variant',
        'train MSE',
        'validation MSE',
        'best validation MSE',
        'at epoch',
        'Σ|w|',
        '√Σw²',
        '|w| < 1e-3',
      ],
      results.map((r) => [
        r.name,
        r.trainLoss,
        r.validationLoss,
        r.bestValidationLoss,
        String(r.bestEpoch + 1),
        r.weights.l1.toFixed(1),
        r.weights.l2.toFixed(2),
        `${(100 * r.weights.nearZero).toFixed(1)}%`,
      ]),
    );
    report.text(
      'Losses are the mean squared error alone (no penalty), in evaluation mode (dropout off, batch norm with running statistics). ' +
        `Validation minus training MSE, the overfitting gap: ${results.map((r) => `${r.name} ${signed(r.validationLoss - r.trainLoss)}`).join(', ')}.`,
    );
    report.text(
      "L1's pull λ·sign(w) is the same for small and large weights, so it drives many of them to (almost) exactly zero; " +
        "L2's pull 2λ·w shrinks every weight in proportion to its size; dropout trains with a random part of the hidden units silenced, so no unit can rely on particular others. " +
        'Batch normalization is not a penalty: it rescales the inputs of each unit by batch statistics, which speeds up training, and with full batches it adds no noise that could stop the network from fitting the noise.',
    );

    report.picture(
      'validation-loss.svg',
      await lineChart(
        curves(results, (r) => r.validationCurve),
        {
          title: 'Validation loss per epoch',
          x: 'epoch',
          y: 'validation MSE (log)',
          logY: true,
        },
      ),
      'Validation MSE after every epoch (every few epochs drawn): a curve that turns upwards is overfitting.',
    );
    report.picture(
      'weight-norms.svg',
      await lineChart(
        curves(results, (r) => r.normCurve),
        {
          title: 'Size of the weights per epoch',
          x: 'epoch',
          y: '√Σw² over the weight matrices (log)',
          logY: true,
        },
      ),
      'The L2 norm of all weight matrices, which the L1 and L2 penalties pull down.',
    );
    const xs = Array.from(grid);
    report.picture(
      'fitted-curves.svg',
      await linesWithPoints(
        [
          ...results.map((r) => ({
            name: r.name,
            points: xs.map((x, i): [number, number] => [x, r.fitted[i]]),
          })),
          { name: 'sin(2.5x) (truth)', points: xs.map((x) => [x, sineTarget(x)]) },
        ],
        {
          name: 'training samples',
          points: Array.from(train.x.data, (x, i): [number, number] => [x, train.y.data[i]]),
        },
        { title: 'What each variant learned', x: 'x', y: 'y', width: 560, height: 340 },
      ),
      'Black dots: the training samples; a curve that bends towards single points has learned their noise.',
    );
  },
};
