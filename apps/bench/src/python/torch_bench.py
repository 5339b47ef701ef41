"""PyTorch (CPU) side of the chainrule benchmark: the same workloads on the same data folder.

Usage: python3 torch_bench.py <workload,...> <data dir> <config json>  ->  one JSON line on stdout.
The pure-Python micrograd workload lives in micrograd_bench.py and needs no torch.
"""
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import torch


def load(folder, name):
    manifest = json.loads((folder / "manifest.json").read_text())
    spec = manifest["arrays"][name]
    data = np.fromfile(folder / f"{name}.bin", dtype=np.float32 if spec["dtype"] == "float32" else np.int32)
    return data.reshape(spec["shape"])


def mlp(folder, prefix, count):
    layers = []
    for i in range(1, count + 1):
        w = torch.from_numpy(load(folder, f"{prefix}_w{i}").copy())
        b = torch.from_numpy(load(folder, f"{prefix}_b{i}").copy())
        lin = torch.nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            lin.weight.copy_(w.T)
            lin.bias.copy_(b)
        layers.append(lin)
        if i < count:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def train(model, x, target, order, rows, epochs, batch, loss_fn):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    x = torch.from_numpy(x)
    target = torch.from_numpy(target)
    order = torch.from_numpy(order.astype(np.int64))
    seconds = []
    for e in range(epochs):
        t0 = time.perf_counter()
        for s in range(0, rows, batch):
            idx = order[e * rows + s : e * rows + min(s + batch, rows)]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), target[idx])
            loss.backward()
            opt.step()
        seconds.append(time.perf_counter() - t0)
    return seconds


def mnist(folder, config):
    c = config["mnist"]
    model = mlp(folder, "mnist", 2)
    y = load(folder, "mnist_y_train").astype(np.int64)
    seconds = train(model, load(folder, "mnist_x_train"), y, load(folder, "mnist_order"), c["train"], c["epochs"],
                    c["batch"], torch.nn.functional.cross_entropy)
    with torch.no_grad():
        scores = model(torch.from_numpy(load(folder, "mnist_x_test"))).numpy()
    acc = float((scores.argmax(1) == load(folder, "mnist_y_test")).mean())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"epochSeconds": seconds, "testAccuracy": acc, "peakRssMiB": rss}


def time_per_call(fn, seconds):
    fn()
    calls = 0
    start = time.perf_counter()
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / calls


def matmul(_folder, config):
    out = []
    for s in config["matmul"]:
        a = torch.full((s["k"], s["m"]) if s["transA"] else (s["m"], s["k"]), 0.5)
        b = torch.full((s["n"], s["k"]) if s["transB"] else (s["k"], s["n"]), 0.25)
        op_a = a.T if s["transA"] else a
        op_b = b.T if s["transB"] else b
        runs = [time_per_call(lambda: torch.matmul(op_a, op_b), config["matmulSeconds"]) for _ in range(config["runs"])]
        out.append(2 * s["m"] * s["n"] * s["k"] / float(np.median(runs)) / 1e9)
    return {"gflops": out}


def california(folder, config):
    c = config["california"]
    model = mlp(folder, "cal", 3)
    y = load(folder, "cal_y_train")
    t0 = time.perf_counter()
    train(model, load(folder, "cal_x_train"), y, load(folder, "cal_order"), y.shape[0], c["epochs"], c["batch"],
          torch.nn.functional.mse_loss)
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        pred = model(torch.from_numpy(load(folder, "cal_x_test"))).numpy().ravel()
    target = load(folder, "cal_y_test").ravel()
    r2 = 1 - float(((target - pred) ** 2).sum() / ((target - target.mean()) ** 2).sum())
    return {"seconds": seconds, "testR2": r2}


def main():
    workloads, folder, config = sys.argv[1].split(","), Path(sys.argv[2]), json.loads(sys.argv[3])
    torch.set_num_threads(1)
    runners = {"mnist": mnist, "matmul": matmul, "california": california}
    results = {w: runners[w](folder, config) if w in runners else None for w in workloads}
    print(json.dumps({"version": f"PyTorch {torch.__version__}, 1 thread", "results": results}))


if __name__ == "__main__":
    main()
