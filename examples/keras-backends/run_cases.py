#!/usr/bin/env python3
"""Runs cases exported by `rnnkit export` through Keras 3 itself on its JAX or PyTorch backend and writes the result
files `rnnkit verify` compares with the TensorFlow-made goldens (protocol: docs/validating-an-implementation.md).

Usage: python run_cases.py --backend jax|torch EXPORT_DIR RESULTS_DIR [--include TEXT]

Each case's layer is rebuilt from its exported Keras config (`keras.saving.deserialize_keras_object`: the export
names the Keras module) in the case's dtype, given the exported weights by their structural keys, and called as the
golden generator called it on TensorFlow: the same mask, initial states (nested per cell for stacked cells),
`training=True` with the exported dropout masks for dropout cases (the recurrent cells' masks, and each Dropout
layer's mask, which it multiplies by instead of drawing its own), and the same sequence of stateful calls and
`reset_state()`. Gradients come from each backend's own autodiff, the way that backend's Keras trainer gets them:
- JAX: `jax.vjp` of the layer called inside a `keras.StatelessScope` (what `layer.stateless_call`, the JAX
  trainer's functional call, does); a stateful layer's state variables, which Keras leaves untracked, are put in
  the scope too, and their values after the call are assigned back;
- PyTorch: an ordinary eager call and `torch.autograd.grad` (the torch trainer's `loss.backward()`); a stateful
  layer's state variables are made leaves that require grad before the call.
The loss is the protocol's: sum(output * cotangent) over the outputs plus sum(state * cotangent) over returned states.

A case Keras itself refuses (an exception in forward) is written as `error.txt` with the exception; an exception in
backward after a good forward keeps the forward results and writes `backward_error.txt` instead of the gradients.
"""
import argparse
import json
import os
import sys
import traceback


# Diagnosis patches: each removes one suspected root cause of a difference from Keras/PyTorch in this process, so
# that a re-run shows which FAIL/ERROR cases that cause explains. The committed reports are made without them.
# Each entry: the backends it applies to, what it changes.
PATCHES = {
    "float64-promotion": (("jax", "torch"), "Keras's dtype promotion keeps float64 (BIT64_TO_BIT32_DTYPE maps float64 "
                                            "to float32 on every backend but TensorFlow)"),
    "torch-hardsigmoid": (("torch",), "the torch backend's hard_sigmoid as clip(x/6 + 1/2, 0, 1) in the input's dtype "
                                      "instead of torch.nn.functional.hardsigmoid (whose float64 backward uses the "
                                      "float32 constant 1/6)"),
    "torch-fused-state-copy": (("torch",), "the torch backend's fused LSTM/GRU paths get copies of their initial "
                                           "states (a stateful layer's state variables are assigned in place after "
                                           "the call)"),
    "jax-unroll-masked": (("jax",), "a masked recurrent layer (zero_output_for_mask=False) runs the JAX backend's "
                                    "unrolled loop, whose masked step outputs the previous output (zeros before the "
                                    "first step), instead of its lax.scan loop, whose masked step outputs states[0]"),
}


