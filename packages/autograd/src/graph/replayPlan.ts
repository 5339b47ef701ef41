/**
 * A traced graph turned into a list of kernel calls: what `jit` runs on every call, the first included. Each
 * recorded op becomes a step that calls the op's own `forward` (so a replay gives the eager run's bits) into
 * an array the plan owns; only the outputs get new arrays per call, from the buffer pool, because the caller
 * keeps them. No node, shape rule, dtype check or reverse pass runs during a replay. A plan's own arrays live
 * in the kernels' WebAssembly memory, which the garbage collector cannot take back: when a plan is collected
 * (its compiled function dropped, as `fit` drops its step at the end), they go to the buffer pool.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import { allocate, ownedArray } from '../tensor/dtype.js';
import { reclaimOwnedArrays } from '../tensor/pool.js';
import type { Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { OpDef } from '../ops/types.js';
import { topologicalOrder } from './topo.js';

/** One recorded op: its inputs by register, its result's register and, unless it is an output, its array. */
interface Step {
  readonly op: OpDef;
  readonly attrs: unknown;
  readonly sources: readonly number[];
  /** The op's operands at this call (filled from the registers before each call: no list per call). */
  readonly operands: Tensor[];
  readonly target: number;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  readonly zeroed: boolean;
  /** The plan's own array and the tensor that shows it, or null for an output (new arrays at every call). */
  readonly owned: TypedArray | null;
  readonly ownedTensor: Tensor | null;
}

/** A constant (not an array from the buffer pool that a scope could take back) holding a copy of `t`. */
function ownedCopy(t: Tensor): Tensor {
  if (t.shape.length === 0) return new Tensor(t.shape, t.dtype, t.scalarValue(), 'constant', null, undefined);
  const data = ownedArray(t.dtype, t.size);
  data.set(t.data as never);
  return new Tensor(t.shape, t.dtype, data, 'constant', null, undefined);
}

/**
 * Takes back the arrays of the plans that the garbage collector has collected. Only arrays of steps: no result
 * ever shows them, whereas a constant may have been handed out as a result and still be in use.
 */
const reclaim = new FinalizationRegistry<TypedArray[]>(reclaimOwnedArrays);

/** What a register holds between calls where an argument or an output was: nothing of the caller's. */
const vacant = new Tensor([], 'float64', 0, 'constant', null, undefined);

/** The kernel calls of a traced function and the registers they pass values through. */
export class ReplayPlan {
  private readonly steps: Step[] = [];
  /** Register values: the arguments first, then constants and op results (constants stay put). */
  private readonly registers: Tensor[];
  private readonly outputRegisters: number[];

  /**
   * Orders the graph between `placeholders` (the traced arguments, in order) and `outputs`. Leaves other than
   * the placeholders are constants of the trace: their values are copied into the plan.
   */
  constructor(placeholders: readonly Tensor[], outputs: readonly Tensor[]) {
    const registerOf = new Map<Tensor, number>();
    this.registers = placeholders.map(() => vacant);
    placeholders.forEach((p, i) => registerOf.set(p, i));
    const constant = (t: Tensor) => {
      const copy = ownedCopy(t);
      registerOf.set(t, this.registers.length);
      this.registers.push(copy);
      return registerOf.get(t)!;
    };
    const registerFor = (t: Tensor) => registerOf.get(t) ?? constant(t);
    const isOutput = new Set(outputs);
    for (const node of topologicalOrder(outputs)) {
      if (registerOf.has(node)) continue;
      if (!node.op) {
        constant(node);
        continue;
      }
      if (node.op.returnsInput && !isOutput.has(node)) {
        // Tensors are immutable: a copy inside the plan can share its input's register.
        registerOf.set(node, registerFor(node.inputAt(0)!));
        continue;
      }
      const sources = node.inputs.map(registerFor);
      const target = this.registers.length;
      registerOf.set(node, target);
      const owned = isOutput.has(node) ? null : ownedArray(node.dtype, node.size);
      const ownedTensor = owned && new Tensor(node.shape, node.dtype, owned, 'constant', null, undefined);
      this.registers.push(ownedTensor ?? vacant);
      this.steps.push({
        op: node.op,
        attrs: node.attrs,
        sources,
        operands: sources.map(() => vacant),
        target,
        shape: node.shape,
        dtype: node.dtype,
        size: node.size,
        zeroed: !node.op.writesAll,
        owned,
        ownedTensor,
      });
    }
    this.outputRegisters = outputs.map(registerFor);
    reclaim.register(
      this,
      this.steps.flatMap((step) => (step.owned ? [step.owned] : [])),
    );
  }

  /** Number of kernel calls per replay. */
  get length(): number {
    return this.steps.length;
  }

  /** Runs every step on `args` (matching the traced placeholders in shape and dtype); returns the outputs. */
  run(args: readonly Tensor[]): Tensor[] {
    const registers = this.registers;
    for (let i = 0; i < args.length; i++) registers[i] = args[i];
    for (const step of this.steps) {
      const { sources, operands, owned } = step;
      for (let j = 0; j < sources.length; j++) operands[j] = registers[sources[j]];
      const out = owned ?? allocate(step.dtype, step.size, step.zeroed);
      if (owned && step.zeroed) out.fill(0);
      const data = step.op.forward(operands, step.attrs, out, step.shape);
      registers[step.target] =
        data === owned
          ? step.ownedTensor!
          : new Tensor(step.shape, step.dtype, data, 'constant', null, undefined);
    }
    const outputs = this.outputRegisters.map((r) => registers[r]);
    this.forgetCall(args.length);
    return outputs;
  }

  /** Lets go of the call's arguments and outputs, which belong to the caller. */
  private forgetCall(argCount: number): void {
    const registers = this.registers;
    registers.fill(vacant, 0, argCount);
    for (const step of this.steps) {
      step.operands.fill(vacant);
      if (!step.owned) registers[step.target] = vacant;
    }
  }
}
