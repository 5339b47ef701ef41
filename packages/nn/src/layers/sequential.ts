/**
 * Layers applied one after another. Parameter keys are prefixed with the layer's index: "0.weight".
 */
import { ShapeError } from '@chainrule/autograd';
import { Module, prefixSlots, runLayer } from '../module.js';

/** Checks at construction that consecutive layer widths agree, so mistakes surface before any data flows. */
function checkWidths(layers: readonly Module[], input: number | undefined): number | undefined {
  let width = input;
  let producer = 'the input';
  layers.forEach((layer, i) => {
    const def = layer.definition;
    if (def.inputFeatures !== undefined && width !== undefined && def.inputFeatures !== width) {
      throw new ShapeError(
        'sequential',
        `layer ${i} ${def.label} expects ${def.inputFeatures} input features but ${producer} produces ${width}`,
        'make each layer’s input width equal the previous layer’s output width',
      );
    }
    width = def.outputFeatures ? def.outputFeatures(width ?? def.inputFeatures) : width;
    producer = `layer ${i} ${def.label}`;
  });
  return width;
}

/** A model that applies `layers` in order. */
export function sequential(layers: readonly Module[]): Module {
  if (layers.length === 0) {
    throw new ShapeError('sequential', 'no layers given', 'pass at least one layer');
  }
  checkWidths(layers, undefined);
  const first = layers[0].definition;
  return new Module({
    spec: { type: 'sequential', layers: layers.map((l) => l.spec) },
    label: `sequential[${layers.map((l) => l.definition.label).join(', ')}]`,
    container: true,
    params: layers.flatMap((l, i) => prefixSlots(String(i), l.paramSpecs().values())),
    state: layers.flatMap((l, i) => prefixSlots(String(i), l.stateSpecs().values())),
    inputFeatures: first.inputFeatures,
    outputFeatures: (n) => checkWidths(layers, n),
    run: (x, ctx) =>
      layers.reduce((h, layer, i) => runLayer(layer, h, ctx.child(String(i), layer.definition.label)), x),
  });
}
