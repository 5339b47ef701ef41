/**
 * Regenerates the pictures in docs/ that the READMEs show: `npx tsx packages/autograd/scripts/render-docs.ts`.
 * The picture is the first hidden neuron of the lecture's 2-2-2 network, its forward graph with values and
 * gradients, and the gradient graph linked to the weights.
 */
import writeFileAtomic from 'write-file-atomic';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradients, scalar, toDot, toSvg, variable } from '@chainrule/autograd';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs');

/** Writes `text` to `docs/name` atomically: a temporary file in the same folder, then a rename. */
async function writeDoc(name: string, text: string): Promise<void> {
  await writeFileAtomic(join(docs, name), text);
}

const i1 = scalar(0.05, { name: 'i1' });
const i2 = scalar(0.1, { name: 'i2' });
const w1 = variable(0.15, { name: 'w1' });
const w2 = variable(0.2, { name: 'w2' });
const b1 = variable(0.35, { name: 'b1' });
const out = w1.mul(i1).add(w2.mul(i2)).add(b1).sigmoid();
const weights = [w1, w2, b1];
const grads = gradients(out, weights, { createGraph: true });
const dot = toDot(out, {
  values: true,
  grads: weights.map((w, k) => [w, grads[k]] as const),
  gradientGraph: true,
  title: 'out_h1 = sigmoid(w1*i1 + w2*i2 + b1) and its gradient graph',
});
await writeDoc('neuron-graph.svg', await toSvg(dot));
console.log(`wrote ${join(docs, 'neuron-graph.svg')}`);
