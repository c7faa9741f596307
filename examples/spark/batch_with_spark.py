#!/usr/bin/env python3
"""Runs `authorship batch` as a stateless step of a Spark job.

Each partition of a JSON Lines corpus is streamed through one
`authorship batch` process with `rdd.pipe`; the outputs are written with
`saveAsTextFile` and checked against one single-process run of the same
corpus:

* every partition gives exactly one output record per input record;
* the per-ruleset verdict counts are the same;
* every pattern (joined by its `id`) has the same outcomes;
* every error record points back (partition, line) to the bad input line.

Started by `examples/spark/run.sh`, which builds the binary, makes the
corpus and the Python environment; see docs/batch.md ("Scaling out").

    python batch_with_spark.py --bin BIN --rules DIR --as-of DATE \
        --input PARTS_DIR --output OUT_DIR [--master local[*]]

Exit status: 0 if every check holds, 1 otherwise.
"""

import argparse
import collections
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

from pyspark.sql import SparkSession


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bin", required=True, help="the authorship binary (absolute path)")
    p.add_argument("--rules", required=True, help="the rules directory (absolute path)")
    p.add_argument("--as-of", required=True, help="the law's date, the same for every partition")
    p.add_argument("--input", required=True, help="a directory of JSON Lines part files")
    p.add_argument("--output", required=True, help="where to write the outputs")
    p.add_argument("--master", default="local[*]")
    return p.parse_args()


def outcome_counts(line):
    """(ruleset, verdict) pairs of one output line; `error` for a bad record
    or a ruleset whose rules conflict."""
    rec = json.loads(line)
    if "error" in rec:
        return [("<record>", "error")]
    return [(rs, o.get("verdict", "error")) for rs, o in rec["outcomes"].items()]


def by_id(line):
    """(id, outcomes) of one output line; an error line that carries its
    record's id gives (id, its error)."""
    rec = json.loads(line)
    if "id" not in rec:
        return []
    value = rec["outcomes"] if "outcomes" in rec else {"error": rec.get("error")}
    return [(rec["id"], json.dumps(value, sort_keys=True))]


def main():
    args = parse_args()
    os.makedirs(args.output, exist_ok=True)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("authorship-batch")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext

    # One `authorship batch` per partition. The command gets an empty
    # environment from PySpark, so every path is absolute; `--as-of` pins
    # the law so that every partition (and every rerun) uses the same date;
    # `--jobs 1` because Spark already runs one task per core.
    command = " ".join(
        shlex.quote(a)
        for a in [args.bin, "batch", "--rules", args.rules, "--as-of", args.as_of, "--jobs", "1"]
    )
    lines = sc.textFile(args.input)
    partitions = lines.getNumPartitions()
    # checkCode=False: `batch` exits 65 when a record is bad, and that record
    # is already an error line in the output (exit 1: it could not run). Whether the run completed is
    # checked below by counting records per partition.
    piped = lines.pipe(command, checkCode=False).cache()

    start = time.monotonic()
    out_total = piped.count()
    spark_secs = time.monotonic() - start
    shutil.rmtree(os.path.join(args.output, "spark"), ignore_errors=True)
    piped.saveAsTextFile(os.path.join(args.output, "spark"))

    def count(i, it):
        yield i, sum(1 for line in it if line.strip())

    in_counts = dict(lines.mapPartitionsWithIndex(count).collect())
    out_counts = dict(piped.mapPartitionsWithIndex(count).collect())
    in_total = sum(in_counts.values())

    # The error records, traced back to their input line: line numbers are
    # per partition, and a partition's output is in its input order.
    def tag(i, it):
        for line in it:
            rec = json.loads(line)
            if "error" in rec:
                yield (i, rec["line"]), rec["error"]

    def number(i, it):
        for n, line in enumerate(it, start=1):
            yield (i, n), line

    bad = piped.mapPartitionsWithIndex(tag).join(lines.mapPartitionsWithIndex(number)).collect()

    # The reference: the whole corpus through one process.
    parts = sorted(
        os.path.join(args.input, f) for f in os.listdir(args.input) if not f.startswith((".", "_"))
    )
    single_path = os.path.join(args.output, "single.jsonl")
    start = time.monotonic()
    with open(single_path, "wb") as out:
        cat = subprocess.Popen(["cat", *parts], stdout=subprocess.PIPE)
        proc = subprocess.run(
            [args.bin, "batch", "--rules", args.rules, "--as-of", args.as_of],
            stdin=cat.stdout,
            stdout=out,
            stderr=subprocess.PIPE,
        )
        # Closed here too, so `cat` stops if batch stopped reading early.
        cat.stdout.close()
        cat.wait()
    single_secs = time.monotonic() - start
    single = sc.textFile(single_path)

    def verdict_counts(rdd):
        # (countByValue fails on an empty RDD, which a broken run gives.)
        pairs = rdd.flatMap(outcome_counts).map(lambda k: (k, 1))
        return dict(pairs.reduceByKey(lambda a, b: a + b).collect())

    spark_verdicts = verdict_counts(piped)
    single_verdicts = verdict_counts(single)
    joined = piped.flatMap(by_id).fullOuterJoin(single.flatMap(by_id))
    differing = joined.filter(lambda kv: kv[1][0] != kv[1][1]).count()
    compared = joined.count()

    ok = True

    def check(what, holds):
        nonlocal ok
        ok &= holds
        print(f"  [{'ok' if holds else 'FAIL'}] {what}")

    print()
    print(f"input:   {in_total} records in {partitions} partitions ({args.input})")
    print(f"spark:   {out_total} output records in {spark_secs:.1f} s (pipe through `{command}`)")
    summary = (proc.stderr.decode().splitlines() or [""])[0]
    print(f"single:  one process, {single_secs:.1f} s ({summary})")
    print(f"as of:   {args.as_of}")
    print("checks:")
    check(f"output records = input records ({out_total} = {in_total})", out_total == in_total)
    check(
        "every partition: output records = input records",
        all(out_counts.get(i) == n for i, n in in_counts.items()),
    )
    with open(single_path, "rb") as f:
        single_total = sum(1 for _ in f)
    check(
        f"single-process run gave {single_total} records, exit {proc.returncode}",
        single_total == in_total,
    )
    check("verdict counts per ruleset equal the single-process run", spark_verdicts == single_verdicts)
    check(f"outcomes per id equal ({compared} ids compared, {differing} differ)", differing == 0)
    print(f"bad records: {len(bad)}")
    for (part, line), (message, text) in sorted(bad):
        print(f"  spark partition {part}, line {line}: {message}\n    input: {text[:70]}")

    print("verdict counts (spark run):")
    per_ruleset = collections.defaultdict(dict)
    for (ruleset, verdict), n in spark_verdicts.items():
        per_ruleset[ruleset][verdict] = n
    for ruleset in sorted(per_ruleset):
        cells = ", ".join(f"{v} {n}" for v, n in sorted(per_ruleset[ruleset].items()))
        print(f"  {ruleset:28} {cells}")
    print("outputs:", os.path.join(args.output, "spark"), "and", single_path)
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    spark.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
