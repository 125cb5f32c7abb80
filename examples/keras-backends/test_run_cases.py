#!/usr/bin/env python3
"""Tests of run_cases.py's own parts, on two golden cases exported by `rnnkit export` (a masked Bidirectional GRU
and three stacked cells with nested initial states, both float32): reading the case files, setting the weights by
their structural keys, writing the result files, the diagnosis-patch registry, and the error and backward-error
files. They run the driver on Keras's torch backend (the faster one to start), and once on JAX with and without the
`jax-unroll-masked` patch; they need Java for the repository's `rnnkit` launcher, which exports the cases and
verifies the results.

    python examples/keras-backends/test_run_cases.py        # from the repository root, in the driver's environment
"""
import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DRIVER = os.path.join(HERE, "run_cases.py")
CASES = ["bidirectional/gru_ave_last_mask_state__float32", "stacked/cells_three_initial_state__float32"]
# A leading masked step with an initial state: the JAX backend's scan loop outputs h0 there, TensorFlow zeros.
MASKED_CASE = "simple_rnn/mask_first_step_initial_state__float32"


def rnnkit(*args):
    """Runs the repository's launcher; returns (exit code, stdout + stderr)."""
    p = subprocess.run([os.path.join(ROOT, "rnnkit"), *args], capture_output=True, text=True, timeout=900)
    return p.returncode, p.stdout + p.stderr


def load_driver():
    """The driver as a module, imported for the torch backend (its command line is parsed at import time)."""
    saved = sys.argv
    sys.argv = [DRIVER, "--backend", "torch", "unused-export", "unused-results"]
    try:
        spec = importlib.util.spec_from_file_location("run_cases", DRIVER)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.argv = saved
    return module


def setUpModule():
    global D, TMP, EXPORT
    TMP = tempfile.mkdtemp(prefix="run-cases-test-")
    EXPORT = os.path.join(TMP, "cases")
    code, text = rnnkit("export", "--include", ",".join(CASES), "--out", EXPORT)
    if code != 0:
        raise RuntimeError(f"rnnkit export failed ({code}):\n{text}")
    D = load_driver()


def tearDownModule():
    shutil.rmtree(TMP, ignore_errors=True)


def read_case(name, export=None):
    case_dir = os.path.join(export or EXPORT, name)
    with open(os.path.join(case_dir, "case.json")) as f:
        return json.load(f), case_dir


def run_driver(*argv, export=None):
    """The driver's main() in this process with the given options; returns (results folder, printed text)."""
    results = tempfile.mkdtemp(dir=TMP)
    D.ARGS = D.parse_args(["--backend", "torch", *argv, export or EXPORT, results])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        D.main()
    return results, out.getvalue()


def expected_files(case):
    """Every result file the case's calls name, with its exported shape and dtype."""
    files = []
    for call in case["calls"]:
        if call.get("reset_state"):
            continue
        e = call["expected"]
        files += e["outputs"] + e.get("states", [])
        g = e.get("gradients") or {}
        files += ([g["inputs"]] if g.get("inputs") else []) + g.get("weights", []) + g.get("initial_states", [])
    return [(f, tuple(case["arrays"][f]["shape"]), np.dtype(case["arrays"][f]["dtype"])) for f in files]


class WeightsByStructuralKey(unittest.TestCase):
    def test_every_weight_lands_in_the_variable_its_key_names(self):
        for name in CASES:
            with self.subTest(case=name):
                case, case_dir = read_case(name)
                D.keras.backend.clear_session()
                layer = D.layer_with_weights(case, case_dir)
                self.assertEqual(len(layer.trainable_variables), len(case["weights"]))
                for v, entry in zip(layer.trainable_variables, case["weights"]):
                    np.testing.assert_array_equal(D.to_numpy(v.value), np.load(os.path.join(case_dir, entry["file"])),
                                                  err_msg=f"{name}: weight {entry['key']} in {v.path}")

    def test_keys_name_the_bidirectional_half_and_the_stacked_cell(self):
        case, case_dir = read_case(CASES[0])
        layer = D.layer_with_weights(case, case_dir)
        self.assertIs(D.variable_for(layer, "backward/kernel"), layer.backward_layer.cell.kernel)
        self.assertIs(D.variable_for(layer, "forward/recurrent_kernel"), layer.forward_layer.cell.recurrent_kernel)
        case, case_dir = read_case(CASES[1])
        layer = D.layer_with_weights(case, case_dir)
        self.assertIs(D.variable_for(layer, "cell_2/bias"), layer.cell.cells[2].bias)

    def test_an_unknown_step_is_an_error_naming_the_key(self):
        case, case_dir = read_case(CASES[0])
        layer = D.layer_with_weights(case, case_dir)
        with self.assertRaisesRegex(RuntimeError, "'sideways'.*'sideways/kernel'"):
            D.variable_for(layer, "sideways/kernel")

    def test_a_weight_of_the_wrong_shape_is_an_error_naming_the_variable(self):
        case, case_dir = read_case(CASES[0])
        bad = dict(case, weights=[dict(case["weights"][0], file=case["weights"][1]["file"])] + case["weights"][1:])
        with self.assertRaisesRegex(RuntimeError, r"has shape \(4, 9\); weight forward/kernel is \(3, 9\)"):
            D.layer_with_weights(bad, case_dir)


class ResultFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.results, cls.printed = run_driver()

    def test_every_named_result_file_is_written_in_the_exported_shape_and_dtype(self):
        for name in CASES:
            case, _ = read_case(name)
            out = os.path.join(self.results, name)
            self.assertFalse(os.path.exists(os.path.join(out, "error.txt")), name)
            self.assertEqual(sorted(os.listdir(out)), sorted(f for f, _, _ in expected_files(case)), name)
            for f, shape, dtype in expected_files(case):
                a = np.load(os.path.join(out, f))
                self.assertEqual((a.shape, a.dtype), (shape, dtype), f"{name}/{f}")
                self.assertTrue(a.flags["C_CONTIGUOUS"], f"{name}/{f}")
        self.assertIn("2/2 cases ({'ran': 2, 'error': 0, 'backward error': 0})", self.printed)

    def test_rnnkit_verify_passes_the_results_forward_and_backward(self):
        code, text = rnnkit("verify", "--cases", EXPORT, "--results", self.results, "--report-dir",
                            os.path.join(TMP, "report"), "--name", "driver-test", "--format", "md")
        self.assertEqual(code, 0, text)
        self.assertIn("2 passed, 0 failed, 0 errors, 0 unsupported", text)
        with open(os.path.join(TMP, "report", "driver-test.md")) as f:
            self.assertNotIn("forward only", f.read().lower())

    def test_names_and_include_select_cases(self):
        names = os.path.join(TMP, "names.txt")
        with open(names, "w") as f:
            f.write(CASES[1] + "\n\n")
        results, _ = run_driver("--names", names)
        self.assertEqual(os.listdir(results), ["stacked"])
        results, _ = run_driver("--include", "gru_ave")
        self.assertEqual(os.listdir(results), ["bidirectional"])


class ErrorFiles(unittest.TestCase):
    def test_a_case_keras_refuses_gets_error_txt_and_the_run_goes_on(self):
        export = os.path.join(TMP, "broken-export")
        shutil.copytree(EXPORT, export)
        path = os.path.join(export, CASES[0], "case.json")
        with open(path) as f:
            case = json.load(f)
        case["layer"]["config"]["merge_mode"] = "average"
        with open(path, "w") as f:
            json.dump(case, f)
        results, printed = run_driver(export=export)
        with open(os.path.join(results, CASES[0], "error.txt")) as f:
            text = f.read()
        self.assertRegex(text.splitlines()[0], r"^ValueError: Invalid merge mode\. Received: average\.")
        self.assertEqual(os.listdir(os.path.join(results, CASES[0])), ["error.txt"])
        self.assertFalse(os.path.exists(os.path.join(results, CASES[1], "error.txt")))
        self.assertIn("'ran': 1, 'error': 1", printed)

    def test_a_failing_backward_keeps_the_forward_files_and_writes_backward_error_txt(self):
        def refuse(*a, **k):
            raise RuntimeError("planted backward failure")
        grad = D.torch.autograd.grad
        D.torch.autograd.grad = refuse
        try:
            results, printed = run_driver("--names", self.one_name_file())
        finally:
            D.torch.autograd.grad = grad
        case, _ = read_case(CASES[1])
        out = os.path.join(results, CASES[1])
        forward = {f for c in case["calls"] if not c.get("reset_state")
                   for f in c["expected"]["outputs"] + c["expected"].get("states", [])}
        self.assertEqual(set(os.listdir(out)), forward | {"backward_error.txt"})
        with open(os.path.join(out, "backward_error.txt")) as f:
            self.assertEqual(f.read(), "RuntimeError: planted backward failure\n")
        self.assertIn("'backward error': 1", printed)

    @staticmethod
    def one_name_file():
        path = os.path.join(TMP, "one-name.txt")
        with open(path, "w") as f:
            f.write(CASES[1] + "\n")
        return path

    def test_error_text_puts_the_cause_of_a_keras_call_error_first(self):
        e = ValueError("Exception encountered when calling GRU.call().\n\n\x1b[1mcarry types differ\x1b[0m\n\n"
                       "Arguments received by GRU.call():\n  • x=tensor")
        lines = D.error_text(e).splitlines()
        self.assertEqual(lines[0], "ValueError: \x1b[1mcarry types differ\x1b[0m")
        self.assertEqual(lines[1], "Exception encountered when calling GRU.call().")


