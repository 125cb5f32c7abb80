#!/usr/bin/env python3
"""Runs cases exported by `rnnkit export` through PyTorch's torch.nn.RNN / LSTM / GRU and writes the result files
that `rnnkit verify` compares with the Keras goldens (protocol: docs/validating-an-implementation.md).

Usage: python run_cases.py EXPORT_DIR RESULTS_DIR

What PyTorch cannot express is written as `unsupported.txt` with the reason, so the report shows it as
unsupported rather than wrong:
- GRU(reset_after=False): PyTorch's GRU applies the reset gate after the recurrent product (Keras reset_after=True);
- go_backwards: PyTorch has no option that processes a sequence backwards and returns outputs in processing order;
- masks: PyTorch's packed sequences handle right padding only and zero the padded outputs (Keras carries them);
- activations other than tanh/sigmoid (RNN: tanh or relu); dropout in training mode (PyTorch drops between layers);
- Sequential models and stacked cells (RNN([cell, cell])): this driver runs single layers and Bidirectional.
"""
import json
import os
import sys

import numpy as np
import torch


class Unsupported(Exception):
    pass


# PyTorch gate block g comes from Keras gate block KERAS_GATE_OF[cell][g]: GRU r,z,n <- z,r,h; LSTM i,f,g,o = i,f,c,o.
KERAS_GATE_OF = {"SimpleRNN": [0], "LSTM": [0, 1, 2, 3], "GRU": [1, 0, 2]}
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def load(case_dir, name):
    return np.load(os.path.join(case_dir, name))


def save(out_dir, name, array):
    """Writes a result file in C order (the protocol's .npy subset; a transposed torch view would be Fortran order)."""
    np.save(os.path.join(out_dir, name), np.ascontiguousarray(array))


def cell_of(layer):
    """(cell kind, config) of a single-cell layer config, or raise Unsupported."""
    cls, cfg = layer["class_name"], layer["config"]
    if cls in ("SimpleRNN", "LSTM", "GRU"):
        return cls, cfg
    raise Unsupported(f"the PyTorch driver runs single SimpleRNN/LSTM/GRU layers and Bidirectional; not {cls}")


def check_expressible(kind, cfg):
    if kind == "GRU" and not cfg.get("reset_after", True):
        raise Unsupported("PyTorch GRU has no reset-before variant (Keras reset_after=False)")
    if cfg.get("go_backwards"):
        raise Unsupported("PyTorch has no go_backwards (outputs in processing order)")
    act = cfg.get("activation", "tanh")
    if kind == "SimpleRNN":
        if act not in ("tanh", "relu"):
            raise Unsupported("PyTorch RNN has only tanh or relu activations (nonlinearity=)")
    else:
        if act != "tanh" or cfg.get("recurrent_activation", "sigmoid") != "sigmoid":
            raise Unsupported(f"PyTorch {kind} has fixed activations (tanh, recurrent sigmoid); this case uses others")


def to_torch_weights(kind, units, kernel, recurrent, bias):
    """Keras kernel (d, kH), recurrent (H, kH), bias (kH) or (2, kH) -> weight_ih, weight_hh, bias_ih, bias_hh."""
    k = GATES[kind]
    order = KERAS_GATE_OF[kind]

    def blocks(m):  # Keras columns -> PyTorch rows
        return np.concatenate([m[:, order[g] * units:(order[g] + 1) * units].T for g in range(k)], axis=0)

    def bias_blocks(b):
        return np.concatenate([b[order[g] * units:(order[g] + 1) * units] for g in range(k)])

    w_ih, w_hh = blocks(kernel), blocks(recurrent)
    if bias is None:
        return w_ih, w_hh, None, None
    if bias.ndim == 2:  # GRU reset_after: row 0 input bias, row 1 recurrent bias
        return w_ih, w_hh, bias_blocks(bias[0]), bias_blocks(bias[1])
    return w_ih, w_hh, bias_blocks(bias), np.zeros_like(bias_blocks(bias))


def kernel_grad_to_keras(kind, units, g_torch):
    """Gradient of PyTorch weight (kH, d) -> gradient of the Keras kernel (d, kH)."""
    k = GATES[kind]
    order = KERAS_GATE_OF[kind]
    out = np.zeros((g_torch.shape[1], k * units), dtype=g_torch.dtype)
    for g in range(k):
        out[:, order[g] * units:(order[g] + 1) * units] = g_torch[g * units:(g + 1) * units, :].T
    return out


