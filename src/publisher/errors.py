"""Problems and errors that carry the file, line and field they are about.

Every stage reports what went wrong as `Problem` records; a stage that cannot go
on raises one of the `PublisherError` subclasses, which carries its problem.  The
command line prints each problem on one line in the form editors and CI logs
understand: ``seeds/x.md:3: error: lastReviewed: 'thirty-first' is not a date``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    path: str
    message: str
    line: int | None = None
    field: str | None = None
    check: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = self.message
        if self.check:
            what = f"[{self.check}] {what}"
        if self.field:
            what = f"{self.field}: {what}"
        return f"{where}: {self.severity.value}: {what}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(path: str | Path, message: str, *, line: int | None = None,
          field: str | None = None, check: str | None = None) -> Problem:
    return Problem(Severity.ERROR, str(path), message, line, field, check)


def warning(path: str | Path, message: str, *, line: int | None = None,
            field: str | None = None, check: str | None = None) -> Problem:
    return Problem(Severity.WARNING, str(path), message, line, field, check)


class PublisherError(Exception):
    """An error that stops one unit of work; it carries the problems behind it."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class ConfigError(PublisherError):
    """`publisher.toml` or the command line is wrong: nothing can be built."""


class SeedError(PublisherError):
    """A seed cannot be loaded; the other seeds still build."""


class CatalogError(PublisherError):
    """A message catalog cannot be read or written."""


class RenderError(PublisherError):
    """A handout could not be rendered to HTML or PDF."""


class OutputError(PublisherError):
    """The output folder cannot be written (disk full, read-only): the build stops."""
