#!/usr/bin/env python3
"""
PyTorch (CPU) side of bench/forward.ts: the same workloads as the preview's forward / forward+backward pass in
TensorFlow.js, and the machine's measured matrix-multiply peak. Installs nothing: without torch it says so.

  python3 bench/torch_forward.py            # stand-alone: every workload, warm-up then median, a table
  python3 bench/torch_forward.py --serve    # JSON lines on stdin/stdout, driven by bench/forward.ts

Workloads (JSON, as bench/forward.ts sends them):
  {"kind": "mlp", "depth": D, "width": W, "batch": B}     D x Linear(W, W) + ReLU, He-normal weights, zero bias
  {"kind": "resnet18", "size": S, "batch": B}              ResNet-18 (He et al. 2016) on S x S x 3, 1000 classes

"The same work" as src/rebuild/measure.ts: the forward pass in training mode (batch norm on batch statistics), and
for forward+backward the gradient of sum(y * g), g ~ N(0, 1), with respect to the input of every layer (not the
weights: parameters do not require grad), computed in one reverse pass.
"""
import json
import os
import re
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except Exception as e:  # noqa: BLE001 - any import failure means "absent"
    torch = nn = F = None
    IMPORT_ERROR = f"{type(e).__name__}: {e}"
else:
    IMPORT_ERROR = None

try:
    import numpy as np
except Exception:  # noqa: BLE001
    np = None


# ---------------------------------------------------------------------------------------------------------------
# Models

_Base = nn.Module if nn is not None else object


class MLP(_Base):
    def __init__(self, depth, width):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(width, width) for _ in range(depth))
        for l in self.layers:
            nn.init.kaiming_normal_(l.weight, nonlinearity="relu")
            nn.init.zeros_(l.bias)

    def forward(self, x, edges=None):
        for l in self.layers:
            if edges is not None:
                edges.append(x)
            x = F.relu(l(x))
        return x


class BasicBlock(_Base):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x, edges):
        # Every op's input is an edge, as every node of the rebuilt description gets a probe there.
        y = track(edges, self.conv1, x)
        y = track(edges, self.bn1, y)
        y = track(edges, F.relu, y)
        y = track(edges, self.conv2, y)
        y = track(edges, self.bn2, y)
        s = x
        if self.down is not None:
            s = track(edges, self.down[0], x)
            s = track(edges, self.down[1], s)
        if edges is not None:
            edges.extend([y, s])
        return track(edges, F.relu, y + s)


def track(edges, f, x):
    if edges is not None:
        edges.append(x)
    return f(x)


