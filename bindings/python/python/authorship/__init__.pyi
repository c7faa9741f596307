"""Type stubs of the `authorship` package (see __init__.py for the docs)."""

import datetime
import os
from typing import Any, Iterable, Literal, Mapping, Optional, Union, overload

from ._native import DISCLAIMER as DISCLAIMER
from ._native import AuthorshipError as AuthorshipError

__version__: str

Date = Union[str, datetime.date, None]
Facts = Mapping[str, Any]
PathLike = Union[str, os.PathLike[str]]

class Library:
    @classmethod
    def default(cls) -> Library: ...
    @classmethod
    def from_dir(cls, rules: PathLike, cases: Optional[PathLike] = None) -> Library: ...
    @property
    def origin(self) -> str: ...
    @property
    def rulesets(self) -> list[str]: ...
    def references(self, text: str) -> str: ...
    def cases(self) -> list[dict[str, Any]]: ...
    def case(self, id: str) -> dict[str, Any]: ...
    def compare(
        self, facts: Optional[Facts] = None, *, as_of: Date = None, case: Optional[str] = None
    ) -> dict[str, Any]: ...
    def verdicts(
        self,
        facts: Optional[Facts] = None,
        *,
        as_of: Date = None,
        case: Optional[str] = None,
        by: Literal["jurisdiction", "ruleset"] = "jurisdiction",
    ) -> dict[str, str]: ...
    def explain(
        self,
        facts: Optional[Facts] = None,
        *,
        ruleset: str,
        as_of: Date = None,
        variant: Optional[str] = None,
        case: Optional[str] = None,
    ) -> dict[str, Any]: ...
    def whatif(
        self,
        facts: Optional[Facts] = None,
        *,
        ruleset: str,
        to: Optional[str] = None,
        max_changes: Optional[int] = None,
        as_of: Date = None,
        case: Optional[str] = None,
    ) -> dict[str, Any]: ...
    @overload
    def batch(
        self,
        patterns: Union[str, bytes, Iterable[Facts]],
        *,
        as_of: Date = None,
        rulesets: Optional[Iterable[str]] = None,
        threads: Optional[int] = None,
        errors: Literal["raise", "keep"] = "raise",
        detail: Literal["verdict", "full"] = "verdict",
        as_frame: Optional[bool] = None,
        layout: Literal["long", "wide"] = "long",
    ) -> list[dict[str, Any]]: ...
    @overload
    def batch(
        self,
        patterns: Any,
        *,
        as_of: Date = None,
        rulesets: Optional[Iterable[str]] = None,
        threads: Optional[int] = None,
        errors: Literal["raise", "keep"] = "raise",
        detail: Literal["verdict", "full"] = "verdict",
        as_frame: Optional[bool] = None,
        layout: Literal["long", "wide"] = "long",
    ) -> Any: ...