def apply_patches(names, backend_name):
    unknown = sorted(set(names) - set(PATCHES))
    if unknown:
        raise ValueError(f"unknown patch(es) {unknown}; known: {sorted(PATCHES)}")
    foreign = sorted(n for n in names if backend_name not in PATCHES[n][0])
    if foreign:
        raise ValueError(f"patch(es) {foreign} do not apply to the {backend_name} backend")
    import keras.src.backend as backend
    if "float64-promotion" in names:
        from keras.src.backend.common import dtypes
        dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"
    if "torch-hardsigmoid" in names:
        backend.nn.hard_sigmoid = lambda x: torch.clamp(backend.convert_to_tensor(x) / 6 + 0.5, 0, 1)
    if "torch-fused-state-copy" in names:
        lstm, gru = backend.lstm, backend.gru

        def lstm_copying(inputs, h, c, *a, **k):
            return lstm(inputs, torch.clone(h), torch.clone(c), *a, **k)

        def gru_copying(inputs, h, *a, **k):
            return gru(inputs, torch.clone(h), *a, **k)
        backend.lstm, backend.gru = lstm_copying, gru_copying
    if "jax-unroll-masked" in names:
        rnn = backend.rnn

        def rnn_unrolled_when_masked(*a, mask=None, unroll=False, zero_output_for_mask=False, **k):
            unroll = unroll or (mask is not None and not zero_output_for_mask)
            return rnn(*a, mask=mask, unroll=unroll, zero_output_for_mask=zero_output_for_mask, **k)
        backend.rnn = rnn_unrolled_when_masked


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--backend", required=True, choices=["jax", "torch"], help="the Keras backend to run")
    p.add_argument("--include", action="append", default=[],
                   help="run only cases whose name contains this text (repeatable); others are not written")
    p.add_argument("--names", metavar="FILE",
                   help="run only the cases named in FILE (one name a line), e.g. the failures of an earlier run")
    p.add_argument("--resume", action="store_true",
                   help="skip cases whose result folder already holds files (continue an interrupted run)")
    p.add_argument("--reverse", action="store_true", help="run the cases in reverse order")
    p.add_argument("--patch", action="append", default=[], choices=sorted(PATCHES),
                   help="diagnosis only: run with one suspected cause of a difference patched out (repeatable)")
    p.add_argument("export_dir")
    p.add_argument("results_dir")
    return p.parse_args(argv)


ARGS = parse_args(sys.argv[1:])
# The backend is chosen before Keras is imported. JAX has no float64 unless its 64-bit mode is on: it is switched on
# for float64 cases only (run_case), so float32 cases run in JAX's default mode as a float32 user runs them.
os.environ["KERAS_BACKEND"] = ARGS.backend
os.environ["CUDA_VISIBLE_DEVICES"] = ""
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import numpy as np  # noqa: E402
import keras  # noqa: E402

if ARGS.backend == "jax":
    import jax  # noqa: E402
    import jax.numpy as jnp  # noqa: E402
else:
    import torch  # noqa: E402
    torch.set_num_threads(1)
apply_patches(ARGS.patch, ARGS.backend)


def load(case_dir, name):
    return np.load(os.path.join(case_dir, name))


def save(out_dir, name, array):
    """A result file in the case's dtype, C order (the protocol's .npy subset)."""
    np.save(os.path.join(out_dir, name), np.ascontiguousarray(np.asarray(array)))


def to_numpy(t):
    if ARGS.backend == "torch" and isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    return np.asarray(t)


# --- building the layer -----------------------------------------------------------------------------------------

def build_layer(case):
    """The case's layer (or Sequential model) from its exported Keras config, built for its input shape. The export
    names the Keras module of the entry, so Keras's own deserializer rebuilds it."""
    layer = keras.saving.deserialize_keras_object(case["layer"])
    if not isinstance(layer, keras.Sequential):  # a Sequential is built from its InputLayer
        first = next(c for c in case["calls"] if not c.get("reset_state"))
        layer.build(tuple(case["arrays"][first["inputs"]]["shape"]))
    return layer


def variable_for(layer, key):
    """The Keras variable a weight's structural key names (docs/validating-an-implementation.md): steps layer_<i>
    (Sequential layer i), forward/backward (Bidirectional halves), cell_<j> (stacked cell j), then the variable."""
    obj = layer
    *steps, name = key.split("/")
    for step in steps:
        if step.startswith("layer_"):
            obj = obj.layers[int(step[len("layer_"):])]
        elif step == "forward":
            obj = obj.forward_layer
        elif step == "backward":
            obj = obj.backward_layer
        elif step.startswith("cell_"):
            obj = obj.cell.cells[int(step[len("cell_"):])]
        else:
            raise RuntimeError(f"unknown step {step!r} in weight key {key!r}")
    if isinstance(obj, keras.layers.RNN):
        obj = obj.cell
    return getattr(obj, name)