class ResNet18(_Base):
    def __init__(self, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        blocks = []
        cin = 64
        for stage, cout in enumerate([64, 128, 256, 512]):
            for b in range(2):
                blocks.append(BasicBlock(cin, cout, 2 if stage > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(512, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")

    def forward(self, x, edges=None):
        x = track(edges, self.conv1, x)
        x = track(edges, self.bn1, x)
        x = track(edges, F.relu, x)
        x = track(edges, lambda t: F.max_pool2d(t, 3, 2, 1), x)
        for b in self.blocks:
            x = b(x, edges)
        x = track(edges, lambda t: t.mean(dim=(2, 3)), x)
        x = track(edges, self.fc, x)
        return track(edges, lambda t: F.softmax(t, dim=1), x)


def analytic_flops(model, x):
    """2 x multiply-adds of every Linear and Conv2d for one forward pass, from the shapes seen by hooks."""
    total = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Linear):
            total[0] += 2 * out.numel() * m.in_features
        elif isinstance(m, nn.Conv2d):
            k = m.kernel_size[0] * m.kernel_size[1]
            total[0] += 2 * out.numel() * k * (m.in_channels // m.groups)

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    with torch.no_grad():
        model(x)
    for h in hs:
        h.remove()
    return total[0]


# ---------------------------------------------------------------------------------------------------------------
# Engine


class Engine:
    def __init__(self, threads=None):
        self.threads = threads or os.cpu_count() or 1
        torch.set_num_threads(self.threads)
        torch.manual_seed(0)
        self.model = None
        self.x = None
        self.g = None
        self.mkldnn_model = None

    def info(self):
        return {
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "numpy": np.__version__ if np is not None else None,
            "threads": torch.get_num_threads(),
            "cores": os.cpu_count(),
            "cpuCapability": cpu_capability(),
            "mkldnn": bool(torch.backends.mkldnn.is_available()),
            "blas": blas_libraries(),
        }

    def setup(self, w):
        torch.manual_seed(1)
        if w["kind"] == "mlp":
            self.model = MLP(w["depth"], w["width"])
            self.x = torch.randn(w["batch"], w["width"])
        elif w["kind"] == "resnet18":
            self.model = ResNet18(w.get("classes", 1000))
            self.x = torch.randn(w["batch"], 3, w["size"], w["size"])
        else:
            raise ValueError(f"unknown workload kind {w['kind']}")
        self.model.train()  # batch norm on batch statistics, as the preview
        self.model.requires_grad_(False)  # gradients w.r.t. layer inputs only
        flops = analytic_flops(self.model, self.x)
        with torch.no_grad():
            y = self.model(self.x)
        self.g = torch.randn(y.shape)
        self.mkldnn_model = None
        params = sum(p.numel() for p in self.model.parameters())
        return {"flops": {"forward": flops}, "params": params}

    def run(self, mode, variant="default"):
        if variant == "onednn":
            return self.run_onednn()
        t0 = time.perf_counter()
        if mode == "forward":
            with torch.no_grad():
                y = self.model(self.x)
            _ = float(y.reshape(-1)[0])
        else:
            x = self.x.detach().requires_grad_(True)
            edges = []
            y = self.model(x, edges)
            uniq = list({id(e): e for e in edges if e.requires_grad}.values())
            grads = torch.autograd.grad(y, uniq, grad_outputs=self.g)
            _ = float(grads[0].reshape(-1)[0])
        return {"ms": (time.perf_counter() - t0) * 1000}

    def run_onednn(self):
        """Forward only, nn.Linear through oneDNN (torch.utils.mkldnn): what an optimized BLAS would give."""
        if not isinstance(self.model, MLP):
            raise ValueError("the oneDNN variant is for the MLPs")
        if self.mkldnn_model is None:
            import copy

            from torch.utils import mkldnn as mk

            # to_mkldnn replaces the children of the module it is given: convert a copy.
            self.mkldnn_model = mk.to_mkldnn(copy.deepcopy(self.model))
        t0 = time.perf_counter()
        with torch.no_grad():
            h = self.x.to_mkldnn()
            for l in self.mkldnn_model.layers:
                h = torch.relu(l(h))
            y = h.to_dense()
        _ = float(y.reshape(-1)[0])
        return {"ms": (time.perf_counter() - t0) * 1000}

    def peak(self, n=2048, reps=5, blas_n=1024):
        """
        GFLOP/s of a float32 matmul: torch.matmul and numpy (through the BLAS; blas_n cubed, enough for a
        throughput figure and quick even with the reference BLAS) and a oneDNN linear layer (n cubed).
        """
        out = {"n": n, "blasN": blas_n}
        a = torch.randn(blas_n, blas_n)
        b = torch.randn(blas_n, blas_n)
        flop = 2.0 * blas_n**3
        out["torchMatmul"] = flop / median_time(lambda: torch.matmul(a, b), 3, 1) / 1e9
        if np is not None:
            an = a.numpy()
            bn = b.numpy()
            out["numpyMatmul"] = flop / median_time(lambda: an @ bn, 3, 1) / 1e9
        a = torch.randn(n, n)
        flop = 2.0 * n**3
        if torch.backends.mkldnn.is_available():
            try:
                from torch.utils import mkldnn as mk

                lin = nn.Linear(n, n, bias=False).eval()
                ml = mk.to_mkldnn(lin)
                am = a.to_mkldnn()
                with torch.no_grad():
                    out["onednnLinear"] = flop / median_time(lambda: ml(am), reps) / 1e9
            except Exception as e:  # noqa: BLE001
                out["onednnError"] = str(e)
        return out


def median_time(f, reps, warmup=2):
    for _ in range(warmup):
        f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def cpu_capability():
    try:
        return torch.backends.cpu.get_cpu_capability()
    except Exception:  # noqa: BLE001 - older torch
        m = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
        return m.group(1) if m else None


def blas_libraries():
    """The BLAS / LAPACK / oneDNN libraries loaded in this process, resolved (Debian's alternatives)."""
    try:
        maps = open("/proc/self/maps").read()
    except OSError:
        return []
    libs = sorted(set(re.findall(r"(/\S*(?:blas|lapack|dnnl|mkl)\S*\.so\S*)", maps)))
    return [os.path.realpath(l) for l in libs]


# ---------------------------------------------------------------------------------------------------------------


MARK = "@@initlens-bench "  # replies are prefixed: stray output of a library is never taken for one


def reply(obj):
    sys.stdout.write(MARK + json.dumps(obj) + "\n")
    sys.stdout.flush()


def serve():
    if torch is None:
        reply({"ready": False, "absent": True, "error": f"absent ({IMPORT_ERROR}): apt-get install python3-torch"})
        return
    eng = Engine()
    reply({"ready": True, "info": eng.info()})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        try:
            op = msg["op"]
            if op == "exit":
                break
            if op == "setup":
                res = eng.setup(msg["workload"])
            elif op == "run":
                res = eng.run(msg.get("mode", "forward"), msg.get("variant", "default"))
            elif op == "peak":
                res = eng.peak(msg.get("n", 2048), msg.get("reps", 5))
            else:
                raise ValueError(f"unknown op {op}")
            res["ok"] = True
        except Exception as e:  # noqa: BLE001 - reported to the driver
            res = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        reply(res)


def standalone():
    if torch is None:
        print(f"torch absent ({IMPORT_ERROR}): apt-get install python3-torch")
        return
    eng = Engine()
    print(json.dumps(eng.info()))
    print(json.dumps(eng.peak()))
    workloads = [
        ("mlp 10x512, batch 512", {"kind": "mlp", "depth": 10, "width": 512, "batch": 512}, 5),
        ("mlp 50x1024, batch 512", {"kind": "mlp", "depth": 50, "width": 1024, "batch": 512}, 3),
        ("resnet-18 56x56, batch 16", {"kind": "resnet18", "size": 56, "batch": 16}, 5),
    ]
    for name, w, reps in workloads:
        s = eng.setup(w)
        fl = s["flops"]["forward"]
        for mode in ("forward", "backward"):
            eng.run(mode)
            t = statistics.median(eng.run(mode)["ms"] for _ in range(reps))
            f = fl * (2 if mode == "backward" else 1)
            print(f"{name:28s} {mode:9s} {t:9.1f} ms  {f / t / 1e6:7.1f} GFLOP/s")


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve()
    else:
        standalone()
