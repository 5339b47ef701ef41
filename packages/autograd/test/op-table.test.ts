import { describe, expect, it } from 'vitest';
import { allOps, opTable } from '@chainrule/autograd';
import type { OpDef } from '@chainrule/autograd';

describe('the op table', () => {
  it('holds every op the API promises, each with vjp, jvp, shape rule, forward and formula', () => {
    const promised = [
      'add',
      'sub',
      'mul',
      'div',
      'neg',
      'pow',
      'square',
      'sqrt',
      'exp',
      'log',
      'abs',
      'sin',
      'cos',
      'tanh',
      'sigmoid',
      'relu',
      'leakyRelu',
      'elu',
      'step',
      'maximum',
      'minimum',
      'where',
      'matmul',
      'permute',
      'reshape',
      'broadcastTo',
      'sum',
      'max',
      'min',
      'logSumExp',
      'softmax',
      'logSoftmax',
      'softmaxCrossEntropy',
      'concat',
      'slice',
      'gather',
      'clip',
      'cast',
    ];
    for (const name of promised) expect(Object.keys(opTable)).toContain(name);
    for (const op of allOps()) {
      expect(typeof op.vjp).toBe('function');
      expect(typeof op.jvp).toBe('function');
      expect(typeof op.shape).toBe('function');
      expect(typeof op.forward).toBe('function');
      expect(op.formula).toBeDefined();
    }
  });

  it('makes an op without a vjp a compile error (checked by the typecheck in CI)', () => {
    // @ts-expect-error — `vjp` is required: an op cannot be defined without its derivative rule.
    const incomplete: OpDef = {
      name: 'noVjp',
      arity: 1,
      formula: { kind: 'call', name: 'noVjp' },
      shape: (shapes) => shapes[0],
      forward: (_inputs, _attrs, out) => out,
      jvp: () => null,
    };
    expect(incomplete.name).toBe('noVjp');
  });
});
