"""The micrograd workload in pure Python: a scalar autograd engine written here after the algorithm of
Karpathy's micrograd (Value nodes with a backward closure, topological sort), a 2-16-16-1 MLP, max-margin loss
plus L2 1e-4, SGD with learning rate 1 - 0.9 k/100. Same data and initial weights as the JS engines.

Usage: python3 micrograd_bench.py <data dir> <config json>  ->  one JSON line on stdout.
"""
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from array import array


class Value:
    __slots__ = ("data", "grad", "_backward", "_prev")

    def __init__(self, data, children=()):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = children

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,))

        def backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = backward
        return out

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._prev:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def load(folder, name):
    data = array("f")
    data.frombytes((folder / f"{name}.bin").read_bytes())
    return list(data)


def run(folder, config):
    xs, ys, init = load(folder, "moons_x"), load(folder, "moons_y"), load(folder, "micrograd_init")
    sizes = [2, 16, 16, 1]
    params = [Value(v) for v in init]
    loss = acc = 0.0
    for k in range(config["micrograd"]["steps"]):
        at, net = 0, []
        for l in range(3):
            layer = []
            for _ in range(sizes[l + 1]):
                layer.append((params[at : at + sizes[l]], params[at + sizes[l]]))
                at += sizes[l] + 1
            net.append(layer)
        total, right = Value(0.0), 0
        for i in range(len(ys)):
            h = [Value(xs[2 * i]), Value(xs[2 * i + 1])]
            for l, layer in enumerate(net):
                outs = []
                for w, b in layer:
                    act = b
                    for wj, hj in zip(w, h):
                        act = act + wj * hj
                    outs.append(act.relu() if l + 1 < len(net) else act)
                h = outs
            score = h[0]
            right += (score.data > 0) == (ys[i] > 0)
            total = total + (1 - score * ys[i]).relu()
        reg = Value(0.0)
        for p in params:
            reg = reg + p * p
        loss_v = total * (1.0 / len(ys)) + reg * 1e-4
        for p in params:
            p.grad = 0.0
        loss_v.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        loss, acc = loss_v.data, right / len(ys)
    return loss, acc


def main():
    folder, config = Path(sys.argv[1]), json.loads(sys.argv[2])
    sys.setrecursionlimit(100000)
    times = []
    for _ in range(config["runs"]):
        t0 = time.perf_counter()
        loss, acc = run(folder, config)
        times.append(time.perf_counter() - t0)
    result = {"seconds": statistics.median(times), "finalLoss": loss, "accuracy": acc}
    print(json.dumps({"version": f"pure Python {platform.python_version()}", "results": {"micrograd": result}}))


if __name__ == "__main__":
    main()
