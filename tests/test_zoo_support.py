"""Builders shared by the model-zoo tests: tiny networks of the zoo's architectures with fixed
random weights, written in the real file formats, and a local HTTP server for downloads.

The reference networks here are written independently of ``plq_desktop``
(after the public code's structure), so that loading their files through
the real loaders checks the mapping rather than repeating it.
"""

from __future__ import annotations

import json
import struct
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

TINY_LAYERS = (1, 2, 1, 1)
TINY_WIDTHS = (8, 16, 16, 32)
TINY_EMBEDDING = 32


# -- arcface_torch's IResNet, as its iresnet.py writes it ----------------------------

class RefBlock(nn.Module):
    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes, eps=1e-5)
        self.conv1 = nn.Conv2d(inplanes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes, eps=1e-5)
        self.prelu = nn.PReLU(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes, eps=1e-5)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        if self.downsample is not None:
            identity = self.downsample(x)
        return out + identity


class RefIResNet(nn.Module):
    """arcface_torch's IResNet (key names included); input already normalised."""

    def __init__(self, layers=TINY_LAYERS, widths=TINY_WIDTHS, num_features=TINY_EMBEDDING):
        super().__init__()
        self.inplanes = widths[0]
        self.conv1 = nn.Conv2d(3, self.inplanes, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes, eps=1e-5)
        self.prelu = nn.PReLU(self.inplanes)
        for i, (n, planes) in enumerate(zip(layers, widths), start=1):
            setattr(self, f"layer{i}", self._make_layer(planes, n))
        self.bn2 = nn.BatchNorm2d(widths[-1], eps=1e-5)
        self.dropout = nn.Dropout(p=0.0)
        self.fc = nn.Linear(widths[-1] * 7 * 7, num_features)
        self.features = nn.BatchNorm1d(num_features, eps=1e-5)

    def _make_layer(self, planes, blocks):
        downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes, 1, 2, bias=False),
                                   nn.BatchNorm2d(planes, eps=1e-5))
        layers = [RefBlock(self.inplanes, planes, 2, downsample)]
        self.inplanes = planes
        layers += [RefBlock(planes, planes, 1, None) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.dropout(torch.flatten(self.bn2(x), 1))
        return self.features(self.fc(x))


def randomise(module: nn.Module, seed: int) -> nn.Module:
    """Fixed random weights with varied BN statistics and PReLU slopes, scaled to keep activations O(1)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=g) / fan_in ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
            elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=g))
                m.bias.copy_(0.1 * torch.randn(c, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=g))
                m.running_var.copy_(0.5 + torch.rand(c, generator=g))
            elif isinstance(m, nn.PReLU):
                m.weight.copy_(0.1 + 0.3 * torch.rand(m.weight.shape, generator=g))
    return module.eval()


def tiny_arcface_torch(seed: int = 0) -> RefIResNet:
    return randomise(RefIResNet(), seed)


class Normalised(nn.Module):
    """Puts insightface's MXNet-style normalisation (Sub, Mul) into the exported graph."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net((x - 127.5) * 0.0078125)


def export_onnx(module: nn.Module, path, chip: int = 112) -> None:
    """As insightface exported its packs: TorchScript exporter, eval mode, constant folding (BN folded into Conv)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # that exporter is the point here
        _export(module, path, chip)


def _export(module: nn.Module, path, chip: int) -> None:
    torch.onnx.export(module.eval(), (torch.zeros(1, 3, chip, chip),), str(path), dynamo=False,
                      opset_version=11, input_names=["input.1"], output_names=["embedding"],
                      dynamic_axes={"input.1": {0: "None"}, "embedding": {0: "None"}}, do_constant_folding=True)


def random_chips(n: int, size: int, seed: int = 0) -> torch.Tensor:
    rng = np.random.default_rng(seed)
    return torch.from_numpy(rng.uniform(0, 255, (n, 3, size, size)).astype(np.float32))


# -- MXNet: an LResNet-E-IR in insightface's fresnet.py naming, and the NDArray format ------

def lresnet_params_and_symbol(units=TINY_LAYERS, widths=TINY_WIDTHS, emb=TINY_EMBEDDING, dropout=0.4, seed=0):
    """(params {"arg:..."/"aux:...": array}, symbol dict) of fresnet.py's get_symbol(version_output='E')."""
    rng = np.random.default_rng(seed)
    params: dict[str, np.ndarray] = {}
    nodes: list[dict] = []

    def node(op, name, inputs=(), attrs=None):
        entry = {"op": op, "name": name, "inputs": [[i, 0, 0] for i in inputs]}
        if attrs:
            entry["attrs"] = {k: str(v) for k, v in attrs.items()}
        nodes.append(entry)
        return len(nodes) - 1

    def var(name, value, aux=False):
        params[("aux:" if aux else "arg:") + name] = value.astype(np.float32)
        return node("null", name)

    def conv(x, name, cin, cout, k, stride):
        w = var(f"{name}_weight", rng.normal(size=(cout, cin, k, k)) / np.sqrt(cin * k * k))
        return node("Convolution", name, [x, w], {"kernel": f"({k}, {k})", "stride": f"({stride}, {stride})",
                                                  "pad": f"({k // 2}, {k // 2})", "num_filter": cout,
                                                  "no_bias": "True", "workspace": 256})

    def bn(x, name, c, fix_gamma=False):
        ins = [x, var(f"{name}_gamma", 0.5 + rng.random(c)), var(f"{name}_beta", 0.1 * rng.normal(size=c)),
               var(f"{name}_moving_mean", 0.1 * rng.normal(size=c), aux=True),
               var(f"{name}_moving_var", 0.5 + rng.random(c), aux=True)]
        return node("BatchNorm", name, ins, {"eps": "2e-05", "fix_gamma": fix_gamma, "momentum": 0.9})

    def prelu(x, name, c):
        return node("LeakyReLU", name, [x, var(f"{name}_gamma", 0.1 + 0.3 * rng.random(c))], {"act_type": "prelu"})

    data = node("null", "data")
    x = node("_minus_scalar", "_minusscalar0", [data], {"scalar": 127.5})
    x = node("_mul_scalar", "_mulscalar0", [x], {"scalar": 0.0078125})
    x = prelu(bn(conv(x, "conv0", 3, widths[0], 3, 1), "bn0", widths[0]), "relu0", widths[0])
    cin = widths[0]
    for s, (n, c) in enumerate(zip(units, widths), start=1):
        for u in range(1, n + 1):
            p = f"stage{s}_unit{u}"
            stride = 2 if u == 1 else 1
            body = bn(x, f"{p}_bn1", cin)
            body = prelu(bn(conv(body, f"{p}_conv1", cin, c, 3, 1), f"{p}_bn2", c), f"{p}_relu1", c)
            body = bn(conv(body, f"{p}_conv2", c, c, 3, stride), f"{p}_bn3", c)
            short = bn(conv(x, f"{p}_conv1sc", cin, c, 1, stride), f"{p}_sc", c) if u == 1 else x
            x = node("elemwise_add", f"_plus{len(nodes)}", [body, short])
            cin = c
    x = bn(x, "bn1", cin)
    x = node("Dropout", "dropout0", [x], {"p": dropout})
    fc_in = cin * 7 * 7
    w = var("pre_fc1_weight", rng.normal(size=(emb, fc_in)) / np.sqrt(fc_in))
    b = var("pre_fc1_bias", 0.1 * rng.normal(size=emb))
    x = node("FullyConnected", "pre_fc1", [x, w, b], {"num_hidden": emb})
    out = bn(x, "fc1", emb, fix_gamma=True)
    symbol = {"nodes": nodes, "arg_nodes": [i for i, n in enumerate(nodes) if n["op"] == "null"],
              "heads": [[out, 0, 0]], "attrs": {"mxnet_version": ["int", 10300]}}
    return params, symbol


def mxnet_reference_forward(params: dict, symbol: dict, x: torch.Tensor) -> torch.Tensor:
    """Evaluate the symbol graph directly with MXNet's operator semantics (float64)."""
    values = {}
    nodes = symbol["nodes"]

    def p(name):
        key = f"arg:{name}" if f"arg:{name}" in params else f"aux:{name}"
        return torch.from_numpy(params[key]).double()

    for i, n in enumerate(nodes):
        a, ins = n.get("attrs", {}), [j for j, *_ in n["inputs"]]
        name = n["name"]
        if n["op"] == "null":
            values[i] = x.double() if name == "data" else p(name)
        elif n["op"] == "_minus_scalar":
            values[i] = values[ins[0]] - float(a["scalar"])
        elif n["op"] == "_mul_scalar":
            values[i] = values[ins[0]] * float(a["scalar"])
        elif n["op"] == "Convolution":
            stride = int(a["stride"].strip("()").split(",")[0])
            pad = int(a["pad"].strip("()").split(",")[0])
            values[i] = F.conv2d(values[ins[0]], values[ins[1]], stride=stride, padding=pad)
        elif n["op"] == "BatchNorm":
            gamma = torch.ones_like(values[ins[2]]) if a["fix_gamma"] == "True" else values[ins[1]]
            shape = (1, -1) + (1,) * (values[ins[0]].dim() - 2)
            values[i] = ((values[ins[0]] - values[ins[3]].view(shape)) / torch.sqrt(values[ins[4]].view(shape)
                         + float(a["eps"])) * gamma.view(shape) + values[ins[2]].view(shape))
        elif n["op"] == "LeakyReLU":
            v, slope = values[ins[0]], values[ins[1]].view(1, -1, 1, 1)
            values[i] = torch.where(v > 0, v, v * slope)
        elif n["op"] == "elemwise_add":
            values[i] = values[ins[0]] + values[ins[1]]
        elif n["op"] == "Dropout":
            values[i] = values[ins[0]]
        elif n["op"] == "FullyConnected":
            values[i] = values[ins[0]].flatten(1) @ values[ins[1]].T + values[ins[2]]
        else:
            raise AssertionError(n["op"])
    return values[symbol["heads"][0][0]].float()


DTYPE_FLAGS = {np.dtype(np.float32): 0, np.dtype(np.float64): 1, np.dtype(np.float16): 2}


def write_ndarray_list(path, arrays: dict[str, np.ndarray], version: str = "v2") -> None:
    """MXNet's mx.nd.save format. version: "v2" (MXNet 1.x), "v3" (NumPy-shape mode) or "legacy"."""
    out = [struct.pack("<QQQ", 0x112, 0, len(arrays))]
    for a in arrays.values():
        a = np.ascontiguousarray(a)
        if version == "legacy":
            out.append(struct.pack("<I", a.ndim) + struct.pack(f"<{a.ndim}I", *a.shape))
        else:
            magic = 0xF993FAC9 if version == "v2" else 0xF993FACA
            out.append(struct.pack("<Iii", magic, 0, a.ndim) + struct.pack(f"<{a.ndim}q", *a.shape))
        out.append(struct.pack("<iii", 1, 0, DTYPE_FLAGS[a.dtype]) + a.astype(a.dtype.newbyteorder("<")).tobytes())
    out.append(struct.pack("<Q", len(arrays)))
    for name in arrays:
        raw = name.encode()
        out.append(struct.pack("<Q", len(raw)) + raw)
    with open(path, "wb") as fh:
        fh.write(b"".join(out))


def write_tiny_mxnet(folder, seed: int = 0, prefix: str = "model"):
    """Tiny LResNet-E-IR checkpoint files; returns (params path, symbol path, params, symbol)."""
    params, symbol = lresnet_params_and_symbol(seed=seed)
    params_path, symbol_path = folder / f"{prefix}-0000.params", folder / f"{prefix}-symbol.json"
    write_ndarray_list(params_path, params)
    symbol_path.write_text(json.dumps(symbol))
    return params_path, symbol_path, params, symbol


# -- facenet-pytorch state dicts ----------------------------------------------------

# facenet-pytorch's InceptionResnetV1, written out here from its published layout (not from
# plq_desktop.core.nets.facenet): the basic convolutions (conv without bias, BN eps 0.001, ReLU) as
# (name, in, out, kernel, stride, padding), and the blocks' own 1x1 convolutions with a bias.
def _facenet_layout():
    basic, plain = [], []

    def b(name, cin, cout, k, s=1, p=0):
        basic.append((name, cin, cout, k if isinstance(k, tuple) else (k, k), s, p if isinstance(p, tuple) else (p, p)))

    b("conv2d_1a", 3, 32, 3, 2)
    b("conv2d_2a", 32, 32, 3)
    b("conv2d_2b", 32, 64, 3, 1, 1)
    b("conv2d_3b", 64, 80, 1)
    b("conv2d_4a", 80, 192, 3)
    b("conv2d_4b", 192, 256, 3, 2)
    for i in range(5):
        r = f"repeat_1.{i}"
        b(f"{r}.branch0", 256, 32, 1)
        b(f"{r}.branch1.0", 256, 32, 1)
        b(f"{r}.branch1.1", 32, 32, 3, 1, 1)
        b(f"{r}.branch2.0", 256, 32, 1)
        b(f"{r}.branch2.1", 32, 32, 3, 1, 1)
        b(f"{r}.branch2.2", 32, 32, 3, 1, 1)
        plain.append((f"{r}.conv2d", 96, 256))
    b("mixed_6a.branch0", 256, 384, 3, 2)
    b("mixed_6a.branch1.0", 256, 192, 1)
    b("mixed_6a.branch1.1", 192, 192, 3, 1, 1)
    b("mixed_6a.branch1.2", 192, 256, 3, 2)
    for i in range(10):
        r = f"repeat_2.{i}"
        b(f"{r}.branch0", 896, 128, 1)
        b(f"{r}.branch1.0", 896, 128, 1)
        b(f"{r}.branch1.1", 128, 128, (1, 7), 1, (0, 3))
        b(f"{r}.branch1.2", 128, 128, (7, 1), 1, (3, 0))
        plain.append((f"{r}.conv2d", 256, 896))
    b("mixed_7a.branch0.0", 896, 256, 1)
    b("mixed_7a.branch0.1", 256, 384, 3, 2)
    b("mixed_7a.branch1.0", 896, 256, 1)
    b("mixed_7a.branch1.1", 256, 256, 3, 2)
    b("mixed_7a.branch2.0", 896, 256, 1)
    b("mixed_7a.branch2.1", 256, 256, 3, 1, 1)
    b("mixed_7a.branch2.2", 256, 256, 3, 2)
    for r in [f"repeat_3.{i}" for i in range(5)] + ["block8"]:
        b(f"{r}.branch0", 1792, 192, 1)
        b(f"{r}.branch1.0", 1792, 192, 1)
        b(f"{r}.branch1.1", 192, 192, (1, 3), 1, (0, 1))
        b(f"{r}.branch1.2", 192, 192, (3, 1), 1, (1, 0))
        plain.append((f"{r}.conv2d", 384, 1792))
    return {name: rest for name, *rest in basic}, {name: rest for name, *rest in plain}


FACENET_BASIC, FACENET_PLAIN = _facenet_layout()


def facenet_state_dict(seed: int = 0, classes: int = 8631) -> dict:
    """A state dict as facenet-pytorch saves it (random weights, varied BN statistics), built from the
    layout above: the network's keys plus the training classifier ``logits.*``."""
    g = torch.Generator().manual_seed(seed)

    def bn(prefix, c):
        return {f"{prefix}.weight": 0.5 + torch.rand(c, generator=g), f"{prefix}.bias": 0.1 * torch.randn(c, generator=g),
                f"{prefix}.running_mean": 0.1 * torch.randn(c, generator=g),
                f"{prefix}.running_var": 0.5 + torch.rand(c, generator=g),
                f"{prefix}.num_batches_tracked": torch.tensor(0)}

    state = {}
    for name, (cin, cout, k, _s, _p) in FACENET_BASIC.items():
        state[f"{name}.conv.weight"] = torch.randn(cout, cin, *k, generator=g) / (cin * k[0] * k[1]) ** 0.5
        state.update(bn(f"{name}.bn", cout))
    for name, (cin, cout) in FACENET_PLAIN.items():
        state[f"{name}.weight"] = torch.randn(cout, cin, 1, 1, generator=g) / cin ** 0.5
        state[f"{name}.bias"] = 0.1 * torch.randn(cout, generator=g)
    state["last_linear.weight"] = torch.randn(512, 1792, generator=g) / 1792 ** 0.5
    state.update(bn("last_bn", 512))
    state["logits.weight"] = torch.randn(classes, 512, generator=g) * 0.01
    state["logits.bias"] = torch.zeros(classes)
    return state


def ref_facenet_embedding(state: dict, x: torch.Tensor) -> torch.Tensor:
    """facenet-pytorch's forward pass (eval mode) in plain functions over the state dict: N x 3 x 160 x 160
    chips (0..255) -> N x 512 unit embeddings."""
    def basic(name, t):
        _cin, _cout, _k, s, p = FACENET_BASIC[name]
        t = F.conv2d(t, state[f"{name}.conv.weight"], stride=s, padding=p)
        t = F.batch_norm(t, state[f"{name}.bn.running_mean"], state[f"{name}.bn.running_var"],
                         state[f"{name}.bn.weight"], state[f"{name}.bn.bias"], False, 0.0, 0.001)
        return F.relu(t)

    def chain(prefix, n, t):
        for i in range(n):
            t = basic(f"{prefix}.{i}", t)
        return t

    def residual(r, branches, t, scale, relu=True):
        up = F.conv2d(torch.cat(branches, 1), state[f"{r}.conv2d.weight"], state[f"{r}.conv2d.bias"])
        out = up * scale + t
        return F.relu(out) if relu else out

    t = (x - 127.5) / 128.0
    t = basic("conv2d_2b", basic("conv2d_2a", basic("conv2d_1a", t)))
    t = F.max_pool2d(t, 3, 2)
    t = basic("conv2d_4b", basic("conv2d_4a", basic("conv2d_3b", t)))
    for i in range(5):
        r = f"repeat_1.{i}"
        t = residual(r, [basic(f"{r}.branch0", t), chain(f"{r}.branch1", 2, t), chain(f"{r}.branch2", 3, t)],
                     t, 0.17)
    t = torch.cat([basic("mixed_6a.branch0", t), chain("mixed_6a.branch1", 3, t), F.max_pool2d(t, 3, 2)], 1)
    for i in range(10):
        r = f"repeat_2.{i}"
        t = residual(r, [basic(f"{r}.branch0", t), chain(f"{r}.branch1", 3, t)], t, 0.10)
    t = torch.cat([chain("mixed_7a.branch0", 2, t), chain("mixed_7a.branch1", 2, t),
                   chain("mixed_7a.branch2", 3, t), F.max_pool2d(t, 3, 2)], 1)
    for r, scale, relu in [(f"repeat_3.{i}", 0.20, True) for i in range(5)] + [("block8", 1.0, False)]:
        t = residual(r, [basic(f"{r}.branch0", t), chain(f"{r}.branch1", 3, t)], t, scale, relu)
    t = t.mean(dim=(2, 3))
    t = F.linear(t, state["last_linear.weight"])
    t = F.batch_norm(t, state["last_bn.running_mean"], state["last_bn.running_var"], state["last_bn.weight"],
                     state["last_bn.bias"], False, 0.0, 0.001)
    return F.normalize(t, p=2, dim=1)


# -- a local HTTP server with Range support ------------------------------------------

class FileServer:
    """Serves bytes on 127.0.0.1 from a thread; honours Range; can cut a response short once.

    ``files``: path -> bytes. ``cut_after``: path -> byte count after which the
    next full response for that path is cut off (the connection closes).
    ``requests`` records (path, Range header) of each request.
    """

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.cut_after: dict[str, int] = {}
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                rng = self.headers.get("Range")
                server.requests.append((self.path, rng))
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                if rng:
                    start = int(rng.split("=")[1].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(body)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                cut = server.cut_after.pop(self.path, None)
                payload = body[start:] if cut is None else body[start:start + cut]
                self.wfile.write(payload)
                if cut is not None:
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
