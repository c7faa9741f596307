"""The task side of `cluster.py`: what runs on Spark's executors.

`cluster.py` ships this module to every executor with `sc.addPyFile`, so
that its functions are pickled by reference (not by value, as functions of
the driver's `__main__` are) and its module-level state -- the cached
`authorship.Library` -- lives as long as the executor's Python worker
process (Spark reuses those between tasks: `spark.python.worker.reuse`,
on by default). Nothing here may use a path of the driver's machine: the
binary and the rules come from `SparkFiles.get`, called inside the task.

Run directly, it profiles the per-batch function of the mapInPandas route
on a local JSON Lines file, without Spark:

    python authorship_tasks.py --profile CORPUS.jsonl --rules DIR --as-of DATE
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

# The mapInPandas route's output, one row per pattern and ruleset; a bad
# record gives one row with `error` set and no ruleset.
def output_schema(rulesets):
    """The pandas route's output: one row per record (the package's wide
    layout), its id, its error if it is bad, and a column per ruleset with
    the verdict. A row per record rather than per (record, ruleset) is a
    25th of the rows for Spark to move through Arrow and Parquet."""
    return ", ".join(["id string", "error string"] + [f"`{r}` string" for r in rulesets])

# `authorship batch` exit codes: 0 every record evaluated, 65 it ran through
# and each rejected record has its error line in the output. Anything else
# (1: the rules do not load, a `--strict` stop, a crash, a signal) means the
# output is not complete, and the task must fail.
EX_OK, EX_DATAERR = 0, 65


class TaskFailed(RuntimeError):
    """A task that cannot give a complete output. Its message reaches the
    driver inside Spark's error, prefixed by this class's name."""


# ---------------------------------------------------------------- shipped files


def shipped_rules(archive_name):
    """The rules directory unpacked from the archive shipped with
    `sc.addArchive`: Spark unpacks it into a directory named after the
    archive, in this executor's SparkFiles root. The archive holds the
    rules at its top (`tar -C rules .`) or in one directory (`tar rules`)."""
    from pyspark import SparkFiles

    root = SparkFiles.get(archive_name)
    if not os.path.isdir(root):
        raise TaskFailed(f"the rules archive {archive_name!r} is not unpacked at {root}")
    if os.path.exists(os.path.join(root, "facts.yaml")):
        return root
    subdirs = [d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d))]
    if len(subdirs) == 1 and os.path.exists(os.path.join(root, subdirs[0], "facts.yaml")):
        return os.path.join(root, subdirs[0])
    # Let the engine say what is wrong (it names the missing facts.yaml).
    return root


_EXECUTABLE_COPIES = {}


def shipped_binary(name):
    """The `authorship` binary shipped with `sc.addFile`. Spark makes
    fetched files executable; if a file system lost the bit, run a copy."""
    from pyspark import SparkFiles

    path = SparkFiles.get(name)
    if not os.path.isfile(path):
        raise TaskFailed(f"the binary {name!r} was not shipped to this executor ({path})")
    if not os.access(path, os.X_OK):
        if path not in _EXECUTABLE_COPIES:
            copy = os.path.join(tempfile.mkdtemp(prefix="authorship-bin-"), name)
            shutil.copy(path, copy)
            os.chmod(copy, 0o755)
            _EXECUTABLE_COPIES[path] = copy
        path = _EXECUTABLE_COPIES[path]
    return path


def where(bin_name, archive_name, _=None):
    """What a task resolves (for the driver to print): this executor's
    binary and rules paths, its working directory and host."""
    import socket

    return {
        "host": socket.gethostname(),
        "cwd": os.getcwd(),
        "bin": shipped_binary(bin_name) if bin_name else None,
        "rules": shipped_rules(archive_name),
    }


# ---------------------------------------------------------------- pipe route


def pipe_partition(lines, *, bin_name, archive_name, as_of):
    """One partition (an iterator of JSON Lines records) through one
    `authorship batch` process; yields its output lines, in input order.

    Why `mapPartitions` + `subprocess` rather than `rdd.pipe`: `pipe`'s
    command is fixed on the driver, where neither the executor's path of the
    shipped binary nor that of the unpacked rules is known (`SparkFiles.get`
    on the driver gives the driver's). A wrapper script shipped with
    `addFile` could find its neighbours relative to the task's working
    directory, but that holds only where the SparkFiles root is the working
    directory (on standalone executors it is; in local mode it is not,
    and other cluster managers promise nothing). Here the
    paths come from `SparkFiles.get` inside the task, which is right
    everywhere, and the task sees the exit code and the standard error: a
    rules directory that does not load fails the task with the engine's own
    message instead of the bare "exit status 1" of `pipe(checkCode=True)`
    (or, with `checkCode=False`, a "successful" partition of 0 records).

    Exit 65 (some records rejected; each has its error line) is success,
    like the shell wrapper `authorship batch …; s=$?; [ $s -eq 65 ] && exit
    0; exit $s` with `checkCode=True`. Every other non-zero exit fails the
    task, and so the job once Spark's retries are spent. As a last guard the
    task also counts: one output line per non-blank input line.
    """
    command = [
        shipped_binary(bin_name),
        "batch",
        "--rules",
        shipped_rules(archive_name),
        "--as-of",
        as_of,
        "--jobs",
        "1",  # Spark already runs one task per core.
    ]
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, bufsize=1 << 16
        )
        fed = [0]
        feed_error = []

        def feed():
            # Written from a thread while the task reads the output: the
            # process writes as it reads, and both pipes have bounded buffers.
            try:
                for line in lines:
                    if line.strip():
                        fed[0] += 1
                    proc.stdin.write((line + "\n").encode("utf-8"))
            except BrokenPipeError:
                pass  # it stopped reading: its exit status says why
            except BaseException as e:  # noqa: BLE001 - reported below
                feed_error.append(e)
            finally:
                try:
                    proc.stdin.close()
                except BrokenPipeError:
                    pass

        feeder = threading.Thread(target=feed, name="authorship-feed", daemon=True)
        feeder.start()
        out = 0
        try:
            for raw in proc.stdout:
                out += 1
                yield raw.decode("utf-8").rstrip("\n")
            feeder.join()
            status = proc.wait()
        finally:
            if proc.poll() is None:  # the consumer stopped early
                proc.kill()
                proc.wait()
        if feed_error:
            raise TaskFailed(f"reading the partition failed: {feed_error[0]!r}")
        if status not in (EX_OK, EX_DATAERR):
            stderr.seek(0)
            text = stderr.read().decode("utf-8", "replace").splitlines()
            # One line: the error and, if it names one, where (`--> file:line:col`).
            said = [l.strip() for l in text if l.strip()]
            message = " ".join(said[:1] + [l for l in said[1:] if l.startswith("-->")][:1])
            raise TaskFailed(f"authorship batch exited {status}: {message or '(nothing on stderr)'}")
        if out != fed[0]:
            raise TaskFailed(f"authorship batch gave {out} output lines for {fed[0]} records")


# ---------------------------------------------------------------- mapInPandas route

# One Library per rules directory and Python worker process: loading and
# checking the rules is done once, not once per Arrow batch or task.
_LIBRARIES = {}
LIBRARY_LOADS = [0]  # how many times this process loaded rules (for tests)


def library(rules_dir):
    lib = _LIBRARIES.get(rules_dir)
    if lib is None:
        import authorship

        lib = _LIBRARIES[rules_dir] = authorship.Library.from_dir(rules_dir)
        LIBRARY_LOADS[0] += 1
    return lib


def id_text(value):
    """An id as the output's string column holds it: a JSON string as is,
    anything else (a number, say) as its JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def evaluate_lines(lib, lines, as_of):
    """The per-batch function: JSON Lines records in, output rows (a
    pandas DataFrame of output_schema's columns) out. The lines go to the
    engine as they are, as `authorship batch` reads them: a bad record (not
    JSON, unknown facts, wrong types) is a row with its error, carrying its
    id where it can be read, with the CLI's message."""
    import pandas as pd

    text = "\n".join(line for line in lines if line is not None)
    if not text.strip():
        return pd.DataFrame(columns=["id", "error", *lib.rulesets], dtype=object)
    # The package's fast path: verdicts come back as columns, with no
    # outcome JSON parsed in Python; dtype=object throughout, since pandas 3
    # would make Arrow-backed string columns, which PySpark 4.x cannot yet
    # hand back to the JVM ("Cannot convert pyarrow.lib.ChunkedArray to
    # pyarrow.lib.Array").
    frame = lib.batch(text, as_of=as_of, threads=1, errors="keep", layout="wide", as_frame=True)
    # The output's id column is a string: a numeric id as its JSON text.
    if any(i is not None and not isinstance(i, str) for i in frame["id"]):
        frame["id"] = [id_text(i) for i in frame["id"]]
    return frame


def evaluate_frames(frames, *, archive_name, as_of, loads=None, busy=None):
    """mapInPandas' function: an iterator of Arrow batches (pandas
    DataFrames with the input's `value` column) to output batches. The rules
    are resolved in the task and loaded once per worker process; if they do
    not load, AuthorshipError fails the task (and the job).

    `loads` and `busy`, accumulators if given, count the rules loads and
    the seconds spent in the per-batch function (the rest of a task's time
    is Spark's: Arrow to and from the JVM, reading, writing)."""
    lib = library(shipped_rules(archive_name))
    if loads is not None and LIBRARY_LOADS[0]:
        loads.add(LIBRARY_LOADS[0])
        LIBRARY_LOADS[0] = 0
    for frame in frames:
        start = time.perf_counter()
        out = evaluate_lines(lib, frame["value"], as_of)
        if busy is not None:
            busy.add(time.perf_counter() - start)
        yield out


# ---------------------------------------------------------------- profiling


def _profile(argv=None):
    import argparse
    import cProfile
    import pstats

    import pandas as pd

    p = argparse.ArgumentParser(description="profile evaluate_lines on a local corpus")
    p.add_argument("--profile", required=True, metavar="CORPUS", help="a JSON Lines file")
    p.add_argument("--rules", required=True)
    p.add_argument("--as-of", required=True)
    p.add_argument("--batch", type=int, default=10000, help="records per batch (Arrow's default)")
    args = p.parse_args(argv)
    with open(args.profile, encoding="utf-8") as f:
        lines = pd.Series(f.read().splitlines()[: args.batch])
    lib = library(args.rules)
    start = time.perf_counter()
    evaluate_lines(lib, lines, args.as_of)
    secs = time.perf_counter() - start
    print(f"evaluate_lines: {len(lines)} records in {secs:.2f} s ({len(lines) / secs:,.0f} records/s)")
    profiler = cProfile.Profile()
    profiler.runcall(evaluate_lines, lib, lines, args.as_of)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    _profile()
