#!/usr/bin/env python3
"""Rebuilds the committed seed corpora in fuzz/corpus/<target>/ from the
shipped rules and cases and the test fixtures (see docs/fuzzing.md).

Run from the repository root or from fuzz/: python3 fuzz/seed_corpus.py
Needs PyYAML only to pull the `when:` conditions out of the YAML files.
"""

import glob
import hashlib
import os
import shutil

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")

# Hand-written conditions for what the YAML files never show: every
# operator, both quote styles and escapes, the limits, and the errors.
EXTRA_CONDITIONS = [
    "a",
    "not a",
    "a and b or not c",
    "(a or b) and c",
    "not (a and b)",
    "x == 'single \\' quoted' or y != \"double \\\" quoted \\\\\"",
    "n >= -9223372036854775808 and n <= 9223372036854775807",
    "n > 99999999999999999999",
    "d < 2024-02-29 and d >= 0001-01-01",
    "d == 2023-02-30",
    "k in ['x', \"y\",]",
    "k not in [1, true, 2023-01-01, 'z']",
    "@conclusion and not @other",
    "android or nothing or in_force or truex",
    "a && b",
    "a = b",
    "!a",
    "a <> b",
    "a b",
    "(a",
    "a)",
    "x == \"unterminated",
    "prompt_w\u00f6rds",
    "(" * 65 + "a" + ")" * 65,
    "not " * 65 + "a",
    " or ".join(["a"] * 200),
    "\u3000a\u00a0and\tb\n",
    "",
]


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def conditions(node, out, seen=None):
    # Visit each node once: the hostile fixtures' alias bombs share one
    # node a billion times over, and walking every path never ends.
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "when" and isinstance(v, str):
                out.append(v)
            else:
                conditions(v, out, seen)
    elif isinstance(node, list):
        for v in node:
            conditions(v, out, seen)


def yaml_files(*patterns):
    files = []
    for p in patterns:
        files.extend(glob.glob(os.path.join(ROOT, p), recursive=True))
    return sorted(set(files))


def copy(target, files):
    # tests/fixtures/hostile-corpus/ is large; docs/fuzzing.md passes it to
    # libFuzzer as an extra, read-only seed directory instead of copying it.
    files = [f for f in files if "hostile-corpus" not in f]
    for f in files:
        rel = os.path.relpath(f, ROOT).replace(os.sep, "-")
        shutil.copyfile(f, os.path.join(CORPUS, target, rel))


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    for t in ("condition_parser", "ruleset_loader", "case_loader"):
        os.makedirs(os.path.join(CORPUS, t))

    seen = set()
    sources = yaml_files("rules/*.yaml", "tests/fixtures/**/*.yaml")
    found = []
    for f in sources:
        try:
            with open(f, encoding="utf-8") as fh:
                doc = yaml.safe_load(fh)
        except Exception:
            continue  # the malformed fixtures
        conditions(doc, found)
    for c in found + EXTRA_CONDITIONS:
        if c in seen:
            continue
        seen.add(c)
        data = c.encode("utf-8")
        write("condition_parser", hashlib.sha1(data).hexdigest()[:16], data)

    copy(
        "ruleset_loader",
        [
            f
            for f in yaml_files("rules/*.yaml", "tests/fixtures/**/*.yaml")
            if os.path.basename(f) not in ("facts.yaml",)
            and "cases" not in os.path.relpath(f, ROOT).split(os.sep)
            and "invalid-cases" not in f
            and not f.endswith("time-case.yaml")
        ],
    )
    copy(
        "case_loader",
        yaml_files(
            "cases/*.yaml",
            "tests/fixtures/invalid-cases/*.yaml",
            "tests/fixtures/*/cases/*.yaml",
            "tests/fixtures/time-case.yaml",
        ),
    )


if __name__ == "__main__":
    main()
