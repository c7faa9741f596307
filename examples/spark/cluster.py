#!/usr/bin/env python3
"""Runs `authorship` over a JSON Lines corpus on a Spark cluster whose
workers do not share the driver's file system.

Two routes, chosen with --route (or both, one after the other):

* pipe:   the `authorship` binary is shipped with `sc.addFile`, the rules
          as an archive with `sc.addArchive`; each partition goes through
          one `authorship batch` process started by the task itself, which
          finds both with `SparkFiles.get` (see authorship_tasks.py for why
          not `rdd.pipe`). Exit 65 (bad records, each with its error line)
          is success; any other failure fails the task and the job.
* pandas: `mapInPandas` over Arrow batches with the `authorship` Python
          package (installed in the workers' Python); the rules archive is
          loaded with `Library.from_dir` once per Python worker process.
          Output: one row per record (the package's wide layout): its
          id, its `error` if it is bad, and a column per ruleset with the
          verdict.

Before either, a Spark job over the whole input counts records and
distinct ids and names duplicated ids (the outputs are joined on `id`);
duplicates stop the run unless --allow-duplicate-ids.

With --reference (the output of one `authorship batch` run over the same
corpus) the outputs are checked against it: the same outcomes for every id
(pipe: each whole outcome and error message; pandas: each ruleset's
verdict, and the same ids in error), and as many records out as in.

    spark-submit --master spark://HOST:7077 cluster.py --route both \\
        --bin target/release/authorship --rules rules --as-of 2026-03-18 \\
        --input hdfs:///patterns/ --output hdfs:///outcomes/ \\
        [--reference single.jsonl] [--report report.json]

--input, --output and --reference are read and written by Spark (any
Hadoop file system; a plain path means file: on every node). --bin and
--rules are read on the driver only (client deploy mode) and shipped from
there; no task uses a path of the driver's.

Exit status: 0 every job ran and every check held; 1 a job failed (the
rules do not load, say) or a check failed; 2 duplicate ids in the input.
See examples/spark/cluster_test.sh for a run on a loopback cluster.
"""

import argparse
import functools
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import time
import warnings

# PySpark 4.x warns on import (and per mapInPandas) that pandas 3 is not
# fully supported; the tasks sidestep the one problem met (see
# authorship_tasks.evaluate_lines), so keep the driver's output readable.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import authorship_tasks as tasks  # noqa: E402  (the module shipped to executors)

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--route", choices=["pipe", "pandas", "both"], default="both")
    p.add_argument("--bin", help="the authorship binary, on the driver (pipe route)")
    p.add_argument(
        "--rules",
        required=True,
        help="the rules: a directory (archived here as .tar.gz) or a .tar.gz/.tgz/.zip of one",
    )
    p.add_argument("--as-of", required=True, help="the law's date, the same for every task")
    p.add_argument("--input", required=True, help="JSON Lines records (a file, directory or glob)")
    p.add_argument("--output", required=True, help="a directory; each route writes OUTPUT/ROUTE")
    p.add_argument("--reference", help="one `authorship batch` run's output, to check against")
    p.add_argument("--report", help="write the figures and check results here (JSON)")
    p.add_argument("--repeat", type=int, default=1, help="time each route's job this many times")
    p.add_argument("--allow-duplicate-ids", action="store_true")
    args = p.parse_args(argv)
    if args.route in ("pipe", "both") and not args.bin:
        p.error("--bin is needed for the pipe route")
    return args


def rules_archive(rules, staging):
    """The rules as an archive for `addArchive`: as given if it is one,
    else the directory's contents at the top of a new .tar.gz."""
    if rules.endswith(ARCHIVE_SUFFIXES):
        return os.path.abspath(rules)
    if not os.path.isdir(rules):
        raise SystemExit(f"cluster.py: --rules {rules}: not a directory or an archive")
    path = os.path.join(staging, "authorship-rules.tar.gz")
    with tarfile.open(path, "w:gz") as tar:
        for name in sorted(os.listdir(rules)):
            tar.add(os.path.join(rules, name), arcname=name)
    return path


def delete(spark, path):
    """Remove an output directory on whatever file system it is on."""
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).delete(p, True)