def recurrent_cells(layer):
    """Recurrent cells in the protocol's dropout-mask order: stacked cells in order, Bidirectional forward then
    backward, Sequential layers in order."""
    if isinstance(layer, keras.Sequential):
        return [c for sub in layer.layers for c in recurrent_cells(sub)]
    if isinstance(layer, keras.layers.Bidirectional):
        return recurrent_cells(layer.forward_layer) + recurrent_cells(layer.backward_layer)
    if isinstance(layer, keras.layers.RNN):
        cell = layer.cell
        return list(cell.cells) if isinstance(cell, keras.layers.StackedRNNCells) else [cell]
    return []


def state_variables(layer):
    """A stateful layer's state variables, flattened as the protocol orders states."""
    if isinstance(layer, keras.layers.Bidirectional):
        return state_variables(layer.forward_layer) + state_variables(layer.backward_layer)
    return list(keras.tree.flatten(layer.states)) if getattr(layer, "states", None) is not None else []


def reset_state(layer):
    """Keras reset_state(). A stateful RNN([cell, cell]) cannot reset itself in Keras 3.15.1 (its nested state list
    has no .assign): then every state variable is set to zeros, which is what reset_state means."""
    if isinstance(layer, keras.layers.RNN) and isinstance(layer.cell, keras.layers.StackedRNNCells):
        for v in state_variables(layer):
            v.assign(np.zeros(tuple(v.shape), dtype=v.dtype))
        return
    layer.reset_state()


def nest_initial_states(layer, flat):
    """Stacked cells take their initial states nested per cell ([[h1], [h2, c2]]); other layers a flat list."""
    if isinstance(layer, keras.layers.RNN) and isinstance(layer.cell, keras.layers.StackedRNNCells):
        states = iter(flat)
        return [[next(states) for _ in keras.tree.flatten(c.state_size)] for c in layer.cell.cells]
    return list(flat)


def set_dropout_masks(layer, case_dir, record):
    """Gives each cell the dropout masks TensorFlow drew (Keras caches one per call on the cell and uses a cached
    mask instead of drawing; it clears them itself at the end of the call)."""
    cells = recurrent_cells(layer)
    entries = record.get("dropout_masks") or []
    if len(entries) != len(cells):
        raise RuntimeError(f"the case lists dropout masks for {len(entries)} cells; the layer has {len(cells)}")
    for cell, entry in zip(cells, entries):
        for kind, attr in (("input", "_dropout_mask"), ("recurrent", "_recurrent_dropout_mask")):
            masks = [keras.ops.convert_to_tensor(load(case_dir, f)) for f in entry[kind]]
            setattr(cell, attr, None if not masks else masks[0] if len(masks) == 1 else masks)


def dropout_layers(layer):
    """The Dropout layers that draw a mask in training (0 < rate < 1), in model order: the protocol's order of
    dropout_layer_masks."""
    layers = layer.layers if isinstance(layer, keras.Sequential) else [layer]
    return [d for d in layers if isinstance(d, keras.layers.Dropout) and 0 < d.rate < 1]


def set_dropout_layer_masks(layer, case_dir, record):
    """Gives each Dropout layer the mask TensorFlow drew: its call becomes inputs * mask (the protocol's meaning of
    dropout_layer_masks) instead of Keras drawing a mask of its own backend's random stream."""
    layers = dropout_layers(layer)
    files = record.get("dropout_layer_masks") or []
    if len(files) != len(layers):
        raise RuntimeError(f"the case lists {len(files)} Dropout layer masks; the model has {len(layers)} Dropout "
                           "layers with 0 < rate < 1")
    for d, f in zip(layers, files):
        mask = keras.ops.convert_to_tensor(load(case_dir, f))

        def call(inputs, training=False, mask=mask):
            return inputs * keras.ops.cast(mask, inputs.dtype) if training else inputs
        d.call = call