def bias_grad_to_keras(kind, units, g_ih, g_hh, two_rows):
    k = GATES[kind]
    order = KERAS_GATE_OF[kind]

    def unblock(v):
        out = np.zeros(k * units, dtype=v.dtype)
        for g in range(k):
            out[order[g] * units:(order[g] + 1) * units] = v[g * units:(g + 1) * units]
        return out

    if two_rows:
        return np.stack([unblock(g_ih), unblock(g_hh)])
    return unblock(g_ih)  # Keras bias = b_ih + b_hh, so d/dbias = d/db_ih


def merge(forward, backward, mode):
    """Keras Bidirectional merge of the two halves (merge_mode None returns both)."""
    if mode == "concat":
        return [torch.cat([forward, backward], dim=-1)]
    if mode == "sum":
        return [forward + backward]
    if mode == "mul":
        return [forward * backward]
    if mode == "ave":
        return [(forward + backward) / 2]
    if mode is None:
        return [forward, backward]
    raise Unsupported(f"unknown Bidirectional merge_mode {mode}")


def build_module(kind, cfg, input_dim, dtype, bidirectional):
    units = cfg["units"]
    bias = cfg.get("use_bias", True)
    if kind == "SimpleRNN":
        m = torch.nn.RNN(input_dim, units, nonlinearity=cfg.get("activation", "tanh"), bias=bias,
                         batch_first=True, bidirectional=bidirectional)
    elif kind == "LSTM":
        m = torch.nn.LSTM(input_dim, units, bias=bias, batch_first=True, bidirectional=bidirectional)
    else:
        m = torch.nn.GRU(input_dim, units, bias=bias, batch_first=True, bidirectional=bidirectional)
    return m.to(dtype)


