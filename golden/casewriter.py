"""Runs one golden case through real Keras/TensorFlow and writes its folder (see FORMAT.md).

A case is a layer (or Sequential model) factory plus inputs; this module builds the layer in the requested floatx,
sets seeded random weights, calls it (once, or a sequence of stateful calls) under a GradientTape, captures the
dropout masks Keras itself draws, and writes case.json plus one .npy per array.
"""
import hashlib
import json
import os

import numpy as np

FORMAT_VERSION = 1
LOSS_DEFINITION = ("loss = sum_i sum(outputs[i] * cotangents.outputs[i]) + sum_j sum(states[j] * cotangents.states[j]); "
                   "outputs are the tensors the Keras call returns before its states; states are the final states it "
                   "returns (only when return_state=True; otherwise cotangents.states is empty)")

import keras  # noqa: E402  (environment is set up by generate.py before import)
import tensorflow as tf  # noqa: E402
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell  # noqa: E402

# --- dropout mask capture --------------------------------------------------------------------------------------
# Keras caches the masks it draws on the cell (_dropout_mask / _recurrent_dropout_mask) for the whole sequence and
# clears them at the end of RNN.call via reset_dropout_mask(). We wrap the two reset methods to record the cached
# masks just before they are cleared: these are exactly the masks Keras used.
_CAPTURED = {}
_orig_reset = DropoutRNNCell.reset_dropout_mask
_orig_reset_rec = DropoutRNNCell.reset_recurrent_dropout_mask


def _capturing_reset(self):
    m = getattr(self, "_dropout_mask", None)
    if m is not None:
        _CAPTURED.setdefault(id(self), {})["input"] = m
    _orig_reset(self)


def _capturing_reset_rec(self):
    m = getattr(self, "_recurrent_dropout_mask", None)
    if m is not None:
        _CAPTURED.setdefault(id(self), {})["recurrent"] = m
    _orig_reset_rec(self)


DropoutRNNCell.reset_dropout_mask = _capturing_reset
DropoutRNNCell.reset_recurrent_dropout_mask = _capturing_reset_rec


def recurrent_cells(layer):
    """The recurrent cells of a layer in rnnkit's dropout-mask order (stacked cells in order; Bidirectional forward
    then backward; Sequential layers in order)."""
    if isinstance(layer, keras.Sequential):
        out = []
        for sub in layer.layers:
            out.extend(recurrent_cells(sub))
        return out
    if isinstance(layer, keras.layers.Bidirectional):
        return recurrent_cells(layer.forward_layer) + recurrent_cells(layer.backward_layer)
    if isinstance(layer, keras.layers.RNN):
        cell = layer.cell
        if isinstance(cell, keras.layers.StackedRNNCells):
            return list(cell.cells)
        return [cell]
    return []


def case_seed(full_name):
    """A 32-bit seed derived from the case name (stable across runs and Python versions)."""
    return int.from_bytes(hashlib.sha256(full_name.encode("utf-8")).digest()[:4], "little")


class CaseSpec:
    """Description of one golden case, independent of dtype.

    build: () -> keras layer or keras.Sequential (called after floatx is set)
    inputs: (batch, time, features) for float inputs; token ids use `vocab` and shape (batch, time)
    calls: for stateful cases, a list of ("call", time) and ("reset",) steps; else None (one call)
    """

    def __init__(self, suite, name, build, batch, time, features, *, tags, mask=None, initial_state=False,
                 training=False, input_scale=1.0, weights="uniform", vocab=None, zero_ids=None, calls=None,
                 state_scale=1.0, description=""):
        self.suite = suite
        self.name = name
        self.build = build
        self.batch = batch
        self.time = time
        self.features = features
        self.tags = tags
        self.mask = mask
        self.initial_state = initial_state
        self.training = training
        self.input_scale = input_scale
        self.weights = weights
        self.vocab = vocab
        self.zero_ids = zero_ids
        self.calls = calls
        self.state_scale = state_scale
        self.description = description


class _ArrayWriter:
    def __init__(self, folder, np_dtype):
        self.folder = folder
        self.np_dtype = np_dtype
        self.arrays = {}

    def put(self, name, value, dtype=None):
        arr = np.asarray(value)
        if dtype is None:
            dtype = self.np_dtype
        arr = np.ascontiguousarray(arr.astype(dtype))
        fname = name + ".npy"
        if fname in self.arrays:
            raise ValueError("duplicate array " + fname)
        with open(os.path.join(self.folder, fname), "wb") as f:
            np.lib.format.write_array(f, arr, version=(1, 0), allow_pickle=False)
        self.arrays[fname] = {"shape": list(arr.shape), "dtype": arr.dtype.str}
        return fname


def _flatten(x):
    return [t for t in keras.tree.flatten(x)]


def _main_output_count(layer):
    if isinstance(layer, keras.layers.Bidirectional) and layer.merge_mode is None:
        return 2
    return 1