class JaxPatch(unittest.TestCase):
    def test_jax_unroll_masked_turns_the_leading_masked_step_case_into_a_pass(self):
        export = os.path.join(TMP, "jax-cases")
        code, text = rnnkit("export", "--include", MASKED_CASE, "--out", export)
        self.assertEqual(code, 0, text)
        verdicts = {}
        for patch in ([], ["--patch", "jax-unroll-masked"]):
            results = tempfile.mkdtemp(dir=TMP)
            p = subprocess.run([sys.executable, DRIVER, "--backend", "jax", *patch, export, results],
                               capture_output=True, text=True, timeout=600)
            self.assertEqual(p.returncode, 0, p.stderr)
            code, text = rnnkit("verify", "--cases", export, "--results", results, "--report-dir",
                                os.path.join(results, "report"), "--format", "md")
            verdicts[" ".join(patch)] = (code, text)
        self.assertEqual(verdicts[""][0], 1, verdicts)
        self.assertIn("0 passed, 1 failed", verdicts[""][1])
        self.assertEqual(verdicts["--patch jax-unroll-masked"][0], 0, verdicts)
        self.assertIn("1 passed, 0 failed", verdicts["--patch jax-unroll-masked"][1])


class PatchRegistry(unittest.TestCase):
    def test_the_command_line_offers_exactly_the_registered_patches(self):
        for name in D.PATCHES:
            self.assertEqual(D.parse_args(["--backend", "torch", "--patch", name, "a", "b"]).patch, [name])
        with contextlib.redirect_stderr(io.StringIO()) as err, self.assertRaises(SystemExit):
            D.parse_args(["--backend", "torch", "--patch", "no-such-patch", "a", "b"])
        self.assertIn("invalid choice: 'no-such-patch'", err.getvalue())
        with self.assertRaisesRegex(ValueError, "no-such-patch"):
            D.apply_patches(["no-such-patch"], "torch")
        with self.assertRaisesRegex(ValueError, r"\['jax-unroll-masked'\] do not apply to the torch backend"):
            D.apply_patches(["jax-unroll-masked"], "torch")

    def test_each_patch_changes_what_it_names(self):
        from keras.src.backend.common import dtypes
        import keras.src.backend as backend
        saved = (dict(dtypes.BIT64_TO_BIT32_DTYPE), backend.nn.hard_sigmoid, backend.lstm, backend.gru)
        try:
            D.apply_patches(["float64-promotion"], "torch")
            self.assertEqual(dtypes.BIT64_TO_BIT32_DTYPE["float64"], "float64")
            self.assertEqual(str(D.keras.ops.matmul(np.ones((2, 2)), np.ones((2, 2))).dtype), "torch.float64")
            D.apply_patches(["torch-hardsigmoid"], "torch")
            x = D.torch.tensor([1.0, -4.0, 4.0], dtype=D.torch.float64)
            np.testing.assert_array_equal(D.to_numpy(backend.nn.hard_sigmoid(x)), [1 / 6 + 0.5, 0.0, 1.0])
            D.apply_patches(["torch-fused-state-copy"], "torch")
            self.assertIsNot(backend.lstm, saved[2])
            self.assertIsNot(backend.gru, saved[3])
        finally:
            dtypes.BIT64_TO_BIT32_DTYPE.clear()
            dtypes.BIT64_TO_BIT32_DTYPE.update(saved[0])
            backend.nn.hard_sigmoid, backend.lstm, backend.gru = saved[1:]


if __name__ == "__main__":
    unittest.main(verbosity=2)
