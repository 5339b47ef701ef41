/**
 * Saving and loading trained models: parameters and batch-norm state as safetensors, with the architecture
 * JSON in the header's metadata. Files are written atomically (a temporary file in the same directory,
 * then a rename), and a round trip is bit-exact.
 */
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { Map as ImmutableMap } from 'immutable';
import type { Tensor } from '@chainrule/autograd';
import { ChainruleError, FormatError, formatShape } from '@chainrule/autograd';
import { moduleFromSpec } from '../layers/registry.js';
import type { Module, Slot } from '../module.js';
import type { LayerSpec, Params, State, Weights } from '../types.js';
import { decode, encode } from './safetensors.js';

const ARCHITECTURE_KEY = 'chainrule.architecture';
const FORMAT_KEY = 'format';

/** A loaded model: the rebuilt architecture and its weights. */
export interface Loaded {
  readonly model: Module;
  readonly params: Params;
  readonly state: State;
}

/** Options of `load` / `fromBytes`. */
export interface LoadOptions {
  /** The architecture the file must hold; a different one is a FormatError. */
  readonly model?: Module;
}

function checkAgainst(
  where: string,
  kind: string,
  slots: ReadonlyMap<string, Slot>,
  tensors: ReadonlyMap<string, Tensor>,
): ImmutableMap<string, Tensor> {
  return ImmutableMap<string, Tensor>().withMutations((out) => {
    for (const [key, slot] of slots) {
      const t = tensors.get(key);
      if (!t)
        throw new FormatError(
          where,
          `${kind} '${key}' is missing`,
          'the file does not match its architecture',
        );
      const same =
        t.dtype === slot.dtype &&
        t.ndim === slot.shape.length &&
        t.shape.every((d, i) => d === slot.shape[i]);
      if (!same) {
        throw new FormatError(
          where,
          `${kind} '${key}' is ${formatShape(t.shape)} ${t.dtype}, the architecture needs ${formatShape(slot.shape)} ${slot.dtype}`,
          'the file does not match its architecture',
        );
      }
      out.set(key, t);
    }
  });
}

/** The bytes of a safetensors file holding `weights` of `model` and the model's architecture. */
export function toBytes(model: Module, weights: Weights): Uint8Array {
  const where = 'save';
  const state = weights.state ?? model.initState();
  const params = checkAgainst(where, 'parameter', model.paramSpecs(), new Map(weights.params));
  const stateTensors = checkAgainst(where, 'state', model.stateSpecs(), new Map(state));
  return encode(where, [...params, ...stateTensors], {
    [FORMAT_KEY]: 'pt',
    [ARCHITECTURE_KEY]: JSON.stringify(model.spec),
  });
}

/** Reads a model from safetensors bytes written by `toBytes` / `save`; `where` names the source in errors. */
export function fromBytes(bytes: Uint8Array, options: LoadOptions = {}, where = 'load'): Loaded {
  const { tensors, metadata } = decode(where, bytes);
  const json = metadata[ARCHITECTURE_KEY];
  if (json === undefined) {
    throw new FormatError(
      where,
      `no '${ARCHITECTURE_KEY}' in the metadata`,
      'the file was not saved by @chainrule/nn',
    );
  }
  let spec: LayerSpec;
  let model: Module;
  try {
    spec = JSON.parse(json) as LayerSpec;
    model = moduleFromSpec(spec);
  } catch (e) {
    const message = e instanceof ChainruleError || e instanceof SyntaxError ? e.message : String(e);
    throw new FormatError(where, `the architecture cannot be rebuilt: ${message}`, 'the metadata is damaged');
  }
  if (options.model && JSON.stringify(options.model.spec) !== JSON.stringify(model.spec)) {
    throw new FormatError(
      where,
      `the file holds ${model.toString()}, expected ${options.model.toString()}`,
      'load the file that belongs to this model, or omit { model } to take the file’s architecture',
    );
  }
  const known = new Set([...model.paramSpecs().keys(), ...model.stateSpecs().keys()]);
  const extra = [...tensors.keys()].filter((k) => !known.has(k));
  if (extra.length) {
    throw new FormatError(
      where,
      `unexpected tensors ${extra.join(', ')}`,
      'the file does not match its architecture',
    );
  }
  return {
    model,
    params: checkAgainst(where, 'parameter', model.paramSpecs(), tensors),
    state: checkAgainst(where, 'state', model.stateSpecs(), tensors),
  };
}

/** Saves a model's weights and architecture to `path` atomically (write-file-atomic: temporary file, then rename). */
export async function save(path: string, model: Module, weights: Weights): Promise<void> {
  const bytes = toBytes(model, weights);
  await writeFileAtomic(path, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** Loads a model saved with `save`: { model, params, state }. */
export async function load(path: string, options: LoadOptions = {}): Promise<Loaded> {
  return fromBytes(new Uint8Array(await readFile(path)), options, path);
}
