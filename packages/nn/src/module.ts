/**
 * The Module: a stateless layer definition. It declares its parameter and state tensors, creates them from a
 * seed (`init`, `initState`) and computes outputs from trees it is given (`apply`, `forward`). Nothing is
 * stored on the module, so one definition serves any number of parameter sets.
 *
 * Batch-norm statistics flow purely: `forward` returns `{ output, state }`, where `state` is the incoming
 * state with the running statistics of this call folded in (training mode) or unchanged (evaluation).
 */
import { Map as ImmutableMap } from 'immutable';
import type { Seed, Shape, Tensor } from '@chainrule/autograd';
import {
  ChainruleError,
  ShapeError,
  deriveSeed,
  formatShape,
  keyedDropoutMask,
  nameScope,
} from '@chainrule/autograd';
import { dropoutMask } from './layers/dropout-mask.js';
import type { Initializer } from './init.js';
import type {
  ApplyOptions,
  KeyedSeed,
  ForwardResult,
  InitOptions,
  LayerSpec,
  Params,
  State,
  TensorSpec,
} from './types.js';

/** A tensor a layer owns: its key (relative to the layer), shape, dtype, initializer and fans. */
export interface Slot extends TensorSpec {
  readonly key: string;
  readonly init: Initializer;
  readonly fanIn: number;
  readonly fanOut: number;
}

/** What a layer sees while computing: its own tensors, the mode, and its dropout masks. */
export interface LayerContext {
  /** The layer's path in the model ("" at the root, "0", "1.3", ...). */
  readonly path: string;
  readonly training: boolean;
  /** A trainable parameter of this layer. */
  param(key: string): Tensor;
  /** A state tensor of this layer (running statistics). */
  state(key: string): Tensor;
  /** Records the new value of a state tensor (training mode). */
  setState(key: string, value: Tensor): void;
  /** This layer's inverted-dropout mask for this call (drawn from its seed, keyed seeds included). */
  dropoutMask(shape: Shape, rate: number, dtype: 'float32' | 'float64'): Tensor;
  /** The context of a child layer at `key` described by `label` (used by containers). */
  child(key: string, label: string): LayerContext;
}

/** The definition a layer constructor hands to `Module`. */
export interface LayerDefinition {
  readonly spec: LayerSpec;
  /** Short human description, e.g. "dense(784→128)". */
  readonly label: string;
  readonly params?: readonly Slot[];
  readonly state?: readonly Slot[];
  /** True for containers (sequential), which open no name scope of their own. */
  readonly container?: boolean;
  /** The number of input features the layer needs, when fixed. */
  readonly inputFeatures?: number;
  /** The number of output features for a given input width (undefined: unknown). Default: unchanged. */
  readonly outputFeatures?: (input: number | undefined) => number | undefined;
  run(x: Tensor, ctx: LayerContext): Tensor;
}