def failure_message(exc):
    """The line of a failed job's error that says why: our TaskFailed, the
    engine's AuthorshipError, or else the error's first line."""
    text = str(exc)
    for pattern in (r"TaskFailed: (.*)", r"AuthorshipError: (.*)", r"(\w+Error: .*)"):
        m = re.search(pattern, text)
        if m:
            return m.group(0).strip()
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


class Checks:
    def __init__(self):
        self.results = []

    def __call__(self, what, holds):
        self.results.append({"check": what, "ok": bool(holds)})
        print(f"    [{'ok' if holds else 'FAIL'}] {what}")
        return holds

    @property
    def ok(self):
        return all(r["ok"] for r in self.results)


def id_summary(spark, path):
    """Records, ids and duplicated ids of the whole input (one JVM job:
    the ids are read with get_json_object, not parsed in Python). An id is
    compared as its JSON text, so 1 and "1" count as the same id."""
    text = spark.read.text(path).filter(F.trim("value") != "")
    ids = text.select(F.get_json_object("value", "$.id").alias("id"))
    counts = ids.groupBy("id").count().cache()
    totals = counts.agg(
        F.sum("count").alias("records"),
        F.sum(F.when(F.col("id").isNull(), F.col("count"))).alias("no_id"),
        F.count("id").alias("distinct"),
    ).first()
    dups = counts.filter("id is not null and count > 1").orderBy(F.desc("count"), "id")
    n_dups = dups.count()
    sample = [(r["id"], r["count"]) for r in dups.limit(10).collect()]
    counts.unpersist()
    return {
        "records": totals["records"] or 0,
        "records_without_id": totals["no_id"] or 0,
        "distinct_ids": totals["distinct"],
        "duplicated_ids": n_dups,
        "duplicates_sample": sample,
    }


def timed(action, repeat, prepare=lambda: None):
    """Wall seconds of each of `repeat` runs of the job action alone."""
    secs = []
    for _ in range(repeat):
        prepare()
        start = time.monotonic()
        action()
        secs.append(time.monotonic() - start)
    return secs


# ---------------------------------------------------------------- the routes


def run_pipe(spark, args, names, out):
    sc = spark.sparkContext
    lines = sc.textFile(args.input)
    step = functools.partial(
        tasks.pipe_partition, bin_name=names["bin"], archive_name=names["rules"], as_of=args.as_of
    )
    outcomes = lines.mapPartitions(step, preservesPartitioning=True)

    secs = timed(lambda: outcomes.saveAsTextFile(out), args.repeat, lambda: delete(spark, out))
    return secs, lines.getNumPartitions(), {}


def run_pandas(spark, args, names, out):
    sc = spark.sparkContext
    loads, busy = sc.accumulator(0), sc.accumulator(0.0)
    frame = spark.read.text(args.input)
    step = functools.partial(
        tasks.evaluate_frames, archive_name=names["rules"], as_of=args.as_of, loads=loads, busy=busy
    )
    # The schema names a column per ruleset: the driver reads the rules'
    # ids from the same directory it ships.
    import authorship  # only this route needs the package on the driver

    rulesets = authorship.Library.from_dir(args.rules).rulesets
    outcomes = frame.mapInPandas(step, schema=tasks.output_schema(rulesets))
    in_function = []

    def action():
        before = busy.value
        outcomes.write.mode("overwrite").parquet(out)
        in_function.append(round(busy.value - before, 3))

    secs = timed(action, args.repeat)
    extra = {"library_loads": loads.value, "per_batch_function_seconds": in_function}
    return secs, frame.rdd.getNumPartitions(), extra


# ---------------------------------------------------------------- the checks


def reference_frame(spark, path):
    ref = spark.read.text(path).filter(F.trim("value") != "")
    return ref.select(
        F.get_json_object("value", "$.id").alias("id"),
        F.get_json_object("value", "$.outcomes").alias("outcomes"),
        F.get_json_object("value", "$.error").alias("error"),
    )


