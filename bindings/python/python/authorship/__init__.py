"""How different authorities decide whether a work -- above all an
AI-generated or AI-assisted one -- is protected by copyright, and why.

The `authorship` rule engine for Python. Every authority's rules are data
(YAML) with their sources; the engine runs a fact pattern through all of
them side by side. Unknown facts stay unknown: an outcome they could change
is ``undetermined``, never a silent guess.

Outputs explain encoded sources; they are not legal advice.

>>> import authorship
>>> lib = authorship.Library.default()
>>> out = lib.compare(case="li-v-liu")
>>> {r["jurisdiction"]: r["verdict"] for r in out["cases"][0]["jurisdictions"]}["US"]
'not_protected'
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import Any, Iterable, Mapping, Optional, Union

from . import _native
from ._native import DISCLAIMER, AuthorshipError

__all__ = ["Library", "AuthorshipError", "DISCLAIMER", "__version__"]

__version__: str = _native.VERSION

Date = Union[str, _dt.date, None]


def _date(value: Date) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        raise TypeError("as_of must be a date (YYYY-MM-DD or datetime.date), not a datetime")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise TypeError(f"as_of must be a date (YYYY-MM-DD or datetime.date), not {type(value).__name__}")


def _plain(value: Any) -> Any:
    """A value as JSON writes it: numpy and pandas scalars as Python's,
    dates as YYYY-MM-DD."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return item()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    raise TypeError(f"a fact's value cannot be a {type(value).__name__}: {value!r}")


def _facts_json(facts: Optional[Mapping[str, Any]]) -> str:
    if facts is None:
        return "{}"
    if not isinstance(facts, Mapping):
        raise TypeError(f"facts must be a dict of fact names to values, not {type(facts).__name__}")
    return _json.dumps(dict(facts), default=_plain)


