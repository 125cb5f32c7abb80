"""Regenerates the rnnkit golden Keras corpus (see FORMAT.md and README.md).

    python golden/generate.py                          # regenerate the committed corpus in golden/
    python golden/generate.py --out DIR                # write the whole corpus to DIR instead
    python golden/generate.py --out DIR --filter lstm/ # only the cases whose suite/name contains 'lstm/'
    python golden/generate.py --list                   # print the case names and exit

Without --out, every suite folder listed in cases.SUITES, corpus.json and manifest.json of golden/ are replaced.
The new corpus is first written to a staging folder inside the target and moved into place only when every case
has been written, so a failed run leaves the previous corpus as it was. A filtered corpus is never written over
golden/ (a subset would replace the committed corpus): --filter needs an --out elsewhere. An existing --out folder
must be empty or an earlier output of this generator, since its suite folders are replaced.

Deterministic: each case is seeded from its name, TensorFlow runs single-threaded with op determinism enabled.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = "golden/generate.py"
STAGING_PREFIX = ".staging-"


def parse_args(argv):
    """Parses and checks the command line; fails (exit code 2) before anything is imported or written."""
    parser = argparse.ArgumentParser(
        prog="generate.py", description="Regenerates the rnnkit golden Keras corpus (golden/FORMAT.md).")
    parser.add_argument("--out", metavar="DIR",
                        help="write the corpus to DIR instead of golden/ (DIR must be missing, empty, or an earlier "
                             "output of this generator)")
    parser.add_argument("--filter", metavar="TEXT",
                        help="only the cases whose 'suite/name' contains TEXT; needs --out (a subset never replaces "
                             "the committed corpus)")
    parser.add_argument("--list", action="store_true", help="print the case names that would be written, and exit")
    args = parser.parse_args(argv)
    committed = os.path.realpath(HERE)
    out = os.path.realpath(args.out) if args.out is not None else committed
    if args.filter is not None and out == committed:
        parser.error("--filter writes a subset of the corpus and needs --out DIR outside golden/; "
                     "without it the committed corpus would be replaced by the subset")
    if args.filter is not None and args.filter == "":
        parser.error("--filter is empty; give the text that the case names must contain")
    if out != committed and not args.list:
        problem = foreign_content(out)
        if problem:
            parser.error("--out " + args.out + ": " + problem)
    args.out_root = out
    return args


def foreign_content(folder):
    """Why writing the corpus to `folder` could destroy something, or None if it is safe (missing, empty, or an
    earlier output of this generator)."""
    if not os.path.exists(folder):
        return None
    if os.path.islink(folder) or not os.path.isdir(folder):
        return "exists and is not a folder"
    entries = [e for e in os.listdir(folder) if not e.startswith(STAGING_PREFIX)]
    if not entries:
        return None
    corpus = os.path.join(folder, "corpus.json")
    try:
        with open(corpus, encoding="utf-8") as f:
            if json.load(f).get("generator") == GENERATOR:
                return None
    except (OSError, ValueError, AttributeError):
        pass
    return ("is not empty and holds no corpus.json written by " + GENERATOR
            + "; its suite folders would be replaced, so give an empty or new folder")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def setup_keras():
    """Determinism and quiet logs: the environment must be set before TensorFlow is imported."""
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    os.environ["TF_DETERMINISTIC_OPS"] = "1"
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    # model.summary() renders with rich, which crops lines at the terminal width: the captured summaries are those
    # of a wide terminal (Keras then uses its default line length, 88) whatever the shell running the generator.
    os.environ["COLUMNS"] = "200"
    import warnings
    warnings.filterwarnings("ignore")
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    sys.path.insert(0, HERE)


def checked_specs(cases):
    """Every case of the catalog, after checking names and suites."""
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
    return specs


def write_corpus(specs, cases, root):
    """Writes the case folders, corpus.json and manifest.json under `root`; returns (cases, files) counts."""
    import platform
    import numpy as np
    import tensorflow as tf
    import keras
    import casewriter
    written = {"calls": [], "trajectory": []}
    for i, s in enumerate(specs):
        for dtype in ("float32", "float64"):
            written[s.kind].append(casewriter.write_any(s, dtype, root))
        if (i + 1) % 25 == 0 or i + 1 == len(specs):
            print("%d/%d cases" % (i + 1, len(specs)), flush=True)
    corpus = {
        "format_version": casewriter.FORMAT_VERSION,
        "generator": GENERATOR,
        "versions": {
            "keras": keras.__version__,
            "tensorflow": tf.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "backend": keras.backend.backend(),
        "suites": list(cases.SUITES),
        "case_count": len(written["calls"]),
        "cases": written["calls"],
        "trajectory_count": len(written["trajectory"]),
        "trajectories": written["trajectory"],
    }
    with open(os.path.join(root, "corpus.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(corpus, f, indent=1)
        f.write("\n")
    files = {}
    for suite in cases.SUITES:
        base = os.path.join(root, suite)
        if not os.path.isdir(base):
            continue
        for dirpath, _, filenames in os.walk(base):
            for fn in filenames:
                full = os.path.join(dirpath, fn)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                files[rel] = sha256(full)
    files["corpus.json"] = sha256(os.path.join(root, "corpus.json"))
    manifest = {"format_version": casewriter.FORMAT_VERSION, "algorithm": "SHA-256",
                "files": dict(sorted(files.items()))}
    with open(os.path.join(root, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    return len(written["calls"]) + len(written["trajectory"]), len(files)


def move_into_place(staging, out_root, suites):
    """Replaces the suite folders, corpus.json and manifest.json of out_root by those written in staging."""
    for suite in suites:
        target = os.path.join(out_root, suite)
        shutil.rmtree(target, ignore_errors=True)
        if os.path.isdir(os.path.join(staging, suite)):
            os.replace(os.path.join(staging, suite), target)
    os.replace(os.path.join(staging, "corpus.json"), os.path.join(out_root, "corpus.json"))
    os.replace(os.path.join(staging, "manifest.json"), os.path.join(out_root, "manifest.json"))
    shutil.rmtree(staging)


def main(argv):
    args = parse_args(argv)
    setup_keras()
    import cases
    specs = checked_specs(cases)
    if args.filter is not None:
        specs = [s for s in specs if args.filter in s.suite + "/" + s.name]
        if not specs:
            raise SystemExit("--filter " + repr(args.filter) + " matches no case (see --list)")
    if args.list:
        for s in specs:
            print(s.suite + "/" + s.name)
        return
    os.makedirs(args.out_root, exist_ok=True)
    staging = os.path.join(args.out_root, STAGING_PREFIX + str(os.getpid()))
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    try:
        n_cases, n_files = write_corpus(specs, cases, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    move_into_place(staging, args.out_root, cases.SUITES)
    print("wrote %d cases, %d files to %s" % (n_cases, n_files, args.out_root))


if __name__ == "__main__":
    main(sys.argv[1:])
