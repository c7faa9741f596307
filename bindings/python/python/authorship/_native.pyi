"""The engine (Rust, PyO3). Use the package's `Library`, which wraps this."""

from typing import Optional

DISCLAIMER: str
VERSION: str

class AuthorshipError(ValueError):
    """A fact pattern, date, ruleset or rules directory the engine refuses;
    the message says where (file:line:column) and why."""

class Library:
    @staticmethod
    def default() -> Library: ...
    @staticmethod
    def from_dir(rules: str, cases: Optional[str] = None) -> Library: ...
    def origin(self) -> str: ...
    def rulesets(self) -> list[str]: ...
    def references(self, text: str) -> str: ...
    def cases_json(self) -> str: ...
    def compare(self, facts: str, as_of: Optional[str] = None, case: Optional[str] = None) -> str: ...
    def explain(
        self,
        facts: str,
        ruleset: str,
        as_of: Optional[str] = None,
        variant: Optional[str] = None,
        case: Optional[str] = None,
    ) -> str: ...
    def whatif(
        self,
        facts: str,
        ruleset: str,
        to: Optional[str] = None,
        max_changes: Optional[int] = None,
        as_of: Optional[str] = None,
        case: Optional[str] = None,
    ) -> str: ...
    def batch(
        self, lines: bytes, as_of: Optional[str] = None, rulesets: list[str] = ..., threads: int = 1
    ) -> tuple[bytes, int]: ...
    def batch_verdicts(
        self, lines: bytes, as_of: Optional[str] = None, rulesets: list[str] = ..., threads: int = 1
    ) -> tuple[list[object], list[Optional[str]], list[Optional[str]], list[Optional[str]]]: ...
    def batch_frame(
        self,
        facts: bytes,
        ids: bytes,
        as_of: Optional[str] = None,
        rulesets: list[str] = ...,
        threads: int = 1,
    ) -> tuple[list[object], list[Optional[str]], list[Optional[str]], list[Optional[str]]]: ...
    def batch_wide(
        self, lines: bytes, as_of: Optional[str] = None, rulesets: list[str] = ..., threads: int = 1
    ) -> tuple[list[object], list[Optional[str]], list[list[Optional[str]]]]: ...