function joinKey(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/** The full description of a layer at `path`, as used in error messages: "dense layer 0 (2→4)". */
export function layerName(path: string, label: string): string {
  return path ? `layer ${path} ${label}` : label;
}

interface CallState {
  readonly params: Params;
  readonly state: State | undefined;
  readonly options: ApplyOptions;
  readonly updates: Map<string, Tensor>;
  readonly slots: ReadonlyMap<string, Slot>;
  readonly stateSlots: ReadonlyMap<string, Slot>;
}

function checkTensor(where: string, kind: string, key: string, t: Tensor | undefined, slot: Slot): Tensor {
  if (!t) {
    throw new ChainruleError(
      where,
      `${kind} '${key}' is missing`,
      kind === 'state'
        ? 'pass { state } from model.initState(), forward() or fit() when evaluating a model with batch norm'
        : 'pass the parameters from model.init() (or fit/load) of this same architecture',
    );
  }
  const same = t.shape.length === slot.shape.length && t.shape.every((d, i) => d === slot.shape[i]);
  if (!same || t.dtype !== slot.dtype) {
    throw new ShapeError(
      where,
      `${kind} '${key}' has shape ${formatShape(t.shape)} ${t.dtype}, expected ${formatShape(slot.shape)} ${slot.dtype}`,
      'the parameters belong to a different architecture',
    );
  }
  return t;
}

/** The call's seed; training with random layers needs one. */
function seedOf(call: CallState, where: string): Seed | KeyedSeed {
  if (call.options.seed === undefined) {
    throw new ChainruleError(
      where,
      'training mode needs a seed for the random dropout mask',
      'pass { training: true, seed } (fit does this for you)',
    );
  }
  return call.options.seed;
}

function makeContext(call: CallState, path: string, label: string): LayerContext {
  const where = () => layerName(path, label);
  return {
    path,
    training: call.options.training ?? false,
    param: (key) => {
      const full = joinKey(path, key);
      return checkTensor(where(), 'parameter', full, call.params.get(full), call.slots.get(full) as Slot);
    },
    state: (key) => {
      const full = joinKey(path, key);
      const t = call.updates.get(full) ?? call.state?.get(full);
      return checkTensor(where(), 'state', full, t, call.stateSlots.get(full) as Slot);
    },
    setState: (key, value) => {
      call.updates.set(joinKey(path, key), value);
    },
    dropoutMask: (shape, rate, dtype) => {
      const seed = seedOf(call, where());
      const purpose = path || 'root';
      if (typeof seed === 'object') {
        return keyedDropoutMask(seed.key, shape, rate, dtype, String(seed.base), purpose);
      }
      return dropoutMask(shape, rate, deriveSeed(seed, purpose), dtype);
    },
    child: (key, childLabel) => makeContext(call, joinKey(path, key), childLabel),
  };
}

/** A stateless layer: `init` makes parameters, `apply`/`forward` compute with the parameters they are given. */
export class Module {
  /** @internal Layers are built by their constructor functions (`dense`, `relu`, `sequential`, ...). */
  constructor(readonly definition: LayerDefinition) {}

  /** The JSON description of the architecture. */
  get spec(): LayerSpec {
    return this.definition.spec;
  }

  /** A short description, e.g. "sequential[dense(2→4), sigmoid, dense(4→1), sigmoid]". */
  toString(): string {
    return this.definition.label;
  }

  /** The trainable tensors this module owns, keyed by their full path ("0.weight"). */
  paramSpecs(): ReadonlyMap<string, Slot> {
    return new Map((this.definition.params ?? []).map((s) => [s.key, s]));
  }

  /** The state tensors (running statistics) this module owns. */
  stateSpecs(): ReadonlyMap<string, Slot> {
    return new Map((this.definition.state ?? []).map((s) => [s.key, s]));
  }

  /** Fresh parameters drawn from `seed`; each tensor uses its own derived stream, so keys never share numbers. */
  init(options: InitOptions): Params {
    return createTensors(this.definition.params ?? [], options.seed);
  }

  /** Fresh state: running means 0, running variances 1. */
  initState(): State {
    return createTensors(this.definition.state ?? [], 'state');
  }

  /** The output for input x (evaluation mode unless `{ training: true }`). */
  apply(params: Params, x: Tensor, options: ApplyOptions = {}): Tensor {
    return this.forward(params, x, options).output;
  }

  /** The output and the state after this call (running statistics updated in training mode). */
  forward(params: Params, x: Tensor, options: ApplyOptions = {}): ForwardResult {
    // Training starts from fresh statistics when none are given; evaluation must be given them.
    const state = options.state ?? (options.training ? this.initState() : undefined);
    const call: CallState = {
      params,
      state,
      options,
      updates: new Map(),
      slots: this.paramSpecs(),
      stateSlots: this.stateSpecs(),
    };
    const output = runLayer(this, x, makeContext(call, '', this.definition.label));
    const base = state ?? this.initState();
    return { output, state: call.updates.size ? base.merge(call.updates) : base };
  }
}

function createTensors(slots: readonly Slot[], seed: Seed): ImmutableMap<string, Tensor> {
  return ImmutableMap<string, Tensor>().withMutations((m) => {
    for (const s of slots) {
      const t = s.init.create(s.shape, {
        seed: deriveSeed(seed, s.key),
        dtype: s.dtype,
        fanIn: s.fanIn,
        fanOut: s.fanOut,
      });
      m.set(s.key, t);
    }
  });
}

/** Runs a module in a context, inside a name scope named after the layer (containers open none). */
export function runLayer(module: Module, x: Tensor, ctx: LayerContext): Tensor {
  const def = module.definition;
  if (def.container) return def.run(x, ctx);
  const scope = ctx.path ? `${ctx.path}:${def.spec.type}` : def.spec.type;
  return nameScope(scope, () => def.run(x, ctx));
}

/** The slots of a child module, re-keyed under `prefix`. */
export function prefixSlots(prefix: string, slots: Iterable<Slot>): Slot[] {
  return [...slots].map((s) => ({ ...s, key: joinKey(prefix, s.key) }));
}