class Library:
    """Rules (a ruleset per authority, their vocabulary of facts and their
    sources) and the cases that go with them."""

    __slots__ = ("_native",)

    def __init__(self, native: "_native.Library") -> None:
        self._native = native

    @classmethod
    def default(cls) -> "Library":
        """The rules and example cases built into the package."""
        return cls(_native.Library.default())

    @classmethod
    def from_dir(
        cls,
        rules: Union[str, "_os.PathLike[str]"],
        cases: Union[str, "_os.PathLike[str]", None] = None,
    ) -> "Library":
        """A rules directory (``facts.yaml`` and one YAML file per
        ruleset), checked as ``authorship check`` checks it, and optionally
        a directory of case files. Raises AuthorshipError with each
        problem's ``file:line:column``."""
        return cls(
            _native.Library.from_dir(
                _os.fspath(rules), None if cases is None else _os.fspath(cases)
            )
        )

    @property
    def origin(self) -> str:
        """Where the rules came from, as every output names them."""
        return self._native.origin()

    @property
    def rulesets(self) -> list:
        """The rulesets' ids."""
        return self._native.rulesets()

    def references(self, text: str) -> str:
        """The references block for ``text`` (what you showed of the
        outputs): each work it cites by key, such as ``[GOD]``, in full with
        its address, and the meaning of each confidence tag (``[P]``,
        ``[S2: …]``) and mark it uses, as the command line ends an
        explanation. Print it under whatever you show a reader, so that
        every citation can be followed. Empty when nothing is cited."""
        return self._native.references(text)

    def cases(self) -> list:
        """The library's cases: id, title, summary, citation, as_of, facts
        and the facts stated unknown."""
        return _json.loads(self._native.cases_json())

    def case(self, id: str) -> dict:
        """One case, by id (its file's name without ``.yaml``)."""
        for c in self.cases():
            if c["id"] == id:
                return c
        raise KeyError(f"no case {id!r} in this library")

    def _facts(self, facts: Optional[Mapping[str, Any]], case: Optional[str]) -> str:
        if facts is None and case is not None:
            facts = self.case(case)["facts"]
        return _facts_json(facts)

    def compare(
        self,
        facts: Optional[Mapping[str, Any]] = None,
        *,
        as_of: Date = None,
        case: Optional[str] = None,
    ) -> dict:
        """Every ruleset's and jurisdiction's outcome for these facts: the
        JSON of ``authorship compare --format json``. ``case`` names a case
        of the library to start from (its facts when ``facts`` is None, its
        title and date); ``as_of`` takes the law as of a day."""
        text = self._native.compare(self._facts(facts, case), _date(as_of), case)
        return _json.loads(text)

    def verdicts(
        self,
        facts: Optional[Mapping[str, Any]] = None,
        *,
        as_of: Date = None,
        case: Optional[str] = None,
        by: str = "jurisdiction",
    ) -> dict:
        """The verdicts alone, by jurisdiction (``by="jurisdiction"``) or by
        ruleset (``by="ruleset"``): what :meth:`compare` gives, in short."""
        result = self.compare(facts, as_of=as_of, case=case)["cases"][0]
        if by == "jurisdiction":
            return {r["jurisdiction"]: r["verdict"] for r in result["jurisdictions"]}
        if by == "ruleset":
            return {c["ruleset"]: c["verdict"] for c in result["columns"]}
        raise ValueError('by must be "jurisdiction" or "ruleset"')

    def explain(
        self,
        facts: Optional[Mapping[str, Any]] = None,
        *,
        ruleset: str,
        as_of: Date = None,
        variant: Optional[str] = None,
        case: Optional[str] = None,
    ) -> dict:
        """One ruleset's full reasoning: the JSON of ``authorship explain
        --format json`` (every rule, the facts it read, its source and the
        encoder's interpretation). ``variant`` names a reading of unsettled
        law."""
        text = self._native.explain(self._facts(facts, case), ruleset, _date(as_of), variant, case)
        return _json.loads(text)

    def whatif(
        self,
        facts: Optional[Mapping[str, Any]] = None,
        *,
        ruleset: str,
        to: Optional[str] = None,
        max_changes: Optional[int] = None,
        as_of: Date = None,
        case: Optional[str] = None,
    ) -> dict:
        """The smallest sets of fact changes that move the ruleset's
        outcome (to verdict ``to`` if given): the JSON of ``authorship
        whatif --format json``."""
        text = self._native.whatif(
            self._facts(facts, case), ruleset, to, max_changes, _date(as_of), case
        )
        return _json.loads(text)

    def batch(
        self,
        patterns: Any,
        *,
        as_of: Date = None,
        rulesets: Optional[Iterable[str]] = None,
        threads: Optional[int] = None,
        errors: str = "raise",
        detail: str = "verdict",
        as_frame: Optional[bool] = None,
        layout: str = "long",
    ) -> Any:
        """Many fact patterns at once, on the engine's threads with the GIL
        released: one row per pattern and ruleset.

        ``patterns`` is an iterable of fact dicts (or of
        ``{"id": …, "facts": {…}}`` records), giving a list of dicts; or
        JSON Lines text (``str`` or ``bytes``, one such record per line,
        read by the engine as ``authorship batch`` reads it, with its
        messages), giving a list of dicts; or a pandas DataFrame with a
        column per fact (an empty cell is unknown; an ``id`` column, else
        the index, names each row), giving a DataFrame. ``as_of`` defaults
        to the latest date in the rules, as ``authorship batch`` does;
        ``threads`` to one per core.

        ``detail="verdict"`` (the default, and the fast one) gives the
        columns id, ruleset, verdict and error; ``detail="full"`` adds what
        ``authorship batch`` writes of each outcome (possible, authors,
        elements, depends_on).

        A bad pattern raises AuthorshipError naming its id (``errors=
        "raise"``), or gives a row with its ``error`` and no ruleset
        (``errors="keep"``). ``as_frame`` asks for a DataFrame (or a list)
        whatever the input.

        ``layout="wide"`` gives one row per pattern instead: ``id``,
        ``error`` and a column per ruleset holding its verdict (verdicts
        only). It is the cheaper shape to move around (a Spark job's output,
        say): a fraction of the cells.
        """
        if errors not in ("raise", "keep"):
            raise ValueError('errors must be "raise" or "keep"')
        if detail not in ("verdict", "full"):
            raise ValueError('detail must be "verdict" or "full"')
        if layout not in ("long", "wide"):
            raise ValueError('layout must be "long" or "wide"')
        if layout == "wide" and detail != "verdict":
            raise ValueError('layout="wide" holds verdicts only (detail="verdict")')
        frame = _is_frame(patterns)
        to_frame = frame if as_frame is None else as_frame
        when = (_date(as_of), list(rulesets or []), threads or (_os.cpu_count() or 1))
        if layout == "wide":
            text = _frame_lines(patterns) if frame else _lines(patterns)
            ids, problems, columns = self._native.batch_wide(text, *when)
            names = list(rulesets) if rulesets else self.rulesets
            if errors == "raise":
                _raise_first(ids, problems)
            return _table({"id": ids, "error": problems, **dict(zip(names, columns))}, to_frame)
        if detail == "verdict":
            if frame:
                rows, row_ids = _frame_json(patterns)
                ids, names, verdicts, problems = self._native.batch_frame(rows, row_ids, *when)
            else:
                lines = _lines(patterns)
                ids, names, verdicts, problems = self._native.batch_verdicts(lines, *when)
            if errors == "raise":
                _raise_first(ids, problems)
            if to_frame:
                columns = {"id": ids, "ruleset": names, "verdict": verdicts, "error": problems}
                return _table(columns, True)
            # Dict literals: half the time of _table's rows, at a row per
            # pattern and ruleset.
            return [
                {"id": i, "ruleset": r, "verdict": v, "error": e}
                for i, r, v, e in zip(ids, names, verdicts, problems)
            ]
        lines = _frame_lines(patterns) if frame else _lines(patterns)
        out, _bad = self._native.batch(lines, *when)
        rows = []
        for line in out.splitlines():
            record = _json.loads(line)
            if "error" in record:
                if errors == "raise":
                    _raise_first([record.get("id")], [record["error"]])
                rows.append({"id": record.get("id"), "ruleset": None, "verdict": None,
                             "error": record["error"]})
                continue
            for ruleset, outcome in record["outcomes"].items():
                rows.append({"id": record["id"], "ruleset": ruleset, **outcome})
        if to_frame:
            import pandas

            return pandas.DataFrame(rows)
        return rows


