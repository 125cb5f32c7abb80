"""Tests of generate.py's command line: a filtered or misdirected run never deletes or rewrites a corpus.

    python3 -m unittest golden/test_generate.py      # from the repository root; plain Python 3, no Keras needed

The safety checks run before Keras is imported, so these tests need only the standard library. One more test,
which regenerates a single case and compares its bytes with the committed corpus, runs when Keras and
TensorFlow (golden/requirements.txt) are importable and is skipped otherwise.
"""
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATE = os.path.join(HERE, "generate.py")


def run(*args):
    return subprocess.run([sys.executable, GENERATE, *args], capture_output=True, text=True, timeout=600)


def snapshot(folder):
    """Every corpus file under folder (relative path -> size, mtime, and SHA-256 for the top-level JSON files);
    Python's __pycache__ folders are not part of the corpus."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for fn in filenames:
            full = os.path.join(dirpath, fn)
            st = os.stat(full)
            digest = None
            if fn.endswith(".json") and os.path.dirname(full) == folder:
                with open(full, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            out[os.path.relpath(full, folder)] = (st.st_size, st.st_mtime_ns, digest)
    return out


class FilterNeverTouchesTheCommittedCorpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.before = snapshot(HERE)

    def assertCorpusUntouched(self):
        self.assertEqual(snapshot(HERE), self.before, "the committed corpus changed")

    def test_filter_without_out_is_refused_and_writes_nothing(self):
        r = run("--filter", "lstm/")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--filter", r.stderr)
        self.assertIn("--out", r.stderr)
        self.assertCorpusUntouched()

    def test_filter_with_out_pointing_at_the_committed_corpus_is_refused(self):
        r = run("--out", HERE, "--filter", "lstm/")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("--out", r.stderr)
        self.assertCorpusUntouched()

    def test_filter_with_out_naming_the_committed_corpus_another_way_is_refused(self):
        r = run("--out", os.path.join(HERE, "..", os.path.basename(HERE), "."), "--filter", "gru/")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertCorpusUntouched()

    def test_empty_filter_is_refused(self):
        with tempfile.TemporaryDirectory() as out:
            r = run("--out", out, "--filter", "")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertEqual(os.listdir(out), [])

    def test_out_into_a_foreign_non_empty_folder_is_refused_and_leaves_it_alone(self):
        with tempfile.TemporaryDirectory() as out:
            keep = os.path.join(out, "lstm", "precious.txt")
            os.makedirs(os.path.dirname(keep))
            with open(keep, "w") as f:
                f.write("not a corpus")
            r = run("--out", out, "--filter", "lstm/")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("not empty", r.stderr)
            with open(keep) as f:
                self.assertEqual(f.read(), "not a corpus")

    def test_out_that_is_a_file_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, "file")
            with open(target, "w") as f:
                f.write("x")
            r = run("--out", target)
            self.assertEqual(r.returncode, 2, r.stderr)
            with open(target) as f:
                self.assertEqual(f.read(), "x")

    def test_unknown_option_is_refused(self):
        r = run("--fliter", "lstm/")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertCorpusUntouched()


@unittest.skipUnless(importlib.util.find_spec("keras") and importlib.util.find_spec("tensorflow"),
                     "needs golden/requirements.txt (Keras, TensorFlow) installed")
class FilteredRegenerationIsByteIdentical(unittest.TestCase):
    def test_one_case_regenerated_elsewhere_equals_the_committed_files(self):
        before = snapshot(HERE)
        with tempfile.TemporaryDirectory() as out:
            r = run("--out", out, "--filter", "tutorial/simple_rnn3_one_feature_dense")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(out, "manifest.json")) as f:
                fresh = json.load(f)["files"]
            with open(os.path.join(HERE, "manifest.json")) as f:
                committed = json.load(f)["files"]
            case_files = {k: v for k, v in fresh.items() if k != "corpus.json"}
            self.assertTrue(case_files)
            self.assertTrue(all(k.startswith("tutorial/simple_rnn3_one_feature_dense__") for k in case_files))
            for k, v in case_files.items():
                self.assertEqual(committed.get(k), v, k)
            self.assertFalse([e for e in os.listdir(out) if e.startswith(".staging-")], "staging folder left behind")
        self.assertEqual(snapshot(HERE), before, "the committed corpus changed")


if __name__ == "__main__":
    unittest.main()
