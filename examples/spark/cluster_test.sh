#!/usr/bin/env bash
# Runs examples/spark/cluster.py on a loopback Spark standalone cluster (a
# master and one worker with 1 core, started and stopped here) and checks:
#
#   (a) both routes (pipe: the shipped binary; pandas: mapInPandas over the
#       Python package) give, for every id, the outcomes of one
#       single-process `authorship batch` run of the same corpus;
#   (b) a rules directory that does not load fails the job (the driver
#       exits non-zero, naming the broken file) on both routes;
#   (c) each bad record comes back as an error line carrying its id;
#   and that the binary and the rules were found in the worker's own
#   directory (shipped, not read from the driver's paths), and that a
#   duplicated id across the input is reported and stops the run.
# It prints the throughput of each route (the job action alone, no Spark
# start-up) next to `authorship batch --jobs 1` on the same corpus.
#
#   examples/spark/cluster_test.sh                  # N=2000: about 2 min on 2 cores
#   N=20000 REPEAT=3 examples/spark/cluster_test.sh # figures: best of 3 jobs
#
# Assumes the CLI is built (cargo build --release) and PYTHON has pyspark,
# pyarrow, pandas and the `authorship` package (maturin build + pip
# install). Environment: AUTHORSHIP_BIN (default target/release/authorship),
# PYTHON (default target/python-venv/bin/python, .ci/run's, if there, else
# python3),
# RULES (default rules/),
# GEN_PATTERNS (the gen_patterns example binary; default: built with
# cargo), N, PARTS (input files, default 4), REPEAT (timed jobs per route,
# default 1), AS_OF (default: the latest date in the rules). Java 17+ on
# PATH or JAVA_HOME. Everything it writes is under target/spark-cluster-test.
# Exit status: 0 all checks passed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

N=${N:-2000}
PARTS=${PARTS:-4}
REPEAT=${REPEAT:-1}
AUTHORSHIP_BIN=${AUTHORSHIP_BIN:-$ROOT/target/release/authorship}
if [ -z "${PYTHON:-}" ]; then
  if [ -x target/python-venv/bin/python ]; then PYTHON=$ROOT/target/python-venv/bin/python; else PYTHON=python3; fi
fi
WORK=$ROOT/target/spark-cluster-test
RULES=${RULES:-$ROOT/rules}
SCRIPT=$ROOT/examples/spark/cluster.py

failures=0
checks=0
ok() { checks=$((checks + 1)); echo "[ok] $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "[FAIL] $*"; }
die() { echo "[FAIL] $*"; exit 1; }
check() { # check "what" command...: [ok] if the command succeeds
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

# ------------------------------------------------------------ prerequisites
command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ] || die "needs Java 17+ on PATH (or JAVA_HOME)"
[ -x "$AUTHORSHIP_BIN" ] || die "no binary at $AUTHORSHIP_BIN (cargo build --release, or set AUTHORSHIP_BIN)"
[ -f "$RULES/facts.yaml" ] || die "no rules directory at $RULES"
AUTHORSHIP_BIN=$(cd "$(dirname "$AUTHORSHIP_BIN")" && pwd)/$(basename "$AUTHORSHIP_BIN")
"$PYTHON" -c 'import pyspark, pyarrow, pandas, authorship' 2>/dev/null ||
  die "$PYTHON cannot import pyspark, pyarrow, pandas and authorship (set PYTHON to the venv's python)"
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)')
SPARK_HOME=$("$PYTHON" -c 'import pyspark, os; print(os.path.dirname(pyspark.__file__))')
PYSPARK_VERSION=$("$PYTHON" -c 'import pyspark; print(pyspark.__version__)')
export SPARK_HOME

