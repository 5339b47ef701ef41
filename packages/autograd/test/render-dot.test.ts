import { describe, expect, it } from 'vitest';
import {
  GraphError,
  gradients,
  logSoftmax,
  matmul,
  nameScope,
  randn,
  relu,
  sum,
  tensor,
  toDot,
  variable,
  where,
} from '@chainrule/autograd';
import type { Tensor } from '@chainrule/autograd';

const HEADER = [
  'digraph chainrule {',
  '  graph [rankdir=LR, fontname="Helvetica"];',
  '  node [fontname="Helvetica", fontsize=10];',
  '  edge [fontname="Helvetica", fontsize=9];',
];
const VARIABLE = 'shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#1d4ed8"';
const CONSTANT = 'shape=box, style=dashed, color="#9ca3af", fontcolor="#4b5563"';
const INPUT = 'shape=box, style=filled, fillcolor="#fef9c3", color="#a16207"';
const OP = 'shape=ellipse, style=filled, fillcolor="#ffffff", color="#374151"';
const OUTPUT = 'shape=ellipse, style=filled, fillcolor="#dcfce7", color="#374151", peripheries=2';
const GRAD_OP = 'shape=ellipse, style=filled, fillcolor="#fee2e2", color="#b91c1c"';

const lines = (...ls: string[]) => `${[...HEADER, ...ls, '}'].join('\n')}\n`;
const nodeStatements = (dot: string) => dot.split('\n').filter((l) => /^\s+[ng]\d+ \[label=/.test(l));

describe('toDot: small graphs, written out by hand', () => {
  it('shows op, shape, dtype, values and gradients; names the operands of sub and mul', () => {
    // y = (a − b)·2 at a = 2, b = 3: value −2; ∂y/∂a = 2, ∂y/∂b = −2. Walk order: a, b, sub, 2, mul.
    const a = variable(2, { name: 'a' });
    const b = variable(3, { name: 'b' });
    const y = a.sub(b).mul(2);
    const [ga, gb] = gradients(y, [a, b]);
    const dot = toDot(y, {
      values: true,
      grads: new Map([
        [a, ga],
        [b, gb],
      ]),
    });
    expect(dot).toBe(
      lines(
        `  n0 [label="a\\nvariable\\n[] float64\\nvalue 2\\ngrad 2", ${VARIABLE}];`,
        `  n1 [label="b\\nvariable\\n[] float64\\nvalue 3\\ngrad -2", ${VARIABLE}];`,
        `  n2 [label="sub\\n[] float64\\nvalue -1", ${OP}];`,
        `  n3 [label="2\\n[] float64", ${CONSTANT}];`,
        `  n4 [label="mul\\n[] float64\\nvalue -2", ${OUTPUT}];`,
        '  n0 -> n2 [label="lhs"];',
        '  n1 -> n2 [label="rhs"];',
        '  n2 -> n4 [label="lhs"];',
        '  n3 -> n4 [label="rhs"];',
      ),
    );
  });

  it('summarises tensors: first entries and min/mean/max; marks named constants as inputs', () => {
    // data = [1..5], w = [[0.5]] broadcast: y = sum(data·w) = 7.5 with keepDims off.
    const data = tensor([1, 2, 3, 4, 5], { name: 'data' });
    const w = variable([0.5, 0.25], { name: 'w' });
    const y = sum(w, 0).mul(data).sum();
    expect(toDot(y, { values: true })).toBe(
      lines(
        `  n0 [label="w\\nvariable\\n[2] float64\\nvalue [0.5, 0.25]", ${VARIABLE}];`,
        `  n1 [label="sum axes=[0]\\n[] float64\\nvalue 0.75", ${OP}];`,
        `  n2 [label="data\\ninput\\n[5] float64\\nvalue [1, 2, 3, 4, ...]\\nmin 1, mean 3, max 5", ${INPUT}];`,
        `  n3 [label="mul\\n[5] float64\\nvalue [0.75, 1.5, 2.25, 3, ...]\\nmin 0.75, mean 2.25, max 3.75", ${OP}];`,
        `  n4 [label="sum axes=[0]\\n[] float64\\nvalue 11.25", ${OUTPUT}];`,
        '  n0 -> n1;',
        '  n1 -> n3 [label="lhs"];',
        '  n2 -> n3 [label="rhs"];',
        '  n3 -> n4;',
      ),
    );
  });

  it('draws the gradient graph in red in its own cluster, linked to the variable', () => {
    // y = x·x at x = 3. Its vjp multiplies the seed 1 by the other operand twice and adds: 1·x + 1·x = 6.
    const x = variable(3, { name: 'x' });
    const y = x.mul(x);
    const [g] = gradients(y, [x], { createGraph: true });
    const dot = toDot(y, { grads: new Map([[x, g]]), gradientGraph: true });
    expect(dot).toBe(
      lines(
        `  n0 [label="x\\nvariable\\n[] float64\\ngrad 6", ${VARIABLE}];`,
        `  n1 [label="mul\\n[] float64", ${OUTPUT}];`,
        '  subgraph cluster_g0 {',
        '    label="gradient graph"; style=dashed; color="#b91c1c";',
        `    n2 [label="1\\n[] float64", ${CONSTANT}];`,
        `    n3 [label="mul\\n[] float64", ${GRAD_OP}];`,
        `    n4 [label="mul\\n[] float64", ${GRAD_OP}];`,
        `    n5 [label="add\\n[] float64", ${GRAD_OP}, peripheries=2];`,
        '  }',
        '  n0 -> n1 [label="lhs"];',
        '  n0 -> n1 [label="rhs"];',
        '  n2 -> n3 [label="lhs"];',
        '  n0 -> n3 [label="rhs"];',
        '  n2 -> n4 [label="lhs"];',
        '  n0 -> n4 [label="rhs"];',
        '  n3 -> n5 [label="lhs"];',
        '  n4 -> n5 [label="rhs"];',
        '  n5 -> n0 [label="gradient of x", style=dashed, color="#b91c1c", fontcolor="#b91c1c", constraint=false];',
      ),
    );
  });

  it('draws a gradient of a variable outside the graph without a dangling link', () => {
    const x = variable(1, { name: 'x' });
    const unrelated = variable(2, { name: 'u' });
    const [g] = gradients(unrelated.mul(3), [unrelated], { createGraph: true });
    const dot = toDot(x.sin(), { grads: new Map([[unrelated, g]]), gradientGraph: true });
    expect(dot).not.toContain('undefined');
    expect(dot).not.toContain('gradient of');
    expect(nodeStatements(dot)).toHaveLength(3); // x, sin, and the constant gradient 3
  });

  it('names the three operands of where and draws a title', () => {
    const x = variable([1, -1], { name: 'x' });
    const dot = toDot(where(x.greater(0), x, x.mul(0.1)), { title: 'leaky', rankdir: 'TB' });
    expect(dot.split('\n')[1]).toBe('  graph [rankdir=TB, fontname="Helvetica", label="leaky", labelloc=t];');
    expect(dot).toMatch(/-> n\d+ \[label="cond"\];/);
    expect(dot).toMatch(/-> n\d+ \[label="then"\];/);
    expect(dot).toMatch(/-> n\d+ \[label="else"\];/);
  });
});

describe('toDot: determinism and escaping', () => {
  it('gives the same text for the same graph built twice (ids come from a counter, not identity)', () => {
    const build = () => {
      const x = variable([1, 2], { name: 'x' });
      return x.tanh().mul(x).sum();
    };
    expect(toDot(build(), { values: true })).toBe(toDot(build(), { values: true }));
  });

  it('escapes quotes, backslashes, entities and line breaks so a name cannot break the file', () => {
    const evil = variable(1, { name: '"]; evil [label="x' });
    const tricky = variable(2, { name: 'a{b|c}<i>&alpha; \\N\nline 2' });
    const dot = toDot(evil.mul(tricky));
    expect(dot).toContain('n0 [label="\\"]; evil [label=\\"x\\nvariable\\n[] float64", ');
    expect(dot).toContain('n1 [label="a{b|c}<i>&amp;alpha; \\\\N\\nline 2\\nvariable\\n[] float64", ');
    expect(nodeStatements(dot)).toHaveLength(3);
    expect(dot.split('\n').some((l) => l.trimStart().startsWith('evil'))).toBe(false);
  });

  it('draws a chain of 20,000 ops (the walk is iterative)', () => {
    let y = variable(0.5, { name: 'x' });
    for (let k = 0; k < 20_000; k++) y = y.tanh();
    expect(nodeStatements(toDot(y))).toHaveLength(20_001);
  });

  it('rejects bad options with GraphErrors that name toDot', () => {
    const x = variable(1);
    expect(() => toDot([])).toThrow(GraphError);
    expect(() => toDot(x, { collapseDepth: 0, collapse: 'box' })).toThrow(/collapseDepth/);
    expect(() => toDot(x, { collapse: 'boxes' as 'box' })).toThrow(/unknown collapse mode/);
  });
});

/** An MLP 784-128-10 on a batch of 8, each layer in its name scope, with a cross-entropy loss. */
function mlp() {
  const w0 = variable(randn([784, 128], { seed: 1 }).mul(0.05), { name: 'dense0.weight' });
  const b0 = variable(randn([128], { seed: 2 }), { name: 'dense0.bias' });
  const w1 = variable(randn([128, 10], { seed: 3 }).mul(0.1), { name: 'dense1.weight' });
  const b1 = variable(randn([10], { seed: 4 }), { name: 'dense1.bias' });
  const x = randn([8, 784], { seed: 5 });
  const labels = tensor(
    Array.from({ length: 8 }, (_, i) => Array.from({ length: 10 }, (_, k) => (k === i ? 1 : 0))),
  );
  const h = nameScope('dense0', () => relu(matmul(x, w0).add(b0)));
  const logits = nameScope('dense1', () => matmul(h, w1).add(b1));
  const loss = nameScope('loss', () => logSoftmax(logits).mul(labels).sum().neg().div(8));
  return { loss, params: [w0, b0, w1, b1] as Tensor[] };
}

describe('toDot: collapsing name scopes', () => {
  it("draws an MLP 784-128-10 as a handful of boxes, one per layer, holding the layer's weights", () => {
    const { loss } = mlp();
    const dot = toDot(loss, { collapse: 'box' });
    const statements = nodeStatements(dot);
    // x, the labels, and three boxes: dense0, dense1, loss.
    expect(statements).toHaveLength(5);
    expect(dot).toContain(
      'g0 [label="dense0\\n3 ops: matmul, add, relu\\n2 variables, 100480 parameters", shape=box3d',
    );
    expect(dot).toContain(
      'g1 [label="dense1\\n2 ops: matmul, add\\n2 variables, 1290 parameters", shape=box3d',
    );
    expect(dot).toMatch(/g2 \[label="loss\\n5 ops: logSoftmax, mul, sum, neg, \.\.\."/);
    expect(dot).toContain('g0 -> g1 [label="[8,128]"];');
    expect(dot).toContain('g1 -> g2 [label="[8,10]"];');
  });

  it('puts the gradient graph of the MLP into one more box, linked to the layers it differentiates', () => {
    const { loss, params } = mlp();
    const gs = gradients(loss, params, { createGraph: true });
    const dot = toDot(loss, {
      collapse: 'box',
      grads: params.map((p, i) => [p, gs[i]] as const),
      gradientGraph: true,
    });
    expect(nodeStatements(dot)).toHaveLength(6);
    expect(dot).toMatch(/g3 \[label="gradient graph\\n\d+ ops: /);
    // One link per pair of boxes (weight and bias share it), so it names no single variable.
    expect(dot).toContain('g3 -> g0 [label="gradient", style=dashed');
    expect(dot).toContain('g3 -> g1 [label="gradient", style=dashed');
    expect(dot.match(/ -> g\d \[label="gradient"/g)).toHaveLength(2);
  });

  it('in cluster mode keeps every node but frames each layer, weights inside', () => {
    const { loss } = mlp();
    const dot = toDot(loss, { collapse: 'cluster' });
    const cluster = dot.slice(dot.indexOf('subgraph cluster_g0 {'), dot.indexOf('subgraph cluster_g1 {'));
    expect(cluster).toContain('label="dense0"; style=rounded; color="#6d28d9";');
    expect(cluster).toContain('label="dense0.weight\\nvariable\\n[784,128] float64"');
    expect(cluster).toContain('label="relu\\n[8,128] float64"');
    // dense0: w0, matmul, b0, add, relu; dense1: w1, matmul, b1, add; loss: logSoftmax, mul, sum, neg, 8, div;
    // outside: x and the labels.
    expect(nodeStatements(dot)).toHaveLength(17);
  });

  it('groups nested scopes by their first levels with collapseDepth', () => {
    const x = variable(1, { name: 'x' });
    const y = nameScope('model', () => nameScope('a', () => x.mul(2)).add(nameScope('b', () => x.sin())));
    const deep = toDot(y, { collapse: 'box' });
    // x is used by two different groups, so it stays outside; the constant 2 joins model/a.
    expect(deep).toContain('label="model/a\\n1 op: mul"');
    expect(deep).toContain('label="model/b\\n1 op: sin"');
    expect(nodeStatements(deep)).toHaveLength(4);
    // With one level everything is in "model", x included.
    const shallow = toDot(y, { collapse: 'box', collapseDepth: 1 });
    expect(shallow).toContain('label="model\\n3 ops: mul, sin, add\\n1 variable, 1 parameter"');
    expect(nodeStatements(shallow)).toHaveLength(1);
  });
});