def main_output_count(layer):
    return 2 if isinstance(layer, keras.layers.Bidirectional) and layer.merge_mode is None else 1


# --- one call ----------------------------------------------------------------------------------------------------

class CallResult:
    def __init__(self, outputs, states, grad_inputs=None, grad_weights=None, grad_initial=None, backward_error=None):
        self.outputs = outputs
        self.states = states
        self.grad_inputs = grad_inputs
        self.grad_weights = grad_weights
        self.grad_initial = grad_initial
        self.backward_error = backward_error


def split_result(layer, result, returns_state):
    flat = list(keras.tree.flatten(result))
    n = main_output_count(layer) if not isinstance(layer, keras.Sequential) else 1
    return flat[:n], flat[n:] if returns_state else []


def loss_of(outputs, states, cot_out, cot_st, ops):
    total = 0
    for o, c in zip(outputs + states, cot_out + cot_st):
        total = total + ops.sum(o * c)
    return total


def run_call_jax(layer, x, init, mask, training, cot_out, cot_st, want_grads, is_tokens):
    # The layer's variables are replaced by traced values inside a StatelessScope, as layer.stateless_call does;
    # a stateful RNN's state variables are deliberately untracked by Keras (not in non_trainable_variables), so
    # they are put in the scope too, and their values after the call are assigned back.
    svars = state_variables(layer) if getattr_stateful(layer) else []
    trainable = list(layer.trainable_variables)
    non_trainable = list(layer.non_trainable_variables)
    ntv_values = [v.value for v in non_trainable]
    returns_state = record_returns_state(layer)
    kwargs = {"training": training}
    if mask is not None:
        kwargs["mask"] = mask

    def f(x_, tv, init_, state_values):
        if init_:
            kwargs["initial_state"] = nest_initial_states(layer, init_)
        mapping = list(zip(trainable, tv)) + list(zip(non_trainable, ntv_values)) + list(zip(svars, state_values))
        with keras.StatelessScope(state_mapping=mapping) as scope:
            result = layer(x if is_tokens else x_, **kwargs)
        outputs, states = split_result(layer, result, returns_state)
        finals = [scope.get_current_value(v) for v in svars]
        new_ntv = [scope.get_current_value(v) for v in non_trainable]
        return (outputs, states), (finals, new_ntv)

    tv = [v.value for v in trainable]
    state_values = [v.value for v in svars]
    if not want_grads:
        (outputs, states), (finals, new_ntv) = f(x, tv, list(init), state_values)
        vjp = None
    else:
        (outputs, states), vjp, (finals, new_ntv) = jax.vjp(f, x, tv, list(init), state_values, has_aux=True)
    assign_back(non_trainable + svars, list(new_ntv) + list(finals))
    result = CallResult(outputs, states if returns_state else finals)
    if vjp is None:
        return result
    # jax.vjp wants each cotangent in its output's dtype. Where Keras returns float32 from a float64 layer (its dtype
    # promotion), the protocol's loss sum(output * cotangent) promotes the product to float64 and hands the output
    # the cotangent rounded to float32: the same cast here.
    cot_out = [jnp.asarray(c, dtype=o.dtype) for o, c in zip(outputs, cot_out)]
    cot_st = [jnp.asarray(c, dtype=s.dtype) for s, c in zip(states, cot_st)]
    try:
        gx, gw, gi, gs = vjp((list(cot_out), list(cot_st)))
    except Exception as e:  # a forward that worked and a backward that did not: reported per quantity
        result.backward_error = e
        return result
    result.grad_inputs = None if is_tokens else gx
    result.grad_weights = list(gw)
    result.grad_initial = list(gi) + list(gs)
    return result


def assign_back(variables, values):
    for v, value in zip(variables, values):
        v.assign(value)


def getattr_stateful(layer):
    if isinstance(layer, keras.layers.Bidirectional):
        return layer.forward_layer.stateful
    return getattr(layer, "stateful", False)