def write_case(spec, dtype, root):
    full_name = spec.suite + "/" + spec.name + "__" + dtype
    seed = case_seed(full_name)
    rng = np.random.default_rng(seed)
    keras.backend.clear_session()
    keras.config.set_floatx(dtype)
    keras.utils.set_random_seed(seed)
    np_dtype = np.float32 if dtype == "float32" else np.float64
    tf_dtype = tf.float32 if dtype == "float32" else tf.float64

    folder = os.path.join(root, spec.suite, spec.name + "__" + dtype)
    os.makedirs(folder, exist_ok=False)
    w = _ArrayWriter(folder, np_dtype)

    layer = spec.build()
    is_model = isinstance(layer, keras.Sequential)
    token_inputs = spec.vocab is not None
    call_plan = spec.calls or [("call", spec.time)]

    def make_inputs(t):
        if token_inputs:
            ids = rng.integers(1, spec.vocab, size=(spec.batch, t))
            if spec.zero_ids is not None:
                ids = np.where(spec.zero_ids[:, :t], 0, ids)
            return ids.astype(np.int32)
        return (rng.uniform(-1.0, 1.0, size=(spec.batch, t, spec.features)) * spec.input_scale).astype(np_dtype)

    # Build with a first call on throw-away inputs of the first call's shape, then set seeded weights.
    first_t = call_plan[0][1]
    probe = make_inputs(first_t)
    if is_model:
        pass  # Sequential built from its Input
    else:
        layer(probe)
        if getattr(layer, "stateful", False) or (isinstance(layer, keras.layers.Bidirectional)
                                                 and layer.forward_layer.stateful):
            _reset_state(layer)
    variables = list(layer.trainable_weights)
    if len(variables) != len(layer.get_weights()):
        raise RuntimeError(full_name + ": trainable weights differ from get_weights()")
    if spec.weights == "uniform":
        new = [rng.uniform(-0.5, 0.5, size=tuple(v.shape)) for v in variables]
        layer.set_weights([a.astype(np_dtype) for a in new])
    weight_entries = []
    for i, v in enumerate(variables):
        fname = w.put("weight_%02d" % i, np.asarray(v.numpy()))
        weight_entries.append({"name": v.path, "file": fname})

    stateful = spec.calls is not None
    state_vars = None
    if stateful:
        if isinstance(layer, keras.layers.Bidirectional):
            state_vars = list(layer.forward_layer.states) + list(layer.backward_layer.states)
        else:
            state_vars = _flatten(layer.states)
    calls_json = []
    call_index = 0
    for step in call_plan:
        if step[0] == "reset":
            _reset_state(layer)
            calls_json.append({"reset_state": True})
            continue
        t = step[1]
        p = "c%d_" % call_index
        x_np = make_inputs(t)
        entry = {"reset_state": False}
        entry["inputs"] = w.put(p + "inputs", x_np, dtype=np.int32 if token_inputs else None)
        x = tf.constant(x_np) if token_inputs else tf.constant(x_np, dtype=tf_dtype)
        kwargs = {}
        if spec.mask is not None:
            m = spec.mask[:, :t]
            entry["mask"] = w.put(p + "mask", m, dtype=np.bool_)
            kwargs["mask"] = tf.constant(m)
        init = []
        if spec.initial_state:
            shapes = [tuple(s.shape) for s in _state_shapes(layer, spec.batch)]
            init = [tf.constant((rng.uniform(-1, 1, size=s) * spec.state_scale).astype(np_dtype)) for s in shapes]
            entry["initial_states"] = [w.put(p + "initial_state_%d" % i, s.numpy()) for i, s in enumerate(init)]
            kwargs["initial_state"] = _nest_states(layer, init)
        if stateful:
            # The incoming states of a stateful call are the layer's state variables (zeros after reset_state()).
            init_vals = [np.asarray(v.numpy()) for v in state_vars]
            entry["initial_states"] = [w.put(p + "initial_state_%d" % i, a) for i, a in enumerate(init_vals)]
        if spec.training:
            kwargs["training"] = True
        _CAPTURED.clear()
        with tf.GradientTape(persistent=False) as tape:
            if not token_inputs:
                tape.watch(x)
            for s in init:
                tape.watch(s)
            watched_states = []
            if stateful:
                watched_states = [v.value for v in state_vars]
                for v in watched_states:
                    tape.watch(v)
            result = layer(x, **kwargs)
            flat = _flatten(result)
            n_main = _main_output_count(layer) if not is_model else 1
            returns_state = (not is_model) and len(flat) > n_main
            outputs = flat[:n_main]
            states = flat[n_main:]
            cot_out = [tf.constant(rng.standard_normal(size=tuple(o.shape)).astype(np_dtype)) for o in outputs]
            cot_st = [tf.constant(rng.standard_normal(size=tuple(s.shape)).astype(np_dtype)) for s in states]
            loss = tf.add_n([tf.reduce_sum(o * c) for o, c in zip(outputs + states, cot_out + cot_st)])
        sources = ([] if token_inputs else [x]) + [v.value for v in variables] + list(init) + watched_states
        grads = tape.gradient(loss, sources)
        grads = [None if g is None else tf.convert_to_tensor(g) for g in grads]
        gi = 0
        entry["outputs"] = [w.put(p + "output_%d" % i, o.numpy()) for i, o in enumerate(outputs)]
        final_states = [s.numpy() for s in states]
        if stateful and not returns_state:
            final_states = [np.asarray(v.numpy()) for v in state_vars]
        entry["states"] = [w.put(p + "state_%d" % i, s) for i, s in enumerate(final_states)]
        entry["states_returned"] = returns_state
        entry["cotangents"] = {
            "outputs": [w.put(p + "cotangent_output_%d" % i, c.numpy()) for i, c in enumerate(cot_out)],
            "states": [w.put(p + "cotangent_state_%d" % i, c.numpy()) for i, c in enumerate(cot_st)],
        }
        g = {}
        if not token_inputs:
            g["inputs"] = w.put(p + "grad_inputs", _dense(grads[gi], x.shape, np_dtype))
            gi += 1
        else:
            g["inputs"] = None
        g["weights"] = []
        for i, v in enumerate(variables):
            g["weights"].append(w.put(p + "grad_weight_%02d" % i, _dense(grads[gi], v.shape, np_dtype)))
            gi += 1
        g["initial_states"] = []
        for i, s in enumerate(list(init) + watched_states):
            g["initial_states"].append(w.put(p + "grad_initial_state_%d" % i, _dense(grads[gi], s.shape, np_dtype)))
            gi += 1
        entry["gradients"] = g
        # Dropout masks Keras drew for this call, one entry per recurrent cell in rnnkit order.
        if spec.training:
            dm = []
            for ci, cell in enumerate(recurrent_cells(layer)):
                got = _CAPTURED.get(id(cell), {})
                cell_entry = {"input": [], "recurrent": []}
                for kind in ("input", "recurrent"):
                    m = got.get(kind)
                    if m is None:
                        continue
                    masks = m if isinstance(m, (list, tuple)) else [m]
                    for k, mk in enumerate(masks):
                        cell_entry[kind].append(w.put(p + "dropout_cell%d_%s_%d" % (ci, kind, k), np.asarray(mk)))
                dm.append(cell_entry)
            entry["dropout_masks"] = dm
        calls_json.append(entry)
        call_index += 1

    if is_model:
        model_json = {"class_name": "Sequential", "config": layer.get_config()}
    else:
        model_json = {"class_name": layer.__class__.__name__, "config": layer.get_config()}
    case = {
        "format_version": FORMAT_VERSION,
        "name": full_name,
        "suite": spec.suite,
        "case": spec.name,
        "dtype": dtype,
        "description": spec.description,
        "seed": seed,
        "tags": spec.tags,
        "layer": model_json,
        "input_kind": "token_ids" if token_inputs else "float",
        "training": bool(spec.training),
        "stateful": stateful,
        "weights": weight_entries,
        "calls": calls_json,
        "loss": LOSS_DEFINITION,
        "arrays": w.arrays,
    }
    with open(os.path.join(folder, "case.json"), "w", encoding="utf-8", newline="\n") as f:
        # Compact (one line): the Keras configs are verbose and the corpus must stay small; pretty-print with
        # `python -m json.tool case.json`.
        json.dump(case, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    return full_name


def _dense(g, shape, np_dtype):
    if g is None:
        return np.zeros(tuple(shape), dtype=np_dtype)
    return np.asarray(g.numpy())


def _state_shapes(layer, batch):
    cells = recurrent_cells(layer)
    out = []
    for c in cells:
        sizes = c.state_size if isinstance(c.state_size, (list, tuple)) else [c.state_size]
        for s in sizes:
            out.append(np.zeros((batch, s)))
    return out


def _nest_states(layer, flat):
    """Keras wants the initial states of stacked cells nested per cell ([[h], [h, c], ...]); other layers take
    the flat list."""
    if isinstance(layer, keras.layers.RNN) and isinstance(layer.cell, keras.layers.StackedRNNCells):
        nested, i = [], 0
        for c in layer.cell.cells:
            n = len(c.state_size) if isinstance(c.state_size, (list, tuple)) else 1
            nested.append(list(flat[i:i + n]))
            i += n
        return nested
    return flat


def _reset_state(layer):
    """Keras reset_state(). Keras 3.15.1's RNN.reset_state() fails for a stateful RNN with StackedRNNCells (its
    states are a nested list and it calls .assign on the inner list); for that case we do what reset_state means:
    assign zeros to every state variable."""
    if isinstance(layer, keras.layers.RNN) and isinstance(layer.cell, keras.layers.StackedRNNCells):
        for v in keras.tree.flatten(layer.states):
            v.assign(np.zeros(tuple(v.shape), dtype=v.dtype))
        return
    layer.reset_state()
