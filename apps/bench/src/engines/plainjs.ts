/**
 * The micrograd workload in plain JavaScript, no library: one small object per scalar op (value, gradient,
 * op code, two inputs, a visit mark), a topological order by an iterative depth-first search, gradients
 * accumulated on the nodes. It is the floor of any engine that keeps one object per node — what V8's
 * allocation and garbage collection of the graph cost on this machine — and shows how much of chainrule's
 * time is its own.
 */
import type { DataArrays } from '../arrays.js';
import { f32 } from '../arrays.js';
import type { BenchConfig } from '../config.js';
import type { JsEngine, MicrogradResult } from '../results.js';
import { medianRun } from '../results.js';
import { microgradLayers, microgradScore } from '../micrograd.js';
import type { ScalarOps } from '../micrograd.js';

const LEAF = 0;
const ADD = 1;
const MUL = 2;
const RELU = 3;

class Node {
  grad = 0;
  mark = 0;
  constructor(
    readonly data: number,
    readonly op: number,
    readonly a: Node | null,
    readonly b: Node | null,
  ) {}
}

const leaf = (v: number) => new Node(v, LEAF, null, null);
const add = (a: Node, b: Node) => new Node(a.data + b.data, ADD, a, b);
const mul = (a: Node, b: Node) => new Node(a.data * b.data, MUL, a, b);
const relu = (a: Node) => new Node(a.data > 0 ? a.data : 0, RELU, a, null);
const scalarOps: ScalarOps<Node> = { add, mul, relu };

let marks = 0;

/** Inputs before the nodes that use them, by an iterative post-order search from `root`. */
function topologicalOrder(root: Node): Node[] {
  const mark = ++marks;
  const order: Node[] = [];
  const stack: Node[] = [root];
  const next: number[] = [0];
  root.mark = mark;
  while (stack.length) {
    const top = stack.length - 1;
    const node = stack[top];
    const i = next[top]++;
    const child = i === 0 ? node.a : i === 1 ? node.b : null;
    if (i < 2) {
      if (child && child.mark !== mark) {
        child.mark = mark;
        stack.push(child);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(node);
    }
  }
  return order;
}

/** Sets `grad` of every node that `root` depends on to d root / d node. */
function backward(root: Node): void {
  const order = topologicalOrder(root);
  for (const node of order) node.grad = 0;
  root.grad = 1;
  for (let k = order.length - 1; k >= 0; k--) {
    const { op, a, b, grad } = order[k];
    if (op === ADD) {
      a!.grad += grad;
      b!.grad += grad;
    } else if (op === MUL) {
      a!.grad += grad * b!.data;
      b!.grad += grad * a!.data;
    } else if (op === RELU && order[k].data > 0) a!.grad += grad;
  }
}

function micrograd(arrays: DataArrays, config: BenchConfig): Omit<MicrogradResult, 'seconds'> {
  const xs = f32(arrays, 'moons_x');
  const ys = f32(arrays, 'moons_y');
  let values = Array.from(f32(arrays, 'micrograd_init'));
  let loss = 0;
  let right = 0;
  for (let k = 0; k < config.micrograd.steps; k++) {
    const params = values.map(leaf);
    const layers = microgradLayers(params);
    let total = leaf(0);
    right = 0;
    for (let i = 0; i < ys.length; i++) {
      const score = microgradScore(layers, [leaf(xs[2 * i]), leaf(xs[2 * i + 1])], scalarOps);
      if (score.data > 0 === ys[i] > 0) right++;
      total = add(total, relu(add(leaf(1), mul(mul(score, leaf(ys[i])), leaf(-1)))));
    }
    let reg = leaf(0);
    for (const p of params) reg = add(reg, mul(p, p));
    const lossNode = add(mul(total, leaf(1 / ys.length)), mul(reg, leaf(1e-4)));
    loss = lossNode.data;
    backward(lossNode);
    const lr = 1 - (0.9 * k) / 100;
    values = params.map((p) => p.data - lr * p.grad);
  }
  return { finalLoss: loss, accuracy: right / ys.length };
}

/** Plain JS, one object per scalar op: the micrograd workload only. */
export const plainJs: JsEngine = {
  name: 'plain-js',
  version: () => `plain JavaScript, one object per scalar op (Node ${process.versions.node})`,
  async micrograd(arrays, config) {
    return medianRun(config.runs, () => micrograd(arrays, config));
  },
};
