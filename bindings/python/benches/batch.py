"""Throughput of the Python package's batch against `authorship batch
--jobs 1` on the same corpus, one thread each, best of --rounds runs:

    python bindings/python/benches/batch.py --corpus patterns.jsonl \
        --bin target/release/authorship [--as-of 2026-03-18] [--rounds 3]

(a corpus from `cargo run --release --example gen_patterns -- 20000`).
Prints patterns/s for each input shape and its ratio to the command line,
run alongside as the baseline.
"""

import argparse
import json
import subprocess
import tempfile
import time

import authorship


def best(rounds, run):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--as-of", default="2026-03-18")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    text = open(args.corpus, encoding="utf-8").read()
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    n = len(records)
    lib = authorship.Library.default()
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        cli = best(args.rounds, lambda: subprocess.run(
            [args.bin, "batch", "--jobs", "1", "--as-of", args.as_of, args.corpus,
             "-o", out.name, "--force"], check=True, capture_output=True))
    print(f"authorship batch --jobs 1: {n / cli:,.0f} patterns/s (baseline)")
    shapes = [
        ("list of records", lambda: lib.batch(records, threads=1, as_of=args.as_of)),
        ("JSON Lines text", lambda: lib.batch(text, threads=1, as_of=args.as_of)),
        ("JSON Lines text, wide", lambda: lib.batch(text, threads=1, as_of=args.as_of, layout="wide")),
        ("list of records, detail=full", lambda: lib.batch(
            records, threads=1, as_of=args.as_of, detail="full")),
    ]
    try:
        import pandas

        frame = pandas.DataFrame([r["facts"] for r in records])
        frame.insert(0, "id", [r["id"] for r in records])
        shapes.append(("pandas DataFrame", lambda: lib.batch(frame, threads=1, as_of=args.as_of)))
    except ImportError:
        print("(pandas is not installed: no DataFrame figure)")
    for name, run in shapes:
        secs = best(args.rounds, run)
        print(f"Library.batch, {name}: {n / secs:,.0f} patterns/s = {cli / secs:.2f} x the CLI")


if __name__ == "__main__":
    main()
