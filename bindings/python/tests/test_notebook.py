"""The teaching notebook (examples/notebooks/teaching.ipynb), executed
headlessly in a real Jupyter kernel, so that it cannot rot: every cell runs
without error, and what it shows is what the engine says. The executed copy
is written to target/notebooks/ for a look.

Needs nbclient, ipykernel, pandas and matplotlib (`.ci/run` installs them);
skipped, saying so, where they are not installed.
"""

import pathlib

import pytest

import authorship

ROOT = pathlib.Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "examples" / "notebooks" / "teaching.ipynb"


def outputs(cell):
    """A code cell's outputs as text, and the kinds of data it showed."""
    text, kinds = [], set()
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            text.append(out["text"])
        for kind, data in out.get("data", {}).items():
            kinds.add(kind)
            if kind == "text/plain":
                text.append(data)
    return "".join(text), kinds


def test_the_teaching_notebook_runs_and_shows_the_engines_outcomes():
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed")
    pytest.importorskip("ipykernel", reason="ipykernel (the notebook's kernel) is not installed")
    pytest.importorskip("matplotlib", reason="matplotlib (the notebook's chart) is not installed")
    pytest.importorskip("pandas", reason="pandas is not installed")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") for c in code), "the notebook is committed without outputs"
    # Raises CellExecutionError, naming the cell, if any cell fails.
    nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    out = ROOT / "target" / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, out / NOTEBOOK.name)

    shown = [outputs(c) for c in code]
    text = "\n".join(t for t, _ in shown)
    lib = authorship.Library.default()
    # One case through every jurisdiction: the verdicts the engine gives.
    for jurisdiction, verdict in lib.verdicts(case="li-v-liu").items():
        assert any(
            jurisdiction in line and verdict in line for line in text.splitlines()
        ), (jurisdiction, verdict)
    # The explanation quotes its source; the what-if moves the US outcome.
    assert "usco-ai-material-not-protected" in text
    assert "88 Fed. Reg. 16190" in text
    # Every key and tag it shows is resolved below it.
    assert "works cited by key:" in text and "[GOD] " in text
    assert "legend:" in text
    assert "partially_protected" in text
    # The chart is drawn, as a picture in the notebook.
    assert any("image/png" in kinds for _, kinds in shown), "no chart"
    assert "not legal advice" in text
