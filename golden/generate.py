"""Regenerates the whole rnnkit golden Keras corpus (see FORMAT.md and README.md).

    python golden/generate.py            # from the repository root, with Keras 3.15.1 + TensorFlow 2.21 installed

Deletes and rewrites every suite folder listed in cases.SUITES, corpus.json and manifest.json. Deterministic:
each case is seeded from its name, TensorFlow runs single-threaded with op determinism enabled.
"""
import os
import sys

# Determinism and quiet logs: must be set before TensorFlow is imported.
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ["TF_DETERMINISTIC_OPS"] = "1"
os.environ["PYTHONHASHSEED"] = "0"
os.environ["CUDA_VISIBLE_DEVICES"] = ""

import hashlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()

import keras  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import casewriter  # noqa: E402
import cases  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv):
    """No arguments: regenerate the corpus in place. ``--out DIR [--filter TEXT]``: write the matching cases to
    another folder (for development and for the byte-identical regeneration check)."""
    warnings.filterwarnings("ignore")
    out_root = HERE
    text = None
    if "--out" in argv:
        out_root = os.path.abspath(argv[argv.index("--out") + 1])
    if "--filter" in argv:
        text = argv[argv.index("--filter") + 1]
    specs = cases.all_cases()
    names = set()
    for s in specs:
        if "/" in s.name or "__" in s.name or not s.name:
            raise SystemExit("bad case name " + repr(s.name) + ": no '/', no '__'")
        if s.suite not in cases.SUITES:
            raise SystemExit("case " + s.name + " has unknown suite " + s.suite)
        key = s.suite + "/" + s.name
        if key in names:
            raise SystemExit("duplicate case name " + key)
        names.add(key)
    if text is not None:
        specs = [s for s in specs if text in s.suite + "/" + s.name]
    os.makedirs(out_root, exist_ok=True)
    for suite in cases.SUITES:
        shutil.rmtree(os.path.join(out_root, suite), ignore_errors=True)
    written = []
    for i, s in enumerate(specs):
        for dtype in ("float32", "float64"):
            written.append(casewriter.write_case(s, dtype, out_root))
        if (i + 1) % 25 == 0:
            print("%d/%d cases" % (i + 1, len(specs)), flush=True)
    corpus = {
        "format_version": casewriter.FORMAT_VERSION,
        "generator": "golden/generate.py",
        "versions": {
            "keras": keras.__version__,
            "tensorflow": tf.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "backend": keras.backend.backend(),
        "suites": list(cases.SUITES),
        "case_count": len(written),
        "cases": written,
    }
    with open(os.path.join(out_root, "corpus.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(corpus, f, indent=1)
        f.write("\n")
    files = {}
    for suite in cases.SUITES:
        base = os.path.join(out_root, suite)
        if not os.path.isdir(base):
            continue
        for dirpath, _, filenames in os.walk(base):
            for fn in filenames:
                full = os.path.join(dirpath, fn)
                rel = os.path.relpath(full, out_root).replace(os.sep, "/")
                files[rel] = sha256(full)
    files["corpus.json"] = sha256(os.path.join(out_root, "corpus.json"))
    manifest = {"format_version": casewriter.FORMAT_VERSION, "algorithm": "SHA-256",
                "files": dict(sorted(files.items()))}
    with open(os.path.join(out_root, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print("wrote %d cases, %d files" % (len(written), len(files)))


if __name__ == "__main__":
    main(sys.argv[1:])
