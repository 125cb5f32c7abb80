"""The catalog of golden cases. Each CaseSpec is written once per dtype (float32, float64).

Tags drive the coverage matrix of the conformance report: tags["cells"] lists the cell kinds involved
(SimpleRNN, LSTM, GRU, GRU(reset_after=False)), tags["options"] the options the case exercises.
"""
import numpy as np
import keras
from keras import layers

from casewriter import CaseSpec, TrajectorySpec

SUITES = ("simple_rnn", "lstm", "gru", "gru_reset_before", "activations", "bidirectional", "stacked", "stateful",
          "dropout", "tutorial", "dense", "model_layers", "tutorial_models", "trajectories")

# Cell kinds: suite name, tag, layer class, cell class, extra kwargs.
CELLS = [
    ("simple_rnn", "SimpleRNN", layers.SimpleRNN, layers.SimpleRNNCell, {}),
    ("lstm", "LSTM", layers.LSTM, layers.LSTMCell, {}),
    ("gru", "GRU", layers.GRU, layers.GRUCell, {"reset_after": True}),
    ("gru_reset_before", "GRU(reset_after=False)", layers.GRU, layers.GRUCell, {"reset_after": False}),
]

# Masks for batch 3, T 5: a full row, a row with holes, a row whose first step is masked.
MASK_HOLES = np.array([[1, 1, 1, 1, 1], [1, 0, 1, 1, 0], [0, 1, 1, 0, 1]], dtype=bool)
# Row 1 entirely masked; row 2 masked at the first step only.
MASK_FULLY_MASKED_ROW = np.array([[1, 1, 0, 1, 1], [0, 0, 0, 0, 0], [0, 1, 1, 1, 1]], dtype=bool)
# Every row masked at step 0 (with a non-zero initial state this is where implementations disagree).
MASK_FIRST_STEP = np.array([[0, 1, 1, 1, 1], [0, 0, 1, 0, 1], [0, 1, 0, 1, 1]], dtype=bool)

ACTIVATIONS = ["tanh", "sigmoid", "hard_sigmoid", "relu", "linear", "elu", "selu", "softplus", "softsign",
               "exponential", "relu6", "silu", "gelu", "hard_silu", "leaky_relu", "mish", "log_sigmoid", "hard_tanh"]
RECURRENT_ACTIVATIONS = ["hard_sigmoid", "tanh", "linear", "relu", "softsign", "silu"]
# Every activation Keras 3.15.1 accepts by name (keras.activations; 'threshold' needs arguments and cannot be named).
DENSE_ACTIVATIONS = ACTIVATIONS + ["celu", "hard_shrink", "soft_shrink", "sparse_plus", "sparse_sigmoid", "squareplus",
                                   "tanh_shrink", "softmax", "log_softmax", "sparsemax", "glu"]


def _layer(cls, units, extra, **kw):
    args = dict(extra)
    args.update(kw)
    return lambda: cls(units, **args)


