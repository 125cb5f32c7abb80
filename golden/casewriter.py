"""Runs one golden case through real Keras/TensorFlow and writes its folder (see FORMAT.md).

A case is a layer (or Sequential model) factory plus inputs; this module builds the layer in the requested floatx,
sets seeded random weights, calls it (once, or a sequence of stateful calls) under a GradientTape, captures the
dropout masks Keras itself draws, and writes case.json plus one .npy per array.
"""
import hashlib
import json
import os

import numpy as np

FORMAT_VERSION = 2
# model.summary() is captured at Keras's default width for a wide terminal (88) and at a narrow one where rich wraps.
SUMMARY_LINE_LENGTHS = (88, 50)
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

# A Dropout layer in training calls keras.random.dropout, which draws a seed and calls TensorFlow's
# stateless_dropout(x, rate, seed, noise_shape). While a Dropout layer runs, we also apply stateless_dropout with the
# same seed and noise shape to ones: that is the layer's mask (values 0 or 1/(1-rate)), recorded in call order.
# (Recurrent-cell dropout draws its masks through the same function outside Dropout.call and is not recorded here.)
_LAYER_MASKS = []
_IN_DROPOUT_LAYER = [False]
_orig_stateless_dropout = tf.nn.experimental.stateless_dropout
_orig_dropout_call = keras.layers.Dropout.call


def _capturing_stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None):
    out = _orig_stateless_dropout(x, rate=rate, seed=seed, rng_alg=rng_alg, noise_shape=noise_shape, name=name)
    if _IN_DROPOUT_LAYER[0]:
        shape = noise_shape if noise_shape is not None else tf.shape(x)
        ones = tf.ones(shape, dtype=x.dtype)
        _LAYER_MASKS.append(_orig_stateless_dropout(ones, rate=rate, seed=seed, rng_alg=rng_alg, noise_shape=shape))
    return out


def _capturing_dropout_call(self, inputs, training=False):
    _IN_DROPOUT_LAYER[0] = True
    try:
        return _orig_dropout_call(self, inputs, training=training)
    finally:
        _IN_DROPOUT_LAYER[0] = False


tf.nn.experimental.stateless_dropout = _capturing_stateless_dropout
keras.layers.Dropout.call = _capturing_dropout_call


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
    make_inputs: optional (rng, batch, time, features, np_dtype) -> float inputs, instead of uniform(-1, 1)
    """

    kind = "calls"

    def __init__(self, suite, name, build, batch, time, features, *, tags, mask=None, initial_state=False,
                 training=False, input_scale=1.0, weights="uniform", vocab=None, zero_ids=None, calls=None,
                 state_scale=1.0, description="", make_inputs=None):
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
        self.make_inputs = make_inputs


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


def _begin(spec, dtype, root):
    """Seeds NumPy and Keras from the case's full name, sets floatx, creates the case folder:
    (full name, seed, rng, NumPy dtype, folder, array writer)."""
    full_name = spec.suite + "/" + spec.name + "__" + dtype
    seed = case_seed(full_name)
    rng = np.random.default_rng(seed)
    keras.backend.clear_session()
    keras.config.set_floatx(dtype)
    keras.utils.set_random_seed(seed)
    np_dtype = np.float32 if dtype == "float32" else np.float64
    folder = os.path.join(root, spec.suite, spec.name + "__" + dtype)
    os.makedirs(folder, exist_ok=False)
    return full_name, seed, rng, np_dtype, folder, _ArrayWriter(folder, np_dtype)


def _case_header(spec, full_name, dtype, seed):
    """The fields every case.json starts with (see FORMAT.md)."""
    return {
        "format_version": FORMAT_VERSION,
        "name": full_name,
        "suite": spec.suite,
        "case": spec.name,
        "dtype": dtype,
        "description": spec.description,
        "seed": seed,
        "tags": spec.tags,
    }


def _write_case_json(folder, case):
    with open(os.path.join(folder, "case.json"), "w", encoding="utf-8", newline="\n") as f:
        # Compact (one line): the Keras configs are verbose and the corpus must stay small; pretty-print with
        # `python -m json.tool case.json`.
        json.dump(case, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


def write_case(spec, dtype, root):
    full_name, seed, rng, np_dtype, folder, w = _begin(spec, dtype, root)
    tf_dtype = tf.float32 if dtype == "float32" else tf.float64

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
        if spec.make_inputs is not None:
            return np.asarray(spec.make_inputs(rng, spec.batch, t, spec.features, np_dtype)).astype(np_dtype)
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
        _LAYER_MASKS.clear()
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
            # Masks of the Dropout layers that drew one, in model order.
            expected = [l for l in _all_layers(layer) if isinstance(l, keras.layers.Dropout) and 0 < l.rate < 1]
            if len(_LAYER_MASKS) != len(expected):
                raise RuntimeError(full_name + ": captured %d Dropout layer masks for %d Dropout layers"
                                   % (len(_LAYER_MASKS), len(expected)))
            if isinstance(layer, keras.layers.Dropout) and _LAYER_MASKS:
                if not np.array_equal(outputs[0].numpy(), x_np * _LAYER_MASKS[0].numpy()):
                    raise RuntimeError(full_name + ": Dropout output is not inputs * captured mask")
            entry["dropout_layer_masks"] = [w.put(p + "dropout_layer_%d" % i, np.asarray(m))
                                            for i, m in enumerate(_LAYER_MASKS)]
        calls_json.append(entry)
        call_index += 1

    summaries = []
    if is_model:
        model_json = {"class_name": "Sequential", "config": layer.get_config()}
        for line_length in SUMMARY_LINE_LENGTHS:
            printed = []
            layer.summary(line_length=line_length, print_fn=lambda text, line_break=True: printed.append(text))
            summaries.append({"line_length": line_length, "text": "".join(printed)})
    else:
        model_json = {"class_name": layer.__class__.__name__, "config": layer.get_config()}
    case = _case_header(spec, full_name, dtype, seed)
    case.update({
        "layer": model_json,
        "input_kind": "token_ids" if token_inputs else "float",
        "training": bool(spec.training),
        "stateful": stateful,
        "weights": weight_entries,
        "calls": calls_json,
        "loss": LOSS_DEFINITION,
        "arrays": w.arrays,
    })
    if summaries:
        case["summaries"] = summaries
    _write_case_json(folder, case)
    return full_name


def _all_layers(layer):
    """The layer itself, or a Sequential model's layers in order."""
    return list(layer.layers) if isinstance(layer, keras.Sequential) else [layer]


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