rm -rf "$WORK"
mkdir -p "$WORK"/{conf,logs,worker/local,driver,data/parts,data/dup,data/bin,out}
# A snapshot of the binary and the rules, so that a rebuild or an edit
# while the test runs cannot make the reference and the jobs disagree.
cp "$AUTHORSHIP_BIN" "$WORK/data/bin/authorship"
AUTHORSHIP_BIN=$WORK/data/bin/authorship
cp -r "$RULES" "$WORK/data/rules"
RULES=$WORK/data/rules

# Spark's own log: warnings and errors only, on every JVM (driver, master,
# worker, executor) through SPARK_CONF_DIR.
cat > "$WORK/conf/log4j2.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.nativecode.name = org.apache.hadoop.util.NativeCodeLoader
logger.nativecode.level = error
EOF
export SPARK_CONF_DIR=$WORK/conf
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON=$PYTHON PYSPARK_DRIVER_PYTHON=$PYTHON

# ------------------------------------------------------------ data
if [ -n "${GEN_PATTERNS:-}" ]; then
  "$GEN_PATTERNS" "$N" > "$WORK/data/generated.jsonl"
else
  cargo run --release --locked --quiet --example gen_patterns -- "$N" > "$WORK/data/generated.jsonl"
fi
# Three bad records among the good ones: an unknown fact, a wrong type (both
# with an id, which must come back on their error lines) and a line that is
# not JSON (no id to carry; counted instead).
awk -v a=$((N / 20 + 1)) -v b=$((N / 2 + 1)) -v c=$((N * 17 / 20 + 1)) '
     NR == a { print "{\"id\":\"bad-1\",\"facts\":{\"human_wrote_promts\":true}}" }
     NR == b { print "{\"id\":\"bad-2\",\"facts\":{\"ai_named_as_author\":\"yes\"}}" }
     NR == c { print "not json" }
     { print }' "$WORK/data/generated.jsonl" > "$WORK/data/corpus.jsonl"
# A small input whose two files share ten ids, p40..p49.
head -n 50 "$WORK/data/generated.jsonl" > "$WORK/data/dup/part-a.jsonl"
sed -n '41,60p' "$WORK/data/generated.jsonl" > "$WORK/data/dup/part-b.jsonl"
rm "$WORK/data/generated.jsonl"
RECORDS=$(wc -l < "$WORK/data/corpus.jsonl")
split -n "l/$PARTS" -d -a 3 --additional-suffix=.jsonl "$WORK/data/corpus.jsonl" "$WORK/data/parts/part-"
# Rules that do not load: one ruleset file that is not valid YAML.
cp -r "$RULES" "$WORK/data/rules-broken"
printf 'id: zz-broken\nrules: [not closed\n' > "$WORK/data/rules-broken/zz-broken.yaml"

AS_OF=${AS_OF:-$("$AUTHORSHIP_BIN" batch --rules "$RULES" </dev/null 2>&1 >/dev/null |
  sed -n 's/.* law as of \([0-9-]*\)\. .*/\1/p')}
[ -n "$AS_OF" ] || die "could not read the rules' latest date from $AUTHORSHIP_BIN batch"

# ------------------------------------------------------------ the reference
# One process, one thread, the whole corpus; best of 3 for the figure.
cli_best=
for _ in 1 2 3; do
  start=$(date +%s%N)
  set +e
  "$AUTHORSHIP_BIN" batch --rules "$RULES" --as-of "$AS_OF" --jobs 1 \
    "$WORK/data/corpus.jsonl" > "$WORK/data/single.jsonl" 2> "$WORK/logs/single.err"
  cli_status=$?
  set -e
  ns=$(($(date +%s%N) - start))
  if [ -z "$cli_best" ] || [ "$ns" -lt "$cli_best" ]; then cli_best=$ns; fi
done
[ "$cli_status" -eq 65 ] || die "single-process run: exit $cli_status, not 65 (3 bad records): $(cat "$WORK/logs/single.err")"

# ------------------------------------------------------------ the cluster
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MASTER_PORT=$(free_port)
MASTER_UI=$(free_port)
MASTER=spark://127.0.0.1:$MASTER_PORT
pids=()
stop_cluster() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  pids=()
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

