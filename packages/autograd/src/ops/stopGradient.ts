/**
 * stopGradient as a recorded op, used only while `jit` traces: there a constant copy of a traced value would be
 * frozen into the compiled function, so the copy is recorded and replayed instead. Outside traces,
 * `stopGradient` makes a constant and records nothing. Not in the op table: its zero derivative is a choice,
 * not the derivative of its values, and the table's property tests would rightly reject it.
 */
import type { OpDef } from './types.js';

export const stopGradientOp: OpDef<undefined> = {
  name: 'stopGradient',
  arity: 1,
  operands: ['data'],
  writesAll: true,
  returnsInput: true,
  shape: ([s]) => s,
  forward: ([x], _attrs, out) => {
    out.set(x.data);
    return out;
  },
  vjp: () => [null],
  jvp: () => null,
  formula: { kind: 'call', name: 'stopGradient' },
};
