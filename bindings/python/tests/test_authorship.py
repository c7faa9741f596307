"""The Python package against the command line: the same requests give the
same JSON, errors carry the engine's located message, and batch gives one
row per pattern and ruleset.

The command line is found at $AUTHORSHIP_BIN (`.ci/run` sets it), else in
the repository's target/release or target/debug; the tests that compare
with it are skipped, saying so, when there is none.
"""

import datetime
import json
import os
import pathlib
import shutil
import subprocess

import pytest

import authorship

ROOT = pathlib.Path(__file__).resolve().parents[3]


def cli():
    named = os.environ.get("AUTHORSHIP_BIN")
    if named:
        return named
    for build in ("release", "debug"):
        path = ROOT / "target" / build / "authorship"
        if path.exists():
            return str(path)
    pytest.skip("no authorship binary: build it (cargo build) or set AUTHORSHIP_BIN")


def run_cli(*args):
    done = subprocess.run([cli(), *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def lib():
    return authorship.Library.default()


def verdicts(result):
    return {r["jurisdiction"]: r["verdict"] for r in result["cases"][0]["jurisdictions"]}


def test_li_v_liu_outcomes_are_the_command_lines(lib):
    ours = lib.compare(case="li-v-liu")
    theirs = run_cli("compare", "cases/li-v-liu.yaml", "--format", "json")
    assert ours == theirs
    assert verdicts(ours)["US"] == "not_protected"
    assert verdicts(ours)["CN"] == "protected"


def test_a_what_if_equals_the_command_lines_set(lib):
    facts = dict(lib.case("li-v-liu")["facts"])
    facts.update(post_edited_by_human=True, edit_scope="changed_content", edits_documented=True)
    ours = lib.compare(facts, case="li-v-liu")
    theirs = run_cli(
        "compare", "cases/li-v-liu.yaml", "--format", "json",
        "--set", "post_edited_by_human=true",
        "--set", "edit_scope=changed_content",
        "--set", "edits_documented=true",
    )
    assert verdicts(ours) == verdicts(theirs)
    assert verdicts(ours)["US"] == "partially_protected"


def test_explain_and_whatif_are_the_command_lines(lib):
    ours = lib.explain(case="li-v-liu", ruleset="us-copyright-office")
    theirs = run_cli(
        "explain", "cases/li-v-liu.yaml", "--ruleset", "us-copyright-office", "--format", "json"
    )
    assert ours == theirs
    ours = lib.whatif(case="li-v-liu", ruleset="us-copyright-office")
    theirs = run_cli(
        "whatif", "cases/li-v-liu.yaml", "--ruleset", "us-copyright-office", "--format", "json"
    )
    assert ours == theirs


def test_references_resolve_every_key_and_tag_shown(lib):
    why = lib.explain(case="li-v-liu", ruleset="us-copyright-office")["evaluation"]
    shown = "\n".join(r["pinpoint"] + " " + r["source"] for r in why["rules"] if r.get("pinpoint"))
    assert "[GOD]" in shown
    refs = lib.references(shown)
    assert "works cited by key:" in refs
    assert "[GOD] " in refs and "https://" in refs
    # The command line's own explanation ends with the same entry.
    text = subprocess.run(
        [cli(), "explain", "cases/li-v-liu.yaml", "--ruleset", "us-copyright-office"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    entry = next(line for line in refs.splitlines() if line.strip().startswith("[GOD] "))
    # (The command line may fit its text to a terminal's width.)
    assert "".join(entry.split()) in "".join(text.split())
    assert lib.references("nothing cited here") == ""


def test_as_of_takes_a_date_or_its_text(lib):
    facts = lib.case("li-v-liu")["facts"]
    a = lib.compare(facts, as_of=datetime.date(2023, 6, 1))
    b = lib.compare(facts, as_of="2023-06-01")
    assert a == b
    assert a["cases"][0]["as_of"] == "2023-06-01"
    with pytest.raises(authorship.AuthorshipError, match="2023-02-30"):
        lib.compare(facts, as_of="2023-02-30")


def test_a_misspelt_fact_raises_with_the_engines_suggestion(lib):
    with pytest.raises(authorship.AuthorshipError) as raised:
        lib.compare({"post_edited_by_humann": True})
    assert "post_edited_by_humann" in str(raised.value)
    assert "did you mean" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_unknown_facts_leave_outcomes_open_never_false(lib):
    result = lib.compare({})
    assert "undetermined" in verdicts(result).values()


def test_a_broken_rules_directory_raises_with_file_line_and_column(tmp_path, lib):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "facts.yaml").write_text("facts: [\n", encoding="utf-8")
    with pytest.raises(authorship.AuthorshipError) as raised:
        authorship.Library.from_dir(rules)
    message = str(raised.value)
    assert "facts.yaml:" in message
    line_col = message.split("facts.yaml:", 1)[1].split(":")[:2]
    assert all(part.strip().isdigit() for part in line_col), message


def test_a_rules_directory_loads_as_the_built_in_rules(lib):
    mine = authorship.Library.from_dir(ROOT / "rules", ROOT / "cases")
    assert mine.rulesets == lib.rulesets
    assert mine.origin.startswith("from the directory")
    assert verdicts(mine.compare(case="li-v-liu")) == verdicts(lib.compare(case="li-v-liu"))


def test_batch_gives_one_row_per_pattern_and_ruleset_as_compare_does(lib):
    cases = lib.cases()[:5]
    rows = lib.batch([c["facts"] for c in cases], threads=2)
    assert len(rows) == len(cases) * len(lib.rulesets)
    by_case = {}
    for row in rows:
        by_case.setdefault(row["id"], {})[row["ruleset"]] = row["verdict"]
    # Without a date, both take the law as of the latest date in the rules.
    for n, case in enumerate(cases):
        expected = lib.compare(case["facts"])
        want = {c["ruleset"]: c["verdict"] for c in expected["cases"][0]["columns"]}
        assert by_case[n] == want, case["id"]


def test_batch_in_full_is_the_command_lines_batch(lib, tmp_path):
    cases = lib.cases()[:6]
    records = [{"id": c["id"], "facts": c["facts"]} for c in cases]
    rows = lib.batch(records, detail="full", as_of="2026-03-18")
    corpus = tmp_path / "patterns.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    done = subprocess.run(
        [cli(), "batch", str(corpus), "--as-of", "2026-03-18", "--jobs", "1"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    want = []
    for line in done.stdout.splitlines():
        record = json.loads(line)
        for ruleset, outcome in record["outcomes"].items():
            want.append({"id": record["id"], "ruleset": ruleset, **outcome})
    assert rows == want
    # JSON Lines text, read by the engine itself: the same rows.
    text = corpus.read_text(encoding="utf-8")
    assert lib.batch(text, detail="full", as_of="2026-03-18") == want
    assert lib.batch(text.encode(), detail="full", as_of="2026-03-18") == want
    # The verdicts alone are the same verdicts.
    short = lib.batch(records, as_of="2026-03-18")
    assert [(r["id"], r["ruleset"], r["verdict"]) for r in short] == [
        (r["id"], r["ruleset"], r["verdict"]) for r in want
    ]
    assert all(r["error"] is None for r in short)


def test_batch_wide_is_the_long_layout_one_row_per_pattern(lib):
    cases = lib.cases()[:8]
    records = [{"id": c["id"], "facts": c["facts"]} for c in cases] + [
        {"id": "bad", "facts": {"nope": 1}}
    ]
    long = lib.batch(records, errors="keep")
    wide = lib.batch(records, errors="keep", layout="wide")
    assert [r["id"] for r in wide] == [c["id"] for c in cases] + ["bad"]
    back = [
        (r["id"], name, r[name]) for r in wide if r["error"] is None for name in lib.rulesets
    ]
    assert back == [(r["id"], r["ruleset"], r["verdict"]) for r in long if r["error"] is None]
    assert wide[-1]["error"] and all(wide[-1][name] is None for name in lib.rulesets)
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    frame = lib.batch(records, errors="keep", layout="wide", as_frame=True)
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == ["id", "error", *lib.rulesets]
    assert len(frame) == len(records)


def test_batch_names_a_bad_pattern_by_its_id(lib):
    patterns = [{"id": "good", "facts": {}}, {"id": "row-7", "facts": {"nope": 1}}]
    with pytest.raises(authorship.AuthorshipError, match="row-7"):
        lib.batch(patterns)
    # As text, a line that is not JSON is named by its line, as the CLI
    # names it.
    rows = lib.batch('{"id":"a","facts":{}}\nnot json\n', errors="keep")
    assert rows[-1]["id"] is None and "column 1" in rows[-1]["error"]
    for detail in ("verdict", "full"):
        with pytest.raises(authorship.AuthorshipError, match="row-7"):
            lib.batch(patterns, detail=detail)
        rows = lib.batch(patterns, errors="keep", detail=detail)
        assert rows[-1]["id"] == "row-7"
        assert rows[-1]["ruleset"] is None
        assert "nope" in rows[-1]["error"]
        assert len(rows) == len(lib.rulesets) + 1


def test_batch_takes_and_gives_a_data_frame(lib):
    pandas = pytest.importorskip("pandas", reason="pandas is not installed")
    frame = pandas.DataFrame(
        {
            "id": ["a", "b"],
            "post_edited_by_human": [True, None],
            "generative_ai_used": [True, True],
        }
    )
    out = lib.batch(frame)
    assert isinstance(out, pandas.DataFrame)
    assert len(out) == 2 * len(lib.rulesets)
    assert set(out["id"]) == {"a", "b"}
    a = lib.compare({"post_edited_by_human": True, "generative_ai_used": True})
    want = {c["ruleset"]: c["verdict"] for c in a["cases"][0]["columns"]}
    got = dict(zip(out[out["id"] == "a"]["ruleset"], out[out["id"] == "a"]["verdict"]))
    assert got == want


def test_verdicts_are_compares_in_short(lib):
    full = lib.compare(case="li-v-liu")
    assert lib.verdicts(case="li-v-liu") == verdicts(full)
    by_ruleset = lib.verdicts(case="li-v-liu", by="ruleset")
    assert by_ruleset["us-copyright-office"] == "not_protected"
    assert by_ruleset["beijing-internet-court"] == "protected"


def test_every_output_says_it_is_not_legal_advice(lib):
    assert "not legal advice" in authorship.DISCLAIMER
    assert lib.compare(case="li-v-liu")["disclaimer"] == authorship.DISCLAIMER