def check_pipe(spark, args, out, summary, check):
    got = reference_frame(spark, out).cache()
    ref = reference_frame(spark, args.reference).cache()
    n_out, n_ref = got.count(), ref.count()
    check(f"output records = input records ({n_out} = {summary['records']})", n_out == summary["records"])
    check(f"reference records = input records ({n_ref})", n_ref == summary["records"])
    a, b = got.filter("id is not null").alias("a"), ref.filter("id is not null").alias("b")
    joined = a.join(b, F.col("a.id") == F.col("b.id"), "full_outer")
    same = (
        F.col("a.id").isNotNull()
        & F.col("b.id").isNotNull()
        & F.col("a.outcomes").eqNullSafe(F.col("b.outcomes"))
        & F.col("a.error").eqNullSafe(F.col("b.error"))
    )
    compared = joined.count()
    differ = joined.filter(~same).count()
    check(f"outcomes and errors per id equal the single-process run ({compared} ids, {differ} differ)", differ == 0)
    no_id = (got.filter("id is null").count(), ref.filter("id is null").count())
    check(f"records without an id: {no_id[0]} here, {no_id[1]} in the reference", no_id[0] == no_id[1])
    errors = got.filter("error is not null").select("id", "error").orderBy("id").collect()
    got.unpersist()
    ref.unpersist()
    return {"errors": [{"id": r["id"], "error": r["error"]} for r in errors[:50]], "error_count": len(errors)}


def check_pandas(spark, args, out, summary, check):
    wide = spark.read.parquet(out).cache()
    rulesets = [c for c in wide.columns if c not in ("id", "error")]
    # Back to one row per (id, ruleset) for the comparison; a bad record
    # keeps one row, with its error and no ruleset.
    pairs = F.create_map(*[x for r in rulesets for x in (F.lit(r), F.col(f"`{r}`"))])
    good = wide.filter("error is null").select("id", F.lit(None).cast("string").alias("error"),
                                               F.explode(pairs).alias("ruleset", "verdict"))
    bad = wide.filter("error is not null").select(
        "id", "error", F.lit(None).cast("string").alias("ruleset"), F.lit(None).cast("string").alias("verdict")
    )
    got = good.unionByName(bad).cache()
    ref = reference_frame(spark, args.reference)
    ref_long = ref.filter("outcomes is not null").select(
        "id",
        F.explode(F.from_json("outcomes", "map<string, struct<verdict: string>>")).alias("ruleset", "o"),
    ).select("id", "ruleset", F.col("o.verdict").alias("verdict"))
    rows = got.filter("error is null").select("id", "ruleset", "verdict")
    a, b = rows.alias("a"), ref_long.alias("b")
    on = (F.col("a.id") == F.col("b.id")) & (F.col("a.ruleset") == F.col("b.ruleset"))
    joined = a.join(b, on, "full_outer")
    same = (
        F.col("a.id").isNotNull()
        & F.col("b.id").isNotNull()
        & F.col("a.verdict").eqNullSafe(F.col("b.verdict"))
    )
    compared, differ = joined.count(), joined.filter(~same).count()
    check(f"verdict per (id, ruleset) equal the single-process run ({compared} rows, {differ} differ)", differ == 0)
    bad_got = got.filter("error is not null").select("id").alias("a")
    bad_ref = ref.filter("error is not null").select("id").alias("b")
    with_id = bad_got.filter("id is not null").join(
        bad_ref.filter("id is not null"), F.col("a.id") == F.col("b.id"), "full_outer"
    )
    error_ids_differ = with_id.filter("a.id is null or b.id is null").count()
    check(f"the same ids in error as the single-process run ({error_ids_differ} differ)", error_ids_differ == 0)
    no_id = (bad_got.filter("id is null").count(), bad_ref.filter("id is null").count())
    check(f"errors without an id: {no_id[0]} here, {no_id[1]} in the reference", no_id[0] == no_id[1])
    # Records out: ids, plus those without one (an error row each, or one
    # row per ruleset for a good record).
    rulesets = max(1, got.filter("ruleset is not null").select("ruleset").distinct().count())
    anonymous_rows = got.filter("id is null and error is null").count()
    n_out = got.filter("id is not null").select("id").distinct().count() + no_id[0] + anonymous_rows // rulesets
    check(f"output records = input records ({n_out} = {summary['records']})", n_out == summary["records"])
    errors = got.filter("error is not null").select("id", "error").orderBy("id").collect()
    got.unpersist()
    wide.unpersist()
    return {"errors": [{"id": r["id"], "error": r["error"]} for r in errors[:50]], "error_count": len(errors)}