def record_returns_state(layer):
    if isinstance(layer, keras.Sequential):
        return False
    return bool(getattr(layer, "return_state", False))


def run_call_torch(layer, x, init, mask, training, cot_out, cot_st, want_grads, is_tokens):
    svars = state_variables(layer) if getattr_stateful(layer) else []
    trainable = list(layer.trainable_variables)
    returns_state = record_returns_state(layer)
    sources = []
    if want_grads:
        if not is_tokens:
            x.requires_grad_(True)
        for t in init:
            t.requires_grad_(True)
        for v in svars:
            v.value.requires_grad_(True)
        start_states = [v.value for v in svars]
        sources = ([] if is_tokens else [x]) + [v.value for v in trainable] + list(init) + start_states
    kwargs = {"training": training}
    if mask is not None:
        kwargs["mask"] = mask
    if init:
        kwargs["initial_state"] = nest_initial_states(layer, init)
    with torch.enable_grad() if want_grads else torch.no_grad():
        result = layer(x, **kwargs)
        outputs, states = split_result(layer, result, returns_state)
        finals = states if returns_state else [v.value.detach().clone() for v in svars]
        res = CallResult([o.detach() for o in outputs], [s.detach() for s in finals])
        if not want_grads:
            return res
        loss = loss_of(outputs, states, cot_out, cot_st, keras.ops)
        try:
            # A loss that depends on no source (a rate-1 Dropout outputs zeros) has no graph: every gradient is
            # zero, which is what the protocol stores for a gradient the framework reports as absent.
            grads = ([None] * len(sources) if not loss.requires_grad
                     else torch.autograd.grad(loss, sources, allow_unused=True))
        except Exception as e:
            res.backward_error = e
            return res
        finally:
            for v in svars:
                v.value.requires_grad_(False)
    grads = [g if g is not None else torch.zeros_like(s) for g, s in zip(grads, sources)]
    k = 0 if is_tokens else 1
    res.grad_inputs = None if is_tokens else grads[0]
    res.grad_weights = grads[k:k + len(trainable)]
    res.grad_initial = grads[k + len(trainable):]
    return res


# --- one case ----------------------------------------------------------------------------------------------------

def tensor(a, dtype):
    if ARGS.backend == "jax":
        return jnp.asarray(a, dtype=dtype)
    return torch.tensor(a, dtype=getattr(torch, dtype))


def layer_with_weights(case, case_dir):
    """The case's layer, rebuilt, with the exported weights set by their structural keys. The gradients come back
    in the layer's trainable-variable order, which must then be the case's weight order."""
    layer = build_layer(case)
    variables = [variable_for(layer, w["key"]) for w in case["weights"]]
    if [id(v) for v in variables] != [id(v) for v in layer.trainable_variables]:
        raise RuntimeError("the rebuilt layer's trainable variables are not the case's weights in order: "
                           + ", ".join(v.path for v in layer.trainable_variables))
    for v, entry in zip(variables, case["weights"]):
        w = load(case_dir, entry["file"])
        if tuple(v.shape) != w.shape:
            raise RuntimeError(f"variable {v.path} has shape {tuple(v.shape)}; weight {entry['key']} is {w.shape}")
        v.assign(w)
    return layer


