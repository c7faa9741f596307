#!/usr/bin/env bash
# Runs `authorship batch` under Spark (local mode) over a partitioned JSON
# Lines corpus and checks the result against a single-process run; see
# docs/batch.md ("Scaling out"). Not part of `cargo test` or `.ci/run`: it
# downloads PySpark (~300 MB) and starts a JVM.
#
#   examples/spark/run.sh            # 20,000 patterns in 8 partitions
#   N=100000 PARTS=16 examples/spark/run.sh
#
# Needs: Java 17 or newer, python3 with venv, network access to PyPI (first
# run only), and the Rust toolchain. Everything it writes is under target/.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${N:-20000}
PARTS=${PARTS:-8}
VENV=target/spark-venv
WORK=target/spark-demo

command -v java >/dev/null || { echo "run.sh: needs Java 17 or newer on PATH" >&2; exit 1; }

if ! "$VENV/bin/python" -c 'import pyspark' 2>/dev/null; then
  echo "== python venv with pyspark in $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet pyspark
fi

echo "== cargo build --release"
cargo build --release --quiet
BIN=$PWD/target/release/authorship
RULES=$PWD/rules

rm -rf "$WORK"
mkdir -p "$WORK/parts"
echo "== corpus: $N patterns"
if [ -f examples/gen_patterns.rs ]; then
  cargo run --release --quiet --example gen_patterns -- "$N" > "$WORK/corpus.jsonl"
else
  # Fallback: random valid patterns from rules/facts.yaml (bool and enum
  # facts; an integer fact gets 1..10), each fact unknown one time in ten.
  "$VENV/bin/python" - "$N" "$RULES/facts.yaml" > "$WORK/corpus.jsonl" <<'EOF'
import json, random, re, sys
n, path = int(sys.argv[1]), sys.argv[2]
facts, name, kind, values = {}, None, None, []
for line in open(path):
    m = re.match(r"^  (\w+):\s*$", line)
    if m:
        name, kind, values = m.group(1), None, []
        facts[name] = ("?", values)
    elif name and (m := re.match(r"^    type: (\w+)", line)):
        facts[name] = (m.group(1), values)
    elif name and (m := re.match(r"^      (\w+): ", line)):
        values.append(m.group(1))
    elif re.match(r"^\S", line):
        name = None
rng = random.Random(1)
def value(kind, values):
    return {"bool": rng.random() < 0.5, "integer": rng.randint(1, 10)}.get(kind) if kind != "enum" else rng.choice(values)
for i in range(n):
    fs = {f: value(k, v) for f, (k, v) in facts.items() if k in ("bool", "enum", "integer") and rng.random() >= 0.1}
    print(json.dumps({"id": f"p{i}", "facts": fs}, separators=(",", ":")))
EOF
fi
# Three bad records among the good ones, to show how they come back.
awk 'NR == 101  { print "{\"id\":\"bad-1\",\"facts\":{\"human_wrote_promts\":true}}" }
     NR == 9001 { print "{\"id\":\"bad-2\",\"facts\":{\"ai_named_as_author\":\"yes\"}}" }
     NR == 17001 { print "not json" }
     { print }' "$WORK/corpus.jsonl" > "$WORK/corpus.tmp"
mv "$WORK/corpus.tmp" "$WORK/corpus.jsonl"
split -n "l/$PARTS" -d -a 5 --additional-suffix=.jsonl "$WORK/corpus.jsonl" "$WORK/parts/part-"
rm "$WORK/corpus.jsonl"

# The latest date in the encoded sources (batch's default), pinned for
# every partition.
AS_OF=$("$BIN" batch --rules "$RULES" </dev/null 2>&1 >/dev/null | sed -n 's/.* law as of \([0-9-]*\)\. .*/\1/p')

echo "== spark (local mode)"
/usr/bin/time -f "run.sh: spark script took %e s wall" \
  "$VENV/bin/python" examples/spark/batch_with_spark.py \
  --bin "$BIN" --rules "$RULES" --as-of "$AS_OF" \
  --input "$WORK/parts" --output "$WORK/out"