def per_cell_cases():
    out = []
    for suite, tag, cls, _cell_cls, extra in CELLS:
        def add(name, options, units=3, batch=3, time=5, features=4, **kw):
            layer_kw = kw.pop("layer", {})
            out.append(CaseSpec(suite, name, _layer(cls, units, extra, **layer_kw), batch, time, features,
                                tags={"cells": [tag], "options": options}, **kw))

        add("last_output", ["last_output"])
        add("no_bias", ["use_bias=False", "return_sequences"], layer={"use_bias": False, "return_sequences": True})
        add("return_sequences", ["return_sequences"], layer={"return_sequences": True})
        add("return_state_last", ["return_state", "last_output"], layer={"return_state": True})
        add("return_state_sequences", ["return_state", "return_sequences"],
            layer={"return_state": True, "return_sequences": True})
        add("go_backwards_last", ["go_backwards", "last_output"], layer={"go_backwards": True})
        add("go_backwards_sequences", ["go_backwards", "return_sequences", "return_state"],
            layer={"go_backwards": True, "return_sequences": True, "return_state": True})
        add("initial_state", ["initial_state", "return_state", "return_sequences"], initial_state=True,
            layer={"return_state": True, "return_sequences": True})
        add("initial_state_go_backwards", ["initial_state", "go_backwards", "return_state"], initial_state=True,
            layer={"return_state": True, "go_backwards": True})
        add("mask_holes_sequences", ["mask_holes", "return_sequences", "return_state"], mask=MASK_HOLES,
            layer={"return_sequences": True, "return_state": True})
        add("mask_holes_last", ["mask_holes", "last_output"], mask=MASK_HOLES)
        add("mask_holes_go_backwards", ["mask_holes", "go_backwards", "return_sequences", "return_state"],
            mask=MASK_HOLES, layer={"go_backwards": True, "return_sequences": True, "return_state": True})
        add("mask_zero_output_for_mask", ["mask_holes", "zero_output_for_mask", "return_sequences"], mask=MASK_HOLES,
            layer={"return_sequences": True, "zero_output_for_mask": True})
        add("mask_first_step_initial_state", ["mask_first_step_with_initial_state", "initial_state",
                                               "return_sequences", "return_state"],
            mask=MASK_FIRST_STEP, initial_state=True, layer={"return_sequences": True, "return_state": True})
        add("mask_first_step_initial_state_backwards", ["mask_first_step_with_initial_state", "initial_state",
                                                         "go_backwards", "return_state"],
            mask=MASK_FIRST_STEP[:, ::-1].copy(), initial_state=True, layer={"return_state": True, "go_backwards": True})
        add("mask_fully_masked_row", ["fully_masked_row", "initial_state", "return_sequences", "return_state"],
            mask=MASK_FULLY_MASKED_ROW, initial_state=True, layer={"return_sequences": True, "return_state": True})
        add("mask_fully_masked_row_zero_state", ["fully_masked_row", "last_output", "return_state"],
            mask=MASK_FULLY_MASKED_ROW, layer={"return_state": True})
        add("t1", ["T=1", "return_state"], time=1, layer={"return_state": True})
        add("t1_sequences_initial_state", ["T=1", "initial_state", "return_sequences"], time=1, initial_state=True,
            layer={"return_sequences": True})
        add("t1_masked_initial_state", ["T=1", "fully_masked_row", "mask_first_step_with_initial_state",
                                         "initial_state", "return_sequences", "return_state"],
            time=1, mask=np.array([[True], [False], [True]]), initial_state=True,
            layer={"return_sequences": True, "return_state": True})
        add("unroll", ["unroll", "mask_holes", "return_sequences", "return_state"], mask=MASK_HOLES,
            layer={"unroll": True, "return_sequences": True, "return_state": True})
        if tag != "SimpleRNN":
            add("saturating_hard_sigmoid", ["saturating_inputs", "recurrent_activation=hard_sigmoid",
                                            "return_sequences", "return_state"], input_scale=50.0,
                layer={"recurrent_activation": "hard_sigmoid", "return_sequences": True, "return_state": True})
        add("units1", ["units=1", "return_sequences", "return_state"], units=1,
            layer={"return_sequences": True, "return_state": True})
        add("batch1_features1", ["batch=1", "return_sequences"], batch=1, features=1, layer={"return_sequences": True})
        add("saturating_inputs", ["saturating_inputs", "return_sequences", "return_state"], input_scale=50.0,
            layer={"return_sequences": True, "return_state": True})
        add("saturating_inputs_initial_state", ["saturating_inputs", "initial_state", "return_state"],
            input_scale=50.0, initial_state=True, state_scale=5.0, layer={"return_state": True})
        add("long_sequence_t600", ["long_sequence", "return_state"], units=4, batch=1, time=600, features=2,
            layer={"return_state": True})
        add("long_sequence_t500_masked", ["long_sequence", "mask_holes", "return_sequences"], units=3, batch=2,
            time=500, features=2, mask=_long_mask(2, 500), layer={"return_sequences": True})
        add("keras_initializers", ["keras_initializers", "return_sequences"], weights="keras",
            layer={"return_sequences": True})
        if tag != "GRU(reset_after=False)":
            add("wide_units256", ["wide_layer", "return_state"], units=256, batch=1, time=3, features=2,
                layer={"return_state": True})
        if tag == "LSTM":
            add("unit_forget_bias_false", ["unit_forget_bias=False", "keras_initializers", "return_sequences"],
                weights="keras", layer={"unit_forget_bias": False, "return_sequences": True})
            add("unit_forget_bias_false_random_weights", ["unit_forget_bias=False"],
                layer={"unit_forget_bias": False})
    return out


def _long_mask(batch, time):
    rng = np.random.default_rng(500)
    m = rng.random((batch, time)) > 0.2
    m[1, time - 50:] = False  # trailing padding on row 1
    return m