def _raise_first(ids: list, problems: list) -> None:
    """Raises AuthorshipError for the first pattern with a problem, naming
    its id."""
    for id, problem in zip(ids, problems):
        if problem is not None:
            raise AuthorshipError(f"pattern {id!r}: {problem}")


def _table(columns: dict, to_frame: bool) -> Any:
    """Columns of equal length as a DataFrame, or as a list of row dicts.
    The DataFrame is dtype=object: None stays None (a string dtype would
    make it NaN) and ids of either type stay as given."""
    if to_frame:
        import pandas

        return pandas.DataFrame(columns, dtype=object)
    keys = list(columns)
    return [dict(zip(keys, row)) for row in zip(*columns.values())]


def _is_frame(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "to_dict")


def _lines(patterns: Any) -> bytes:
    """JSON Lines of ``{"id", "facts"}`` records: text as given; of dicts,
    a dict with a ``facts`` dict is a record (its ``id``, else its
    position), any other dict the facts themselves (named by position)."""
    if isinstance(patterns, str):
        return patterns.encode("utf-8")
    if isinstance(patterns, (bytes, bytearray, memoryview)):
        return bytes(patterns)
    out = []
    for n, item in enumerate(patterns):
        if not isinstance(item, Mapping):
            raise TypeError(f"pattern {n}: a dict of facts, not {type(item).__name__}")
        if isinstance(item.get("facts"), Mapping):
            record = {"id": item.get("id", n), "facts": dict(item["facts"])}
        else:
            record = {"id": n, "facts": dict(item)}
        out.append(_json.dumps(record, default=_plain))
    return "\n".join(out).encode("utf-8")


def _frame_lines(frame: Any) -> bytes:
    """JSON Lines of ``{"id", "facts"}`` records, one per row of the frame."""
    rows, ids = _frame_json(frame)
    return "\n".join(
        _json.dumps({"id": i, "facts": r}) for i, r in zip(_json.loads(ids), _json.loads(rows))
    ).encode("utf-8")


def _frame_json(frame: Any) -> tuple:
    """A data frame's rows as one JSON array of fact objects, written by
    pandas itself (an empty cell is null: unknown), and its ids as another
    (the ``id`` column, else the index)."""
    columns = [c for c in frame.columns if c != "id"]
    facts = frame[columns].copy()
    for c in columns:
        # Dates as the engine writes them (pandas would write epochs).
        column = facts[c]
        if str(column.dtype).startswith("datetime"):
            facts[c] = column.dt.strftime("%Y-%m-%d")
        # A column of whole numbers with empty cells is float to pandas
        # (3.0); the engine's numbers are integers.
        elif column.dtype.kind == "f" and (column.dropna() % 1 == 0).all():
            facts[c] = column.astype("Int64")
    ids = frame["id"].tolist() if "id" in frame.columns else frame.index.tolist()
    rows = facts.to_json(orient="records", force_ascii=False)
    return rows.encode("utf-8"), _json.dumps(ids, default=_plain).encode("utf-8")