# --- training trajectories ---------------------------------------------------------------------------------------

TRAJECTORY_LOSS = ("loss[k] = mean over the batch of categorical_crossentropy(targets, model(inputs, training=True)) at "
                   "the weights before step k; Keras computes it from the logits of the final softmax "
                   "(softmax_cross_entropy_with_logits), then the optimizer applies the gradient of that loss")


class TrajectorySpec:
    """A short training run: `steps` optimizer steps on fixed batches (batch k-1 mod len(batches) at step k), with
    Keras's default optimizer settings and categorical cross-entropy on the model's softmax output.

    build: () -> keras.Sequential ending in a softmax (Dense(activation='softmax') or Activation('softmax'))
    make_batch: (rng, batch, np_dtype) -> (inputs, integer labels)
    record_after: the steps after which the weights are stored
    """

    kind = "trajectory"

    def __init__(self, suite, name, build, optimizer, *, batches, batch, classes, make_batch, steps, record_after,
                 tags, description=""):
        self.suite = suite
        self.name = name
        self.build = build
        self.optimizer = optimizer
        self.batches = batches
        self.batch = batch
        self.classes = classes
        self.make_batch = make_batch
        self.steps = steps
        self.record_after = sorted(record_after)
        self.tags = tags
        self.description = description


def write_any(spec, dtype, root):
    """Writes a case of either kind; returns its full name."""
    if spec.kind == "trajectory":
        return write_trajectory(spec, dtype, root)
    return write_case(spec, dtype, root)


def write_trajectory(spec, dtype, root):
    full_name, seed, rng, np_dtype, folder, w = _begin(spec, dtype, root)

    model = spec.build()
    variables = list(model.trainable_weights)
    weight_entries = [{"name": v.path, "file": w.put("weight_%02d" % i, np.asarray(v.numpy()))}
                      for i, v in enumerate(variables)]
    batches = []
    data = []
    for b in range(spec.batches):
        x, labels = spec.make_batch(rng, spec.batch, np_dtype)
        targets = np.eye(spec.classes)[labels]
        data.append((tf.constant(x.astype(np_dtype)), tf.constant(targets.astype(np_dtype))))
        batches.append({"inputs": w.put("batch%d_inputs" % b, x), "targets": w.put("batch%d_targets" % b, targets)})
    optimizer = {"sgd": keras.optimizers.SGD, "adam": keras.optimizers.Adam}[spec.optimizer]()
    loss_fn = keras.losses.CategoricalCrossentropy()
    losses = []
    recorded = []
    schedule = []
    for step in range(1, spec.steps + 1):
        b = (step - 1) % spec.batches
        schedule.append(b)
        x, t = data[b]
        with tf.GradientTape() as tape:
            y = model(x, training=True)
            if not hasattr(y, "_keras_logits"):
                raise RuntimeError(full_name + ": the model output carries no softmax logits; Keras would compute "
                                   "the loss from probabilities, which this case kind does not describe")
            loss = loss_fn(t, y)
        grads = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(grads, variables))
        losses.append(float(loss.numpy()))
        if step in spec.record_after:
            recorded.append({"step": step, "weights": [w.put("step%02d_weight_%02d" % (step, i), np.asarray(v.numpy()))
                                                      for i, v in enumerate(variables)]})
    case = _case_header(spec, full_name, dtype, seed)
    case.update({
        "kind": "trajectory",
        "layer": {"class_name": "Sequential", "config": model.get_config()},
        "weights": weight_entries,
        "optimizer": {"class_name": optimizer.__class__.__name__, "config": _plain(optimizer.get_config())},
        "loss": {"class_name": loss_fn.__class__.__name__, "config": _plain(loss_fn.get_config()),
                 "computed_from": "logits", "definition": TRAJECTORY_LOSS},
        "training": True,
        "batches": batches,
        "schedule": schedule,
        "steps": spec.steps,
        "losses": w.put("losses", np.array(losses)),
        "weights_after": recorded,
        "arrays": w.arrays,
    })
    _write_case_json(folder, case)
    return full_name


def _plain(config):
    """An optimizer/loss config with NumPy scalars turned into plain JSON numbers."""
    out = {}
    for k, v in config.items():
        if isinstance(v, (np.floating, np.integer)):
            v = v.item()
        out[k] = v
    return out