def run_case(case_dir, out_dir):
    with open(os.path.join(case_dir, "case.json")) as f:
        case = json.load(f)
    layer = case["layer"]
    dtype = torch.float64 if case["dtype"] == "float64" else torch.float32
    if case.get("training"):
        raise Unsupported("dropout in training mode: PyTorch applies dropout only between stacked layers")
    bidirectional = layer["class_name"] == "Bidirectional"
    if bidirectional:
        cfg_b = layer["config"]
        merge_mode = cfg_b.get("merge_mode")
        kind, cfg = cell_of(cfg_b["layer"])
    else:
        kind, cfg = cell_of(layer)
    check_expressible(kind, cfg)
    if case.get("input_kind") != "float":
        raise Unsupported("token-id inputs (Embedding models) are not run by this driver")

    weights = [load(case_dir, w["file"]) for w in case["weights"]]
    directions = 2 if bidirectional else 1
    per_dir = len(weights) // directions
    units = cfg["units"]
    input_dim = weights[0].shape[0]
    module = build_module(kind, cfg, input_dim, dtype, bidirectional)
    params = {}
    with torch.no_grad():
        for d in range(directions):
            kernel, recurrent = weights[d * per_dir], weights[d * per_dir + 1]
            bias = weights[d * per_dir + 2] if per_dir == 3 else None
            w_ih, w_hh, b_ih, b_hh = to_torch_weights(kind, units, kernel, recurrent, bias)
            sfx = "_l0" + ("_reverse" if d == 1 else "")
            getattr(module, "weight_ih" + sfx).copy_(torch.from_numpy(w_ih))
            getattr(module, "weight_hh" + sfx).copy_(torch.from_numpy(w_hh))
            if b_ih is not None:
                getattr(module, "bias_ih" + sfx).copy_(torch.from_numpy(b_ih))
                getattr(module, "bias_hh" + sfx).copy_(torch.from_numpy(b_hh))
            params[d] = sfx

    return_sequences = cfg.get("return_sequences", False)
    os.makedirs(out_dir, exist_ok=True)
    for k, call in enumerate(case["calls"]):
        if call.get("reset_state"):
            continue
        if call.get("mask") is not None:
            raise Unsupported("Keras masks carry states over masked steps (holes allowed); PyTorch packed sequences "
                              "only truncate right-padded rows and zero their outputs")
        expected = call["expected"]
        x = torch.from_numpy(load(case_dir, call["inputs"])).to(dtype).requires_grad_(True)
        init = [torch.from_numpy(load(case_dir, f)).to(dtype).requires_grad_(True) for f in call.get("initial_states") or []]
        hx = None
        if init:
            if kind == "LSTM":  # Keras [h_f, c_f, h_b, c_b] -> torch (h (dirs, B, H), c (dirs, B, H))
                hs = torch.stack([init[2 * d] for d in range(directions)])
                cs = torch.stack([init[2 * d + 1] for d in range(directions)])
                hx = (hs, cs)
            else:
                hx = torch.stack(init)
        module.zero_grad()
        y, state = module(x, hx)
        if kind == "LSTM":
            h_n, c_n = state
            finals = []
            for d in range(directions):
                finals += [h_n[d], c_n[d]]
        else:
            finals = [state[d] for d in range(directions)]
        h_index = (lambda d: 2 * d) if kind == "LSTM" else (lambda d: d)
        if return_sequences:
            # a bidirectional y holds [forward, backward] halves, the backward half in input order as Keras merges it
            halves = [y] if directions == 1 else [y[..., :units], y[..., units:]]
        else:
            # Keras returns the last processed output of each half: its final h
            halves = [finals[h_index(d)] for d in range(directions)]
        outputs = halves if directions == 1 else merge(halves[0], halves[1], merge_mode)
        states = finals if call.get("states_returned") else []
        for i, t in enumerate(outputs):
            save(out_dir, expected["outputs"][i], t.detach().numpy())
        for i, f in enumerate(expected.get("states", [])):
            save(out_dir, f, finals[i].detach().numpy())
        grads = expected.get("gradients")
        if grads:
            loss = sum((o * torch.from_numpy(load(case_dir, c)).to(dtype)).sum()
                       for o, c in zip(outputs, call["cotangents"]["outputs"]))
            for s, c in zip(states, call["cotangents"].get("states", [])):
                loss = loss + (s * torch.from_numpy(load(case_dir, c)).to(dtype)).sum()
            loss.backward()
            if grads.get("inputs"):
                save(out_dir, grads["inputs"], x.grad.numpy())
            for d in range(directions):
                sfx = params[d]
                files = grads["weights"][d * per_dir:(d + 1) * per_dir]
                save(out_dir, files[0],
                        kernel_grad_to_keras(kind, units, getattr(module, "weight_ih" + sfx).grad.numpy()))
                save(out_dir, files[1],
                        kernel_grad_to_keras(kind, units, getattr(module, "weight_hh" + sfx).grad.numpy()))
                if per_dir == 3:
                    two_rows = weights[d * per_dir + 2].ndim == 2
                    save(out_dir, files[2],
                            bias_grad_to_keras(kind, units, getattr(module, "bias_ih" + sfx).grad.numpy(),
                                               getattr(module, "bias_hh" + sfx).grad.numpy(), two_rows))
            for f, t in zip(grads.get("initial_states", []), init):
                save(out_dir, f, t.grad.numpy())


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    export_dir, results_dir = sys.argv[1], sys.argv[2]
    with open(os.path.join(export_dir, "export.json")) as f:
        names = json.load(f)["cases"]
    torch.set_num_threads(1)
    counts = {"ran": 0, "unsupported": 0, "error": 0}
    for i, name in enumerate(names):
        out_dir = os.path.join(results_dir, name)
        os.makedirs(out_dir, exist_ok=True)
        try:
            run_case(os.path.join(export_dir, name), out_dir)
            counts["ran"] += 1
        except Unsupported as e:
            with open(os.path.join(out_dir, "unsupported.txt"), "w") as f:
                f.write(str(e) + "\n")
            counts["unsupported"] += 1
        except Exception as e:  # report, don't stop: rnnkit verify shows it as an error for this case
            with open(os.path.join(out_dir, "error.txt"), "w") as f:
                f.write(f"{type(e).__name__}: {e}\n")
            counts["error"] += 1
        if (i + 1) % 50 == 0 or i + 1 == len(names):
            print(f"pytorch driver: {i + 1}/{len(names)} cases ({counts})", flush=True)


if __name__ == "__main__":
    main()