def run_case(case_dir, out_dir):
    with open(os.path.join(case_dir, "case.json")) as f:
        case = json.load(f)
    dtype = case["dtype"]
    if ARGS.backend == "jax":
        jax.config.update("jax_enable_x64", dtype == "float64")
    keras.backend.clear_session()
    keras.config.set_floatx(dtype)
    layer = layer_with_weights(case, case_dir)
    if case.get("stateful"):
        reset_state(layer)
    is_tokens = case.get("input_kind") == "token_ids"
    training = bool(case.get("training"))
    run_call = run_call_jax if ARGS.backend == "jax" else run_call_torch
    os.makedirs(out_dir, exist_ok=True)
    backward_errors = []
    for record in case["calls"]:
        if record.get("reset_state"):
            reset_state(layer)
            continue
        x_np = load(case_dir, record["inputs"])
        x = tensor(x_np, "int32" if is_tokens else dtype)
        mask = tensor(load(case_dir, record["mask"]), "bool") if record.get("mask") else None
        init = []
        if not case.get("stateful"):
            init = [tensor(load(case_dir, f), dtype) for f in record.get("initial_states") or []]
        expected = record["expected"]
        grads = expected.get("gradients")
        cot_out = [tensor(load(case_dir, f), dtype) for f in record["cotangents"]["outputs"]]
        cot_st = [tensor(load(case_dir, f), dtype) for f in record["cotangents"].get("states", [])]
        if training:
            set_dropout_masks(layer, case_dir, record)
            set_dropout_layer_masks(layer, case_dir, record)
        r = run_call(layer, x, init, mask, training, cot_out, cot_st, bool(grads), is_tokens)
        for f, t in zip(expected["outputs"], r.outputs):
            save(out_dir, f, to_numpy(t))
        for f, t in zip(expected.get("states", []), r.states):
            save(out_dir, f, to_numpy(t))
        if not grads:
            continue
        if r.backward_error is not None:
            backward_errors.append(r.backward_error)
            continue
        if grads.get("inputs"):
            save(out_dir, grads["inputs"], to_numpy(r.grad_inputs))
        for f, t in zip(grads["weights"], r.grad_weights):
            save(out_dir, f, to_numpy(t))
        for f, t in zip(grads.get("initial_states", []), r.grad_initial):
            save(out_dir, f, to_numpy(t))
    if backward_errors:
        raise BackwardError(error_text(backward_errors[0]))


def error_text(e):
    """The exception as "Type: message", its cause first: Keras wraps an error in a layer's call as "Exception
    encountered when calling X.call()", then the cause, then the call's arguments."""
    text = str(e).strip()
    lines = text.splitlines()
    if lines and lines[0].startswith("Exception encountered when calling"):
        rest = [ln for ln in lines[1:] if ln.strip()]
        cause = rest[0] if rest else lines[0]
        text = cause + "\n" + lines[0] + "\n" + "\n".join(rest[1:])
    return f"{type(e).__name__}: {text}"


class BackwardError(Exception):
    """Forward results were written; computing the gradients failed."""


def main():
    export_dir, results_dir = ARGS.export_dir, ARGS.results_dir
    with open(os.path.join(export_dir, "export.json")) as f:
        names = json.load(f)["cases"]
    if ARGS.include:
        names = [n for n in names if any(t in n for t in ARGS.include)]
    if ARGS.names:
        with open(ARGS.names) as f:
            wanted = {line.strip() for line in f if line.strip()}
        names = [n for n in names if n in wanted]
    if ARGS.reverse:
        names = names[::-1]
    counts = {"ran": 0, "error": 0, "backward error": 0}
    for i, name in enumerate(names):
        out_dir = os.path.join(results_dir, name)
        if ARGS.resume and os.path.isdir(out_dir) and os.listdir(out_dir):
            continue
        os.makedirs(out_dir, exist_ok=True)
        try:
            run_case(os.path.join(export_dir, name), out_dir)
            counts["ran"] += 1
        except BackwardError as e:  # the forward files stay: verify reports "forward pass, backward ERROR"
            with open(os.path.join(out_dir, "backward_error.txt"), "w") as f:
                f.write(str(e) + "\n")
            counts["backward error"] += 1
        except Exception as e:  # reported per case; the run goes on
            with open(os.path.join(out_dir, "error.txt"), "w") as f:
                f.write(error_text(e) + "\n")
            if os.environ.get("RNNKIT_DRIVER_TRACE"):
                traceback.print_exc()
            counts["error"] += 1
        if (i + 1) % 50 == 0 or i + 1 == len(names):
            print(f"keras-{ARGS.backend} driver: {i + 1}/{len(names)} cases ({counts})", flush=True)


if __name__ == "__main__":
    main()