def activation_cases():
    out = []
    for _suite, tag, cls, _cell_cls, extra in CELLS:
        short = {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru", "GRU(reset_after=False)": "gru_rb"}[tag]
        for act in ACTIVATIONS:
            out.append(CaseSpec("activations", short + "_activation_" + act,
                                _layer(cls, 2, extra, activation=act, return_sequences=True, return_state=True),
                                2, 4, 3, tags={"cells": [tag], "options": ["activation=" + act, "return_sequences"]}))
        if tag != "SimpleRNN":
            for act in RECURRENT_ACTIVATIONS:
                out.append(CaseSpec("activations", short + "_recurrent_activation_" + act,
                                    _layer(cls, 2, extra, recurrent_activation=act, return_sequences=True,
                                           return_state=True),
                                    2, 4, 3,
                                    tags={"cells": [tag], "options": ["recurrent_activation=" + act,
                                                                      "return_sequences"]}))
        out.append(CaseSpec("activations", short + "_activation_none",
                            _layer(cls, 2, extra, activation=None, return_sequences=True),
                            2, 4, 3, tags={"cells": [tag], "options": ["activation=None", "return_sequences"]}))
    return out


def bidirectional_cases():
    # Note: Keras 3.15.1 rejects Bidirectional(layer with go_backwards=True): the backward copy is made with
    # go_backwards=True (not flipped), and _verify_layer_config raises. So no case wraps a go_backwards layer.
    out = []
    merges = ["concat", "sum", "mul", "ave", None]
    for _suite, tag, cls, _cell_cls, extra in CELLS:
        short = {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru", "GRU(reset_after=False)": "gru_rb"}[tag]
        for mm in merges:
            mname = "none" if mm is None else mm
            mtag = "merge_mode=" + str(mm)

            def bi(merge=mm, **kw):
                inner = _layer(cls, 3, extra, **kw)
                return lambda: layers.Bidirectional(inner(), merge_mode=merge)

            out.append(CaseSpec("bidirectional", short + "_" + mname + "_sequences",
                                bi(return_sequences=True), 3, 5, 4,
                                tags={"cells": [tag], "options": ["bidirectional", mtag, "return_sequences"]}))
            out.append(CaseSpec("bidirectional", short + "_" + mname + "_sequences_mask",
                                bi(return_sequences=True), 3, 5, 4, mask=MASK_HOLES,
                                tags={"cells": [tag], "options": ["bidirectional", mtag, "return_sequences",
                                                                  "mask_holes"]}))
            out.append(CaseSpec("bidirectional", short + "_" + mname + "_last_mask_state",
                                bi(return_state=True), 3, 5, 4, mask=MASK_FULLY_MASKED_ROW,
                                tags={"cells": [tag], "options": ["bidirectional", mtag, "last_output", "return_state",
                                                                  "fully_masked_row"]}))
            if tag in ("LSTM", "GRU"):
                out.append(CaseSpec("bidirectional", short + "_" + mname + "_sequences_mask_state_initial",
                                    bi(return_sequences=True, return_state=True), 3, 5, 4, mask=MASK_FIRST_STEP,
                                    initial_state=True,
                                    tags={"cells": [tag], "options": ["bidirectional", mtag, "return_sequences",
                                                                      "return_state", "initial_state",
                                                                      "mask_first_step_with_initial_state"]}))
    return out


def stacked_cases():
    out = []

    def seq(*layer_fns, t=5, f=4):
        return lambda: keras.Sequential([keras.Input(shape=(t, f))] + [fn() for fn in layer_fns])

    out.append(CaseSpec("stacked", "sequential_lstm_gru", seq(lambda: layers.LSTM(4, return_sequences=True),
                                                              lambda: layers.GRU(3)), 3, 5, 4,
                        tags={"cells": ["LSTM", "GRU"], "options": ["stacked_layers", "last_output"]}))
    out.append(CaseSpec("stacked", "sequential_gru_simple_rnn_sequences",
                        seq(lambda: layers.GRU(3, return_sequences=True, reset_after=False),
                            lambda: layers.SimpleRNN(2, return_sequences=True)), 3, 5, 4,
                        tags={"cells": ["GRU(reset_after=False)", "SimpleRNN"],
                              "options": ["stacked_layers", "return_sequences"]}))
    out.append(CaseSpec("stacked", "sequential_three_layers_mask",
                        seq(lambda: layers.LSTM(3, return_sequences=True),
                            lambda: layers.SimpleRNN(3, return_sequences=True),
                            lambda: layers.GRU(2)), 3, 5, 4, mask=MASK_HOLES,
                        tags={"cells": ["LSTM", "SimpleRNN", "GRU"],
                              "options": ["stacked_layers", "mask_holes", "last_output"]}))
    out.append(CaseSpec("stacked", "sequential_lstm_lstm_fully_masked_row",
                        seq(lambda: layers.LSTM(3, return_sequences=True), lambda: layers.LSTM(3)), 3, 5, 4,
                        mask=MASK_FULLY_MASKED_ROW,
                        tags={"cells": ["LSTM"], "options": ["stacked_layers", "fully_masked_row", "last_output"]}))
    out.append(CaseSpec("stacked", "sequential_bidirectional_lstm",
                        seq(lambda: layers.Bidirectional(layers.LSTM(3, return_sequences=True)),
                            lambda: layers.GRU(2)), 3, 5, 4, mask=MASK_HOLES,
                        tags={"cells": ["LSTM", "GRU"],
                              "options": ["stacked_layers", "bidirectional", "merge_mode=concat", "mask_holes"]}))
    out.append(CaseSpec("stacked", "sequential_lstm_dense",
                        seq(lambda: layers.LSTM(4, return_sequences=True), lambda: layers.Dense(2)), 3, 5, 4,
                        tags={"cells": ["LSTM"], "options": ["stacked_layers", "dense", "return_sequences"]}))
    out.append(CaseSpec("stacked", "sequential_go_backwards",
                        seq(lambda: layers.GRU(3, return_sequences=True, go_backwards=True),
                            lambda: layers.LSTM(2, return_sequences=True)), 3, 5, 4, mask=MASK_HOLES,
                        tags={"cells": ["GRU", "LSTM"],
                              "options": ["stacked_layers", "go_backwards", "mask_holes", "return_sequences"]}))

    def cells_rnn(cell_fns, **kw):
        return lambda: layers.RNN([fn() for fn in cell_fns], **kw)

    two = [lambda: layers.LSTMCell(3), lambda: layers.GRUCell(2)]
    three = [lambda: layers.SimpleRNNCell(3), lambda: layers.GRUCell(3, reset_after=False), lambda: layers.LSTMCell(2)]
    out.append(CaseSpec("stacked", "cells_lstm_gru_last", cells_rnn(two), 3, 5, 4,
                        tags={"cells": ["LSTM", "GRU"], "options": ["stacked_cells", "last_output"]}))
    out.append(CaseSpec("stacked", "cells_lstm_gru_state_sequences",
                        cells_rnn(two, return_sequences=True, return_state=True), 3, 5, 4,
                        tags={"cells": ["LSTM", "GRU"], "options": ["stacked_cells", "return_sequences",
                                                                   "return_state"]}))
    out.append(CaseSpec("stacked", "cells_three_initial_state", cells_rnn(three, return_state=True), 3, 5, 4,
                        initial_state=True,
                        tags={"cells": ["SimpleRNN", "GRU(reset_after=False)", "LSTM"],
                              "options": ["stacked_cells", "initial_state", "return_state"]}))
    out.append(CaseSpec("stacked", "cells_three_mask_backwards",
                        cells_rnn(three, return_sequences=True, return_state=True, go_backwards=True), 3, 5, 4,
                        mask=MASK_FULLY_MASKED_ROW, initial_state=True,
                        tags={"cells": ["SimpleRNN", "GRU(reset_after=False)", "LSTM"],
                              "options": ["stacked_cells", "go_backwards", "fully_masked_row", "initial_state",
                                          "return_sequences", "return_state"]}))
    out.append(CaseSpec("stacked", "cells_lstm_lstm_mask_holes",
                        cells_rnn([lambda: layers.LSTMCell(3), lambda: layers.LSTMCell(3)], return_sequences=True),
                        3, 5, 4, mask=MASK_HOLES,
                        tags={"cells": ["LSTM"], "options": ["stacked_cells", "mask_holes", "return_sequences"]}))
    out.append(CaseSpec("stacked", "cells_in_bidirectional",
                        lambda: layers.Bidirectional(layers.RNN([layers.GRUCell(2), layers.SimpleRNNCell(2)],
                                                                return_sequences=True), merge_mode="sum"),
                        3, 5, 4, mask=MASK_HOLES,
                        tags={"cells": ["GRU", "SimpleRNN"], "options": ["stacked_cells", "bidirectional",
                                                                        "merge_mode=sum", "mask_holes"]}))
    return out


def stateful_cases():
    out = []
    plan = [("call", 4), ("call", 3), ("call", 5), ("reset",), ("call", 4), ("call", 2)]
    for _suite, tag, cls, _cell_cls, extra in CELLS:
        short = {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru", "GRU(reset_after=False)": "gru_rb"}[tag]
        out.append(CaseSpec("stateful", short + "_sequences",
                            _layer(cls, 3, extra, stateful=True, return_sequences=True), 2, None, 3, calls=plan,
                            tags={"cells": [tag], "options": ["stateful", "return_sequences"]}))
        out.append(CaseSpec("stateful", short + "_last_return_state",
                            _layer(cls, 3, extra, stateful=True, return_state=True), 2, None, 3, calls=plan,
                            tags={"cells": [tag], "options": ["stateful", "return_state", "last_output"]}))
        out.append(CaseSpec("stateful", short + "_masked",
                            _layer(cls, 3, extra, stateful=True, return_sequences=True), 3, None, 4,
                            calls=[("call", 5), ("call", 5), ("reset",), ("call", 5)], mask=MASK_HOLES,
                            tags={"cells": [tag], "options": ["stateful", "mask_holes", "return_sequences"]}))
    out.append(CaseSpec("stateful", "stacked_cells",
                        lambda: layers.RNN([layers.LSTMCell(3), layers.SimpleRNNCell(2)], stateful=True,
                                           return_sequences=True), 2, None, 3, calls=plan,
                        tags={"cells": ["LSTM", "SimpleRNN"], "options": ["stateful", "stacked_cells",
                                                                         "return_sequences"]}))
    out.append(CaseSpec("stateful", "bidirectional_lstm",
                        lambda: layers.Bidirectional(layers.LSTM(3, stateful=True, return_sequences=True)), 2, None, 3,
                        calls=plan, tags={"cells": ["LSTM"], "options": ["stateful", "bidirectional", "merge_mode=concat",
                                                                         "return_sequences"]}))
    out.append(CaseSpec("stateful", "go_backwards",
                        lambda: layers.GRU(3, stateful=True, go_backwards=True, return_state=True), 2, None, 3,
                        calls=plan, tags={"cells": ["GRU"], "options": ["stateful", "go_backwards", "return_state"]}))
    return out


def dropout_cases():
    out = []
    for _suite, tag, cls, _cell_cls, extra in CELLS:
        short = {"SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru", "GRU(reset_after=False)": "gru_rb"}[tag]
        per_gate = tag != "SimpleRNN"
        out.append(CaseSpec("dropout", short + "_input_dropout",
                            _layer(cls, 3, extra, dropout=0.3, return_sequences=True), 3, 5, 4, training=True,
                            tags={"cells": [tag], "options": ["dropout", "dropout_shared_mask", "return_sequences"]}))
        rec_opts = ["recurrent_dropout", "dropout_per_gate_masks" if per_gate else "dropout_shared_mask"]
        out.append(CaseSpec("dropout", short + "_recurrent_dropout",
                            _layer(cls, 3, extra, recurrent_dropout=0.4, return_sequences=True), 3, 5, 4,
                            training=True, tags={"cells": [tag], "options": rec_opts + ["return_sequences"]}))
        out.append(CaseSpec("dropout", short + "_both_dropouts_state",
                            _layer(cls, 3, extra, dropout=0.25, recurrent_dropout=0.5, return_state=True),
                            3, 5, 4, training=True, initial_state=True,
                            tags={"cells": [tag], "options": ["dropout"] + rec_opts + ["return_state",
                                                                                       "initial_state"]}))
        out.append(CaseSpec("dropout", short + "_both_dropouts_mask",
                            _layer(cls, 3, extra, dropout=0.2, recurrent_dropout=0.3, return_sequences=True,
                                   go_backwards=True), 3, 5, 4, training=True, mask=MASK_HOLES,
                            tags={"cells": [tag], "options": ["dropout"] + rec_opts + ["mask_holes", "go_backwards",
                                                                                       "return_sequences"]}))
    out.append(CaseSpec("dropout", "bidirectional_lstm",
                        lambda: layers.Bidirectional(layers.LSTM(3, dropout=0.2, recurrent_dropout=0.3,
                                                                 return_sequences=True)), 3, 5, 4, training=True,
                        mask=MASK_HOLES,
                        tags={"cells": ["LSTM"], "options": ["dropout", "recurrent_dropout", "dropout_per_gate_masks",
                                                             "bidirectional", "merge_mode=concat", "mask_holes"]}))
    out.append(CaseSpec("dropout", "stacked_cells",
                        lambda: layers.RNN([layers.GRUCell(3, dropout=0.3), layers.LSTMCell(2, recurrent_dropout=0.3)],
                                           return_sequences=True), 3, 5, 4, training=True,
                        tags={"cells": ["GRU", "LSTM"], "options": ["dropout", "recurrent_dropout",
                                                                   "dropout_shared_mask", "dropout_per_gate_masks",
                                                                   "stacked_cells"]}))
    out.append(CaseSpec("dropout", "sequential_layers",
                        lambda: keras.Sequential([keras.Input(shape=(5, 4)),
                                                  layers.SimpleRNN(3, dropout=0.3, recurrent_dropout=0.2,
                                                                   return_sequences=True),
                                                  layers.GRU(2, recurrent_dropout=0.25)]), 3, 5, 4, training=True,
                        tags={"cells": ["SimpleRNN", "GRU"], "options": ["dropout", "recurrent_dropout",
                                                                        "dropout_shared_mask",
                                                                        "dropout_per_gate_masks", "stacked_layers"]}))
    return out


def tutorial_cases():
    out = []
    post_pad = np.zeros((3, 6), dtype=bool)
    post_pad[1, 4:] = True
    post_pad[2, 2:] = True
    pre_pad = np.zeros((3, 6), dtype=bool)
    pre_pad[0, :3] = True
    pre_pad[2, :1] = True
    holes = np.zeros((3, 6), dtype=bool)
    holes[0, 2] = True
    holes[1, [0, 3, 5]] = True
    holes[2, :] = True  # an all-padding row

    def model(*fns, vocab=40, dim=5, mask_zero=True, t=6):
        return lambda: keras.Sequential([keras.Input(shape=(t,), dtype="int32"),
                                         layers.Embedding(vocab, dim, mask_zero=mask_zero)] + [fn() for fn in fns])

    def add(name, build, zero_ids, cells, options):
        out.append(CaseSpec("tutorial", name, build, 3, 6, None, vocab=40, zero_ids=zero_ids,
                            tags={"cells": cells, "options": ["embedding_mask_zero"] + options}))

    add("embedding_lstm_dense", model(lambda: layers.LSTM(6), lambda: layers.Dense(4)), post_pad, ["LSTM"],
        ["post_padding", "dense"])
    add("embedding_lstm_dense_pre_padding", model(lambda: layers.LSTM(6), lambda: layers.Dense(4)), pre_pad,
        ["LSTM"], ["pre_padding", "dense"])
    add("embedding_gru_simple_rnn_dense",
        model(lambda: layers.GRU(5, return_sequences=True), lambda: layers.SimpleRNN(4), lambda: layers.Dense(3)),
        post_pad, ["GRU", "SimpleRNN"], ["post_padding", "stacked_layers", "dense"])
    add("embedding_simple_rnn_dense_sigmoid",
        model(lambda: layers.SimpleRNN(4), lambda: layers.Dense(3, activation="sigmoid")), holes, ["SimpleRNN"],
        ["mask_holes", "fully_masked_row", "dense"])
    add("embedding_bidirectional_lstm_dense",
        model(lambda: layers.Bidirectional(layers.LSTM(4)), lambda: layers.Dense(2)), post_pad, ["LSTM"],
        ["post_padding", "bidirectional", "merge_mode=concat", "dense"])
    add("embedding_gru_sequences_dense",
        model(lambda: layers.GRU(4, return_sequences=True, reset_after=False), lambda: layers.Dense(2, activation="tanh")),
        holes, ["GRU(reset_after=False)"], ["mask_holes", "fully_masked_row", "return_sequences", "dense"])
    out.append(CaseSpec("tutorial", "embedding_no_mask_lstm_dense",
                        model(lambda: layers.LSTM(4), lambda: layers.Dense(2), mask_zero=False), 3, 6, None, vocab=40,
                        zero_ids=post_pad, tags={"cells": ["LSTM"], "options": ["embedding", "dense"]}))
    out.append(CaseSpec("tutorial", "lstm10_one_feature_dense",
                        lambda: keras.Sequential([keras.Input(shape=(8, 1)), layers.LSTM(10), layers.Dense(1)]),
                        2, 8, 1, tags={"cells": ["LSTM"], "options": ["dense", "last_output"]}))
    out.append(CaseSpec("tutorial", "simple_rnn3_one_feature_dense",
                        lambda: keras.Sequential([keras.Input(shape=(8, 1)), layers.SimpleRNN(3), layers.Dense(1)]),
                        2, 8, 1, tags={"cells": ["SimpleRNN"], "options": ["dense", "last_output"]}))
    return out


def dense_cases():
    """Dense with every Keras activation, on (batch, time, features) inputs: the activation acts on the last axis."""
    out = []
    for act in DENSE_ACTIVATIONS:
        # Inputs in (-2, 2) so that pre-activations cross every kink (±0.5, ±1) and sparsemax has supports of several sizes.
        out.append(CaseSpec("dense", "dense_" + act, lambda a=act: layers.Dense(6, activation=a), 2, 3, 4,
                            input_scale=2.0, tags={"cells": [], "options": ["dense", "dense_activation=" + act]}))
    out.append(CaseSpec("dense", "dense_softmax_no_bias", lambda: layers.Dense(5, activation="softmax", use_bias=False),
                        3, 2, 4, tags={"cells": [], "options": ["dense", "dense_activation=softmax", "use_bias=False"]}))
    out.append(CaseSpec("dense", "dense_softmax_large_logits", lambda: layers.Dense(4, activation="softmax"), 2, 3, 4,
                        input_scale=40.0, tags={"cells": [], "options": ["dense", "dense_activation=softmax",
                                                                         "saturating_inputs"]}))
    return out


def _padded_steps(batch, time, lengths):
    """(batch, time) True where a row is padding: row b is real for its first lengths[b] steps."""
    pad = np.zeros((batch, time), dtype=bool)
    for b, n in enumerate(lengths):
        pad[b, n:] = True
    return pad


def _with_mask_value(pad, value, scale=1.0, partial=None):
    """Inputs uniform(-1, 1)*scale whose padded steps are all `value` (Masking masks them); `partial` (b, t) steps
    have only their first feature equal to `value` (not masked)."""
    def make(rng, batch, time, features, np_dtype):
        x = rng.uniform(-1.0, 1.0, size=(batch, time, features)) * scale
        x[pad[:batch, :time]] = value
        if partial is not None:
            for b, t in partial:
                x[b, t, 0] = value
        return x
    return make


def _post_padded_ids(lengths, vocabulary):
    """Reuters-style inputs: token ids 1..vocabulary-1 as (batch, time, 1) features scaled to (0, 1] (id / vocabulary),
    post-padded with 0 after each row's length."""
    def make(rng, batch, time, features, np_dtype):
        ids = rng.integers(1, vocabulary, size=(batch, time, features)).astype(np.float64) / vocabulary
        ids[_padded_steps(batch, time, lengths)] = 0.0
        return ids
    return make


def model_layer_cases():
    """The Activation, Dropout and Masking layers, alone and in small models."""
    out = []
    for act in ["softmax", "log_softmax", "sparsemax", "glu", "relu", "tanh"]:
        out.append(CaseSpec("model_layers", "activation_layer_" + act, lambda a=act: layers.Activation(a), 2, 3, 6,
                            input_scale=2.0, tags={"cells": [], "options": ["activation_layer", "dense_activation=" + act]}))
    out.append(CaseSpec("model_layers", "dropout_inference", lambda: layers.Dropout(0.3), 2, 3, 4,
                        tags={"cells": [], "options": ["dropout_layer"]}))
    out.append(CaseSpec("model_layers", "dropout_training", lambda: layers.Dropout(0.3), 2, 3, 4, training=True,
                        tags={"cells": [], "options": ["dropout_layer", "dropout_layer_training"]}))
    out.append(CaseSpec("model_layers", "dropout_training_noise_shape",
                        lambda: layers.Dropout(0.5, noise_shape=(None, 1, 4)), 3, 3, 4, training=True,
                        tags={"cells": [], "options": ["dropout_layer", "dropout_layer_training", "noise_shape"]}))
    out.append(CaseSpec("model_layers", "dropout_training_rate_one", lambda: layers.Dropout(1.0), 2, 3, 4, training=True,
                        tags={"cells": [], "options": ["dropout_layer", "dropout_layer_training", "rate=1"]}))
    out.append(CaseSpec("model_layers", "dropout_between_lstms_training",
                        lambda: keras.Sequential([keras.Input(shape=(5, 3)), layers.LSTM(4, return_sequences=True),
                                                  layers.Dropout(0.4), layers.LSTM(3, recurrent_dropout=0.25),
                                                  layers.Dropout(0.3), layers.Dense(2)]), 3, 5, 3, training=True,
                        tags={"cells": ["LSTM"], "options": ["stacked_layers", "dropout_layer", "dropout_layer_training",
                                                             "recurrent_dropout", "dropout_per_gate_masks", "dense"]}))
    pad = _padded_steps(3, 5, [5, 3, 1])
    out.append(CaseSpec("model_layers", "masking_lstm_sequences",
                        lambda: keras.Sequential([keras.Input(shape=(5, 3)), layers.Masking(0.0),
                                                  layers.LSTM(4, return_sequences=True)]), 3, 5, 3,
                        make_inputs=_with_mask_value(pad, 0.0, partial=[(0, 1)]),
                        tags={"cells": ["LSTM"], "options": ["masking", "post_padding", "return_sequences"]}))
    holes = np.array([[0, 1, 0, 0, 1], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)
    out.append(CaseSpec("model_layers", "masking_value_minus_one_gru_dense_softmax",
                        lambda: keras.Sequential([keras.Input(shape=(5, 3)), layers.Masking(-1.0), layers.GRU(4),
                                                  layers.Dense(3, activation="softmax")]), 3, 5, 3,
                        make_inputs=_with_mask_value(holes, -1.0),
                        tags={"cells": ["GRU"], "options": ["masking", "mask_holes", "fully_masked_row", "dense",
                                                            "dense_activation=softmax"]}))
    out.append(CaseSpec("model_layers", "masking_bidirectional_simple_rnn_activation",
                        lambda: keras.Sequential([keras.Input(shape=(5, 3)), layers.Masking(0.0),
                                                  layers.Bidirectional(layers.SimpleRNN(3, return_sequences=True)),
                                                  layers.Dense(4), layers.Activation("log_softmax")]), 3, 5, 3,
                        make_inputs=_with_mask_value(pad, 0.0),
                        tags={"cells": ["SimpleRNN"], "options": ["masking", "post_padding", "bidirectional",
                                                                  "merge_mode=concat", "dense", "activation_layer"]}))
    return out


TUTORIAL_DESCRIPTIONS = {
    "mnist_lstm50_dense10_softmax": "sequential MNIST: LSTM(50, input_shape=(28, 28)) + Dense(10, activation='softmax')",
    "reuters_simple_rnn50_dense46_softmax": "Reuters, 49 steps x 1 feature: SimpleRNN(50) + Dense(46) + Activation('softmax')",
    "reuters_stacked_simple_rnn50_dense46_softmax": "Reuters: SimpleRNN(50, return_sequences=True) + SimpleRNN(50) + "
                                                    "Dense(46) + Activation('softmax')",
    "reuters_lstm50_dense46_softmax": "Reuters: LSTM(50) + Dense(46) + Activation('softmax')",
    "reuters_stacked_lstm50_dense46_softmax": "Reuters: LSTM(50, return_sequences=True) + LSTM(50) + Dense(46) + "
                                              "Activation('softmax')",
    "embedding_lstm128_dense10": "Keras RNN guide: Embedding(1000, 64) + LSTM(128) + Dense(10), 164,106 parameters",
    "embedding_gru256_simple_rnn128_dense10": "Keras RNN guide: Embedding(1000, 64) + GRU(256, return_sequences=True) + "
                                              "SimpleRNN(128) + Dense(10), 361,866 parameters",
    "lstm50_dropout_lstm50_dense1": "LSTM(50, return_sequences=True) + Dropout(0.2) + LSTM(50) + Dropout(0.2) + Dense(1) "
                                    "on 60 steps x 1 feature",
    "rnn_lstm_cell10_one_feature_dense": "RNN(LSTMCell(10)) + Dense(1), the same layer as LSTM(10)",
}


def tutorial_model_cases():
    """The seed tutorials' whole models at their shapes and units (small batches), with Keras's own initial weights
    as the tutorials train them, as written and with their inputs post-padded and masked (Masking, or
    Embedding(mask_zero=True))."""
    out = []

    def seq(input_shape, *fns, dtype=None):
        inp = keras.Input(shape=input_shape) if dtype is None else keras.Input(shape=input_shape, dtype=dtype)
        return lambda: keras.Sequential([inp] + [fn() for fn in fns])

    def add(name, build, batch, time, features, cells, options, **kw):
        kw.setdefault("description", TUTORIAL_DESCRIPTIONS[name.replace("_masking", "").replace("_mask_zero", "")
                                                           .replace("_training", "")])
        out.append(CaseSpec("tutorial_models", name, build, batch, time, features, weights="keras",
                            tags={"cells": cells, "options": ["keras_initializers"] + options}, **kw))

    # Sequential MNIST: LSTM(50, input_shape=(28, 28)) + Dense(10, softmax); images post-padded by zero rows.
    add("mnist_lstm50_dense10_softmax",
        lambda: keras.Sequential([keras.Input(shape=(28, 28)), layers.LSTM(50), layers.Dense(10, activation="softmax")]),
        2, 28, 28, ["LSTM"], ["dense", "dense_activation=softmax", "last_output"],
        make_inputs=lambda rng, b, t, f, d: rng.uniform(0.0, 1.0, size=(b, t, f)))
    add("mnist_lstm50_dense10_softmax_masking",
        lambda: keras.Sequential([keras.Input(shape=(28, 28)), layers.Masking(0.0), layers.LSTM(50),
                                  layers.Dense(10, activation="softmax")]),
        2, 28, 28, ["LSTM"], ["masking", "post_padding", "dense", "dense_activation=softmax", "last_output"],
        make_inputs=_with_mask_value(_padded_steps(2, 28, [28, 20]), 0.0))
    # Reuters: 49 steps x 1 feature (token ids, post-padded), 46 classes; Dense(46) + Activation('softmax').
    reuters = [("simple_rnn50", ["SimpleRNN"], lambda: [layers.SimpleRNN(50)]),
               ("stacked_simple_rnn50", ["SimpleRNN"],
                lambda: [layers.SimpleRNN(50, return_sequences=True), layers.SimpleRNN(50)]),
               ("lstm50", ["LSTM"], lambda: [layers.LSTM(50)]),
               ("stacked_lstm50", ["LSTM"], lambda: [layers.LSTM(50, return_sequences=True), layers.LSTM(50)])]
    lengths = [49, 30]
    for short, cells, rnn in reuters:
        stacked = ["stacked_layers"] if short.startswith("stacked") else []
        for masked in (False, True):
            def build(rnn=rnn, masked=masked):
                pre = [layers.Masking(0.0)] if masked else []
                return keras.Sequential([keras.Input(shape=(49, 1))] + pre + rnn()
                                        + [layers.Dense(46), layers.Activation("softmax")])
            add("reuters_" + short + "_dense46_softmax" + ("_masking" if masked else ""), build, 2, 49, 1, cells,
                (["masking"] if masked else []) + ["post_padding"] + stacked + ["dense", "activation_layer"],
                make_inputs=_post_padded_ids(lengths, 1000))
    # Keras RNN guide: Embedding(1000, 64) + LSTM(128) + Dense(10); Embedding(1000, 64) + GRU(256) + SimpleRNN(128)
    # + Dense(10); token ids post-padded with 0 (mask_zero=True masks them).
    post_pad = _padded_steps(2, 10, [10, 6])
    guide = [("embedding_lstm128_dense10", ["LSTM"], lambda: [layers.LSTM(128), layers.Dense(10)]),
             ("embedding_gru256_simple_rnn128_dense10", ["GRU", "SimpleRNN"],
              lambda: [layers.GRU(256, return_sequences=True), layers.SimpleRNN(128), layers.Dense(10)])]
    for short, cells, rest in guide:
        stacked = ["stacked_layers"] if len(cells) > 1 else []
        for masked in (False, True):
            def build(rest=rest, masked=masked):
                return keras.Sequential([keras.Input(shape=(None,), dtype="int32"),
                                         layers.Embedding(1000, 64, mask_zero=masked)] + rest())
            add(short + ("_mask_zero" if masked else ""), build, 2, 10, None, cells,
                (["embedding_mask_zero", "post_padding"] if masked else ["embedding"]) + stacked + ["dense"],
                vocab=1000, zero_ids=post_pad)
    # LSTM layers with a Dropout layer between them (60 steps x 1 feature), at inference and in training.
    for training in (False, True):
        add("lstm50_dropout_lstm50_dense1" + ("_training" if training else ""),
            lambda: keras.Sequential([keras.Input(shape=(60, 1)), layers.LSTM(50, return_sequences=True),
                                      layers.Dropout(0.2), layers.LSTM(50), layers.Dropout(0.2), layers.Dense(1)]),
            2, 60, 1, ["LSTM"], ["stacked_layers", "dropout_layer"] + (["dropout_layer_training"] if training else [])
            + ["dense"], training=training,
            make_inputs=lambda rng, b, t, f, d: rng.uniform(0.0, 1.0, size=(b, t, f)))
    # RNN(LSTMCell(10)) is LSTM(10) (compare tutorial/lstm10_one_feature_dense).
    add("rnn_lstm_cell10_one_feature_dense",
        lambda: keras.Sequential([keras.Input(shape=(8, 1)), layers.RNN(layers.LSTMCell(10)), layers.Dense(1)]),
        2, 8, 1, ["LSTM"], ["dense", "last_output", "rnn_with_cell"])
    return out


def _linearly_labelled(shape, classes, values):
    """A batch maker for synthetic classification data: inputs from values(rng, shape), labels = argmax of a fixed
    random linear map of the flattened inputs (drawn from the case's generator once, so every batch shares it)."""
    state = {}

    def make(rng, batch, np_dtype):
        if "projection" not in state:
            state["projection"] = rng.standard_normal((int(np.prod(shape)), classes))
        x = values(rng, (batch,) + shape)
        labels = np.argmax(x.reshape(batch, -1) @ state["projection"], axis=-1)
        return x.astype(np_dtype), labels
    return make


def trajectory_cases():
    """Short training runs of two tutorial models (20 steps, SGD and Adam with Keras defaults) on 4 fixed synthetic
    batches; weights recorded after steps 1, 2, 5, 10 and 20."""
    out = []

    def mnist():
        return keras.Sequential([keras.Input(shape=(28, 28)), layers.LSTM(50), layers.Dense(10, activation="softmax")])

    def reuters():
        return keras.Sequential([keras.Input(shape=(49, 1)), layers.SimpleRNN(50), layers.Dense(46),
                                 layers.Activation("softmax")])

    def images(rng, shape):
        return rng.uniform(0.0, 1.0, size=shape)

    def token_ids(rng, shape):
        x = rng.integers(1, 1000, size=shape) / 1000.0
        lengths = rng.integers(shape[1] // 2, shape[1] + 1, size=shape[0])
        for b, n in enumerate(lengths):
            x[b, n:] = 0.0  # post-padding, as the Reuters tutorial pads
        return x

    models = [("mnist_lstm50_dense10_softmax", mnist, ["LSTM"], (28, 28), 10, images),
              ("reuters_simple_rnn50_dense46_softmax", reuters, ["SimpleRNN"], (49, 1), 46, token_ids)]
    for name, build, cells, shape, classes, values in models:
        for optimizer in ("sgd", "adam"):
            out.append(TrajectorySpec("trajectories", name + "_" + optimizer, build, optimizer, batches=4, batch=4,
                                      classes=classes, make_batch=_linearly_labelled(shape, classes, values), steps=20,
                                      record_after=[1, 2, 5, 10, 20],
                                      description=TUTORIAL_DESCRIPTIONS[name] + "; 20 steps of "
                                      + {"sgd": "SGD()", "adam": "Adam()"}[optimizer] + " on 4 synthetic batches",
                                      tags={"cells": cells, "options": ["training_trajectory", "optimizer=" + optimizer,
                                                                        "categorical_crossentropy", "dense"]}))
    return out


def all_cases():
    return (per_cell_cases() + activation_cases() + bidirectional_cases() + stacked_cases() + stateful_cases()
            + dropout_cases() + tutorial_cases() + dense_cases() + model_layer_cases() + tutorial_model_cases()
            + trajectory_cases())