ROUTES = {"pipe": (run_pipe, check_pipe), "pandas": (run_pandas, check_pandas)}


def main(argv=None):
    args = parse_args(argv)
    spark = (
        SparkSession.builder.appName("authorship-cluster")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    if not sc.getConf().contains("spark.sql.shuffle.partitions"):
        # The id counts and checks shuffle little; 200 partitions (the
        # default) would be 200 tasks a stage, cached ones not coalesced.
        spark.conf.set("spark.sql.shuffle.partitions", str(max(2, 2 * sc.defaultParallelism)))
    report = {"master": sc.master, "as_of": args.as_of, "routes": {}}
    staging = tempfile.mkdtemp(prefix="authorship-ship-")
    status = 0
    try:
        # Shipped from the driver; resolved with SparkFiles.get in each task.
        sc.addPyFile(os.path.join(HERE, "authorship_tasks.py"))
        archive = rules_archive(args.rules, staging)
        sc.addArchive(archive)
        names = {"rules": os.path.basename(archive), "bin": None}
        if args.route in ("pipe", "both"):
            sc.addFile(os.path.abspath(args.bin))
            names["bin"] = os.path.basename(args.bin)

        summary = id_summary(spark, args.input)
        report["input"] = summary
        print(
            f"input:   {summary['records']} records, {summary['distinct_ids']} distinct ids, "
            f"{summary['records_without_id']} without an id ({args.input})"
        )
        if summary["duplicated_ids"]:
            sample = ", ".join(f"{i} ({n}x)" for i, n in summary["duplicates_sample"])
            print(f"duplicate ids: {summary['duplicated_ids']} ids occur more than once: {sample}")
            if not args.allow_duplicate_ids:
                print("stopping: outputs are joined on id (--allow-duplicate-ids to go on)")
                status = 2
                return status

        routes = ["pipe", "pandas"] if args.route == "both" else [args.route]
        for route in routes:
            run, check_route = ROUTES[route]
            out = os.path.join(args.output, route)
            result = {"output": out}
            report["routes"][route] = result
            print(f"{route}:")
            try:
                binary = names["bin"] if route == "pipe" else None
                probe = functools.partial(tasks.where, binary, names["rules"])
                result["task_paths"] = sc.parallelize([0], 1).map(probe).collect()[0]
                secs, partitions, extra = run(spark, args, names, out)
            except Exception as e:  # noqa: BLE001 - a failed job: say why and stop
                result["failed"] = failure_message(e)
                print(f"  job failed: {result['failed']}")
                status = 1
                continue
            result.update(extra)
            result.update(
                partitions=partitions,
                job_seconds=[round(s, 3) for s in secs],
                records_per_second=round(summary["records"] / min(secs)),
            )
            print(f"  resolved in a task: {json.dumps(result['task_paths'])}")
            times = ", ".join(f"{s:.2f}" for s in secs)
            print(
                f"  {summary['records']} records in {partitions} partitions: job took {times} s "
                f"(best {result['records_per_second']:,} records/s)" + (
                    f"; rules loaded {extra['library_loads']}x" if "library_loads" in extra else ""
                )
            )
            if "per_batch_function_seconds" in extra:
                inside = ", ".join(f"{s:.2f}" for s in extra["per_batch_function_seconds"])
                print(f"  of which in the per-batch function (evaluate_lines): {inside} s")
            if args.reference:
                check = Checks()
                print("  checks:")
                result.update(check_route(spark, args, out, summary, check))
                result["checks"] = check.results
                for e in result["errors"][:5]:
                    print(f"  error line: id {e['id']!r}: {e['error']}")
                if not check.ok:
                    status = 1
        return status
    finally:
        report["exit"] = status
        if args.report:
            with open(args.report, "w") as f:
                json.dump(report, f, indent=1)
        shutil.rmtree(staging, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