cluster_start=$(date +%s)
# spark-class execs java, so $! is the daemon's own pid.
SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false" \
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI" > "$WORK/logs/master.log" 2>&1 &
pids+=($!)
# The worker's directories (where executors run and SparkFiles land) are
# its own, apart from the driver's working directory ($WORK/driver).
SPARK_WORKER_DIR=$WORK/worker SPARK_LOCAL_DIRS=$WORK/worker/local \
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
  --host 127.0.0.1 --cores 1 --memory 2g --webui-port 0 --work-dir "$WORK/worker" \
  "$MASTER" > "$WORK/logs/worker.log" 2>&1 &
pids+=($!)
alive=0
for _ in $(seq 120); do
  alive=$("$PYTHON" - "$MASTER_UI" <<'EOF' 2>/dev/null || echo 0
import json, sys, urllib.request
print(json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json/", timeout=2))["aliveworkers"])
EOF
)
  [ "$alive" -ge 1 ] && break
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || die "a daemon died; see $WORK/logs/"; done
  sleep 0.5
done
[ "$alive" -ge 1 ] || die "no worker registered with $MASTER in 60 s; see $WORK/logs/"
echo "== cluster: $MASTER, 1 worker with 1 core, up in $(($(date +%s) - cluster_start)) s (PySpark $PYSPARK_VERSION)"

submit() { # submit NAME ARGS...: runs cluster.py on the cluster; log in $WORK/logs/NAME.log
  local name=$1; shift
  local start status=0
  start=$(date +%s)
  (cd "$WORK/driver" && "$SPARK_HOME/bin/spark-submit" --master "$MASTER" \
    --conf spark.ui.enabled=false --conf spark.executor.memory=1g --driver-memory 1g \
    "$SCRIPT" --as-of "$AS_OF" "$@") > "$WORK/logs/$name.log" 2>&1 || status=$?
  echo "== $name: driver exit $status in $(($(date +%s) - start)) s (log: ${WORK#"$ROOT"/}/logs/$name.log)"
  return $status
}

# ------------------------------------------------------------ the runs
echo "== corpus: $RECORDS records ($N generated + 3 bad) in $PARTS files; law as of $AS_OF"
good_status=0 broken_pipe_status=0 broken_pandas_status=0 dup_status=0
submit good --route both --bin "$AUTHORSHIP_BIN" --rules "$RULES" \
  --input "$WORK/data/parts" --output "$WORK/out/good" \
  --reference "$WORK/data/single.jsonl" --report "$WORK/out/good.json" --repeat "$REPEAT" ||
  good_status=$?
submit broken-pipe --route pipe --bin "$AUTHORSHIP_BIN" --rules "$WORK/data/rules-broken" \
  --input "$WORK/data/parts" --output "$WORK/out/broken" --report "$WORK/out/broken-pipe.json" ||
  broken_pipe_status=$?
submit broken-pandas --route pandas --rules "$WORK/data/rules-broken" \
  --input "$WORK/data/parts" --output "$WORK/out/broken" --report "$WORK/out/broken-pandas.json" ||
  broken_pandas_status=$?
submit duplicates --route pandas --rules "$RULES" \
  --input "$WORK/data/dup" --output "$WORK/out/dup" --report "$WORK/out/dup.json" ||
  dup_status=$?
stop_cluster

# ------------------------------------------------------------ the checks
echo "== checks"
check "good run: driver exit 0 (every job ran, every check in it held)" [ "$good_status" -eq 0 ]
# The report's own checks and figures, as [ok]/[FAIL] lines.
set +e
"$PYTHON" - "$WORK/out/good.json" "$WORK/worker" "$RECORDS" "$cli_best" "$WORK/out/tally" <<'EOF'
import json, sys
report_path, worker_dir, records, cli_ns, tally = sys.argv[1:6]
records, cli_ns = int(records), int(cli_ns)
counts = [0, 0]  # checks, failed
def line(ok, what):
    counts[0] += 1
    counts[1] += not ok
    print(f"[{'ok' if ok else 'FAIL'}] {what}")
def done():
    with open(tally, "w") as f:
        f.write(f"{counts[0]} {counts[1]}\n")
    sys.exit(1 if counts[1] else 0)
try:
    report = json.load(open(report_path))
except (OSError, ValueError) as e:
    line(False, f"no report from the good run: {e}")
    done()
cli_rate = records / (cli_ns / 1e9)
figures = [f"  authorship batch --jobs 1: {records} records in {cli_ns / 1e9:.3f} s = {cli_rate:,.0f} records/s (best of 3)"]
for route in ("pipe", "pandas"):
    r = report.get("routes", {}).get(route)
    if r is None:
        line(False, f"{route} route: did not run")
        continue
    if "failed" in r:
        line(False, f"{route} route: job failed: {r['failed']}")
        continue
    for c in r.get("checks", []):
        line(c["ok"], f"{route} route: {c['check']}")
    errors = {e["id"]: e["error"] for e in r.get("errors", [])}
    for bad, says in (("bad-1", "human_wrote_promts"), ("bad-2", "ai_named_as_author")):
        line(says in errors.get(bad, ""), f"{route} route: {bad}'s id is on its error line: {errors.get(bad)!r}")
    line(None in errors and r.get("error_count") == 3,
         f"{route} route: 3 error records, the one without an id among them ({r.get('error_count')})")
    paths = r.get("task_paths", {})
    shipped = [p for p in (paths.get("bin"), paths.get("rules")) if p]
    line(shipped and all(p.startswith(worker_dir + "/") for p in shipped),
         f"{route} route: binary/rules resolved in a task inside the worker's dir: {', '.join(shipped)}")
    secs = r["job_seconds"]
    rate = records / min(secs)
    note = f", rules loaded {r['library_loads']}x" if "library_loads" in r else ""
    if "per_batch_function_seconds" in r:
        inside = r["per_batch_function_seconds"][secs.index(min(secs))]
        note += f"; {inside:.2f} s of the best job in the per-batch function"
    figures.append(
        f"  {route + ' route:':14} {records} records in {r['partitions']} partitions, job "
        f"{', '.join(f'{s:.2f}' for s in secs)} s; best {rate:,.0f} records/s = "
        f"{rate / cli_rate:.0%} of batch --jobs 1{' (goal: 50%)' if route == 'pandas' else ''}{note}"
    )
print("== throughput (1 worker core; the job action only)")
print("\n".join(figures))
done()
EOF
set -e
read -r n f < "$WORK/out/tally" || { n=1; f=1; }
checks=$((checks + n))
failures=$((failures + f))

for route in pipe pandas; do
  if [ "$route" = pipe ]; then status=$broken_pipe_status; else status=$broken_pandas_status; fi
  log=$WORK/logs/broken-$route.log
  check "broken rules, $route route: the job fails (driver exit $status)" [ "$status" -ne 0 ]
  said=$(grep -m1 '  job failed:' "$log" || true)
  check "broken rules, $route route: the driver names the broken file:${said#*job failed:}" \
    grep -q '  job failed: .*zz-broken.yaml' "$log"
done
check "duplicate ids: the run stops before the job (driver exit $dup_status, 2 expected)" [ "$dup_status" -eq 2 ]
said=$(grep -m1 '^duplicate ids:' "$WORK/logs/duplicates.log" || true)
check "duplicate ids: reported: ${said:-nothing}" grep -q '^duplicate ids: 10 ids .*p4[0-9] (2x)' "$WORK/logs/duplicates.log"

if [ "$failures" -ne 0 ]; then
  echo "== $failures of $checks checks FAILED (logs: $WORK/logs)"
  exit 1
fi
echo "== all $checks checks passed"
